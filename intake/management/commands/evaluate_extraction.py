"""manage.py evaluate_extraction DIR: the extractor's word-level precision, recall and F1 on a
directory of saved pages with their gold text (intake/evaluation.py says which layouts)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake.evaluation import evaluate, mean


class Command(BaseCommand):
    # No database, nothing configured: the checks' warnings would only stand before the figures.
    requires_system_checks = []
    help = (
        "Score the article extractor against gold text: NAME.html beside NAME.txt, or the "
        "ScrapingHub benchmark's html/ and ground-truth.json. Prints each page, then the means "
        "(precision, recall, F1) on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--shingle",
            type=int,
            default=1,
            help="compare runs of this many words (1: words; 4: the benchmark's own measure)",
        )
        parser.add_argument("--quiet", action="store_true", help="only the last line")

    def handle(self, *args, directory: Path, shingle: int, quiet: bool, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        if shingle < 1:
            raise CommandError("--shingle is a number of words: 1 or more.")
        scores = evaluate(directory, shingle=shingle)
        if not scores:
            raise CommandError(
                f"No pages with gold text in {directory}: NAME.html beside NAME.txt, or "
                "html/ID.html.gz with ground-truth.json."
            )
        if not quiet:
            for s in scores:
                self.stdout.write(
                    f"{s.name:<40} precision={s.precision:.3f} recall={s.recall:.3f} F1={s.f1:.3f}"
                )
        overall = mean(scores)
        unit = "words" if shingle == 1 else f"{shingle}-word shingles"
        self.stdout.write(
            f"{len(scores)} pages, {unit}: precision={overall.precision:.3f} "
            f"recall={overall.recall:.3f} F1={overall.f1:.3f}"
        )
