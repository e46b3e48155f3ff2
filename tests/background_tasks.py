"""A task for the tests of the background worker itself (tests/test_background.py)."""

from pathlib import Path

from django_tasks import task


@task(queue_name="default")
def write_marker(path: str, text: str) -> str:
    Path(path).write_text(text)
    return text.upper()
