"""manage.py evaluate_checkworthiness on a tiny Task 5 directory written here (the shared
development data is not the test's)."""

import pytest
from django.core.management import CommandError, call_command

DEBATE_A = [
    ("1", "MODERATOR", "Good evening and welcome.", "0"),
    ("2", "SMITH", "Unemployment fell from 8% to 4% in four years.", "1"),
    ("3", "SMITH", "I think we can do better.", "0"),
    ("4", "JONES", "What would you do?", "0"),
]
# Ranked: the figure first (AP 1.0 on A); on B the labelled sentence has no feature and is last.
DEBATE_B = [
    ("1", "JONES", "My opponent voted for the tax cut twice, in 2001 and 2003.", "0"),
    ("2", "JONES", "Thank you.", "0"),
    ("3", "SMITH", "He was never there for the families of this town at all.", "1"),
]


def _write(directory, name, rows):
    (directory / name).write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")


def test_it_prints_each_debates_average_precision_and_the_map_last(tmp_path, capsys):
    _write(tmp_path, "a.tsv", DEBATE_A)
    _write(tmp_path, "b.tsv", DEBATE_B)
    _write(tmp_path, "c.tsv", [("1", "X", "Nothing here was checked by anyone at all.", "0")])
    call_command("evaluate_checkworthiness", str(tmp_path))
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split()[0] == "a.tsv"
    assert lines[0].endswith("AP 1.0000")
    assert lines[1].split()[0] == "b.tsv"
    assert lines[1].endswith("AP 0.5000")
    assert lines[2].endswith("no check-worthy sentence: left out")
    assert lines[-1] == "MAP 0.7500 (2 debates)"


def test_a_file_that_is_not_task_5_is_refused_with_a_sentence(tmp_path):
    (tmp_path / "bad.tsv").write_text("1\tSMITH\tno label here\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.tsv, line 1: expected line_number"):
        call_command("evaluate_checkworthiness", str(tmp_path))
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("evaluate_checkworthiness", str(tmp_path / "nowhere"))
