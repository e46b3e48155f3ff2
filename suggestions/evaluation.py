"""How well the check-worthiness score ranks sentences that fact-checkers chose to check.

Reads CLEF CheckThat! 2020 Task 5 files (one debate or speech a file, one sentence a line:
``line_number<TAB>speaker<TAB>text<TAB>label``, label 1 for a sentence the fact-checkers
checked), ranks each debate's sentences by :func:`suggestions.checkworthiness.score` of their
text alone (an article has no speaker, so the speaker is not used) and reports each debate's
average precision of the labelled sentences and their mean over debates (MAP), the task's
measure. Equal scores keep the debate's order. A debate without a labelled sentence has no
average precision and is left out of the mean, and said to be.
"""

from dataclasses import dataclass
from pathlib import Path

from .checkworthiness import score


class EvaluationError(ValueError):
    """A file that is not a Task 5 file, said in a sentence."""


@dataclass(frozen=True)
class DebateResult:
    name: str
    sentences: int
    checkworthy: int
    average_precision: float | None


def read_debate(path: Path) -> list[tuple[str, int]]:
    """(text, label) for each line of a Task 5 file."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 4 or fields[3].strip() not in {"0", "1"}:
            raise EvaluationError(
                f"{path.name}, line {number}: expected line_number, speaker, text and a label "
                "0 or 1, separated by tabs."
            )
        rows.append((fields[2], int(fields[3])))
    return rows


def average_precision(labels_in_rank_order: list[int]) -> float | None:
    relevant = sum(labels_in_rank_order)
    if not relevant:
        return None
    found, total = 0, 0.0
    for rank, label in enumerate(labels_in_rank_order, start=1):
        if label:
            found += 1
            total += found / rank
    return total / relevant


def evaluate_debate(path: Path) -> DebateResult:
    rows = read_debate(path)
    scores = [score(text).value for text, _ in rows]
    order = sorted(range(len(rows)), key=lambda i: -scores[i])  # stable: equal scores keep order
    labels = [rows[i][1] for i in order]
    return DebateResult(path.name, len(rows), sum(labels), average_precision(labels))


def evaluate_directory(directory: Path) -> list[DebateResult]:
    files = sorted(p for p in Path(directory).iterdir() if p.suffix in {".tsv", ".txt"})
    if not files:
        raise EvaluationError(f"{directory} holds no .tsv or .txt file of Task 5.")
    return [evaluate_debate(path) for path in files]


def mean_average_precision(results: list[DebateResult]) -> float:
    scored = [r.average_precision for r in results if r.average_precision is not None]
    return sum(scored) / len(scored) if scored else 0.0
