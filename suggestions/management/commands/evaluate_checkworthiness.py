"""manage.py evaluate_checkworthiness DIR: the check-worthiness score's mean average precision
on CheckThat! 2020 Task 5 debates (suggestions/evaluation.py says how it is counted)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from suggestions.evaluation import EvaluationError, evaluate_directory, mean_average_precision


class Command(BaseCommand):
    # No database: the checks' warnings would only stand before the figures.
    requires_system_checks = []
    help = (
        "Rank each debate's sentences (CheckThat! Task 5 files: line_number, speaker, text, label, "
        "tab-separated, one debate a file) by the check-worthiness score the article page uses. "
        "Prints each debate's average precision, then `MAP <value> (<n> debates)` last."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        try:
            results = evaluate_directory(directory)
        except EvaluationError as error:
            raise CommandError(str(error)) from error
        scored = [r for r in results if r.average_precision is not None]
        for r in results:
            figure = (
                f"AP {r.average_precision:.4f}"
                if r.average_precision is not None
                else "no check-worthy sentence: left out"
            )
            self.stdout.write(
                f"{r.name:<48} {r.sentences:>5} sentences {r.checkworthy:>4} check-worthy  {figure}"
            )
        if not scored:
            raise CommandError(f"No debate in {directory} has a sentence labelled 1.")
        self.stdout.write(f"MAP {mean_average_precision(results):.4f} ({len(scored)} debates)")
