"""Background tasks of matching: run by the worker process, never in a request."""

from django_tasks import task

from common.fetch import UNEXPECTED_FAILURE, FetchError, fetch

from . import services

# A fact-check page is HTML; its markup is in the first few megabytes.
MAX_PAGE_BYTES = 5 * 1024 * 1024


@task(queue_name="fetch")
def import_fact_check_page(import_id: int) -> str:
    """Fetch a requested fact-check page and import the ClaimReviews marked up in it."""
    from .models import FactCheckImport, ImportStatus

    request = FactCheckImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).first()
    if request is None:
        return "not waiting"
    try:
        fetched = fetch(request.url, max_bytes=MAX_PAGE_BYTES)
    except FetchError as error:
        services.finish_import(import_id=import_id, error=str(error))
        return error.code
    except Exception:
        services.finish_import(import_id=import_id, error=UNEXPECTED_FAILURE)
        raise
    done = services.finish_import(import_id=import_id, fetched=fetched)
    return done.status if done else "not waiting"
