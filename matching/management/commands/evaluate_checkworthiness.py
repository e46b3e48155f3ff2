"""Measure the check-worthiness ranking on CheckThat! 2020 Task 5 files: one debate a file,
``line_number<TAB>speaker<TAB>text<TAB>label``; prints each debate's average precision and,
last, ``MAP <value> (<n> debates)``. The data is read by path, never copied here."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matching.checkworthiness import score_sentence


def average_precision(labels_in_ranked_order: list[int]) -> float:
    hits, total = 0, 0.0
    for rank, label in enumerate(labels_in_ranked_order, start=1):
        if label:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


class Command(BaseCommand):
    help = "MAP of the check-worthiness ranking over a directory of CheckThat! Task 5 debates."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        files = sorted(directory.glob("*.tsv"))
        if not files:
            raise CommandError(f"No .tsv files in {directory}.")
        scores = []
        for path in files:
            with open(path, newline="", encoding="utf-8") as handle:
                rows = [
                    row
                    for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                    if len(row) >= 4
                ]
            ranked = sorted(
                (
                    (score_sentence(text)[0], -int(line), int(label))
                    for line, _, text, label in rows
                ),
                reverse=True,
            )
            labels = [label for _, _, label in ranked]
            if not any(labels):
                continue  # a debate with nothing to find has no average precision
            scores.append(average_precision(labels))
            self.stdout.write(f"{path.stem:45} AP {scores[-1]:.4f}")
        self.stdout.write(f"MAP {sum(scores) / len(scores):.4f} ({len(scores)} debates)")
