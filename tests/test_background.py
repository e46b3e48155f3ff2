"""The background worker is a real process: a task enqueued here runs there, not in the test."""

import os

from django_tasks import TaskResultStatus

from tests.background_tasks import write_marker


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
