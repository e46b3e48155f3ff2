"""Background tasks of intake: run by the worker process (``manage.py db_worker``), never in a
request."""

from django_tasks import task

from common.fetch import UNEXPECTED_FAILURE, FetchError, fetch

from . import services
from .extraction import ExtractionError, extract


@task(queue_name="fetch")
def fetch_article(intake_id: int) -> str:
    """Fetch a waiting intake's address, keep the original and extract the article from it."""
    intake = services.start_fetch(intake_id=intake_id)
    if intake is None:
        return "not waiting"
    fetched = None
    try:
        fetched = fetch(intake.requested_url)
        extraction = extract(
            fetched.body,
            media_type=fetched.media_type,
            charset=fetched.charset,
            url=fetched.final_url,
        )
    except (FetchError, ExtractionError) as error:
        services.finish_fetch(intake_id=intake_id, fetched=fetched, error=error)
        return getattr(error, "code", "no_article")
    except Exception:
        # Never left "fetching" for ever: the intake says it failed, the task's result keeps
        # the traceback.
        services.finish_fetch(intake_id=intake_id, fetched=fetched, error=UNEXPECTED_FAILURE)
        raise
    services.finish_fetch(intake_id=intake_id, fetched=fetched, extraction=extraction)
    return "ready"
