"""Reading the CheckThat! 2020 claim-retrieval files and scoring a ranking (MAP@5).

The data is never in the repository: commands take it by path (../shared/eval/README.md)."""

import csv
from pathlib import Path


def read_tsv(path: Path) -> list[list[str]]:
    """Rows of a tab-separated file with a header (the header dropped). Fields may be quoted and
    hold line breaks, as the verified claims' do."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return [row for row in rows[1:] if row]


def read_qrels(path: Path) -> dict[str, set[str]]:
    """``tweet_id 0 vclaim_id 1`` lines: the verified claims each query repeats."""
    relevant: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 4 and parts[3] != "0":
                relevant.setdefault(parts[0], set()).add(parts[2])
    return relevant


def average_precision_at(ranked: list[str], relevant: set[str], k: int) -> float:
    """Average precision of the first ``k`` of a ranking (TREC's, as the task scores it)."""
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for rank, item in enumerate(ranked[:k], start=1):
        if item in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k)
