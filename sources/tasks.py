"""Background tasks of sources: run by the worker process (``manage.py db_worker``), never in a
request."""

from django_tasks import task

from common.fetch import UNEXPECTED_FAILURE, FetchError, fetch

from . import services


@task(queue_name="fetch")
def archive_source(snapshot_id: int) -> str:
    """Fetch a waiting snapshot's address and keep what came back, or why nothing did."""
    snapshot = services.start_snapshot(snapshot_id=snapshot_id)
    if snapshot is None:
        return "not waiting"
    try:
        fetched = fetch(snapshot.requested_url)
    except FetchError as error:
        services.finish_snapshot(snapshot_id=snapshot_id, error=error)
        return error.code
    except Exception:
        # Never left "fetching" for ever: the snapshot says it failed, the task's result keeps
        # the traceback.
        services.finish_snapshot(snapshot_id=snapshot_id, error=UNEXPECTED_FAILURE)
        raise
    services.finish_snapshot(snapshot_id=snapshot_id, fetched=fetched)
    return "archived"
