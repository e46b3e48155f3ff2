"""The background worker is a real process: a task enqueued here runs there, not in the test."""

import os

import pytest
from django_tasks import TaskResultStatus

from tests.background_tasks import write_marker

# Serialized like the other transactional tests: a transactional test without it ends with a
# flush that makes the content types again under new ids, and the next serialized test (the
# backup's) then meets them when it brings back the rows the migrations made.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_task_runs_in_the_worker_process_not_in_the_caller(run_task_worker, tmp_path):
    marker = tmp_path / "marker.txt"
    result = write_marker.enqueue(str(marker), f"written by pid other than {os.getpid()}")

    # Enqueued, not run: nothing happens inside the caller.
    assert not marker.exists()
    result.refresh()
    assert result.status == TaskResultStatus.READY

    output = run_task_worker()

    assert marker.read_text() == f"written by pid other than {os.getpid()}"
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL, output
    assert result.return_value == f"WRITTEN BY PID OTHER THAN {os.getpid()}"
