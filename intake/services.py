"""Writes of intake: one function per thing the desk (or the worker acting for it) does.

An address is fetched by the background worker (``intake.tasks.fetch_article`` calls
:func:`start_fetch`, fetches with ``common.fetch``, extracts, then :func:`finish_fetch`); an
uploaded file or a pasted text is read at once. The article itself is saved by the claims
service (``claims.services.save_article``), with the intake kept as its original, in one
transaction.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims import services as claims_services
from claims.models import Article
from common.fetch import Fetched, FetchError, check_url, size_label
from common.writes import service
from sources.models import Outlet
from sources.services import save_outlet

from .extraction import Extraction, ExtractionError, extract
from .models import ArticleIntake, IntakeKind, IntakeStatus
from .selectors import existing_article

ADD_ARTICLE = "claims.add_article"
HTML_FILE_TYPE = "text/html"


def _require(author, permission: str, doing: str) -> None:
    if author is None or not author.is_active or not author.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {doing}.")


def _max_bytes() -> int:
    return int(getattr(settings, "FETCH_MAX_BYTES", 5 * 1024 * 1024))


def _keep_extraction(intake: ArticleIntake, extraction: Extraction) -> None:
    for name in (
        "headline",
        "byline",
        "published_on",
        "site_name",
        "host",
        "language",
        "canonical_url",
        "text",
    ):
        setattr(intake, name, getattr(extraction, name))
    intake.text_sha256 = extraction.text_sha256
    intake.status = IntakeStatus.READY
    intake.error = ""


def _save(intake: ArticleIntake) -> ArticleIntake:
    intake.full_clean(exclude=["requested_by", "article"])
    intake.save()
    return intake


@service
@transaction.atomic
def request_from_address(*, url: str, author) -> ArticleIntake:
    """ "New article from a web address": an intake the background worker fetches. An address
    the fetcher would never ask for (another scheme, a port, credentials) is refused here, with
    its sentence, before anything waits for the worker."""
    _require(author, ADD_ARTICLE, "add articles")
    url = (url or "").strip()
    try:
        check_url(url)
    except FetchError as error:
        raise ValidationError({"url": str(error)}) from error
    intake = _save(ArticleIntake(kind=IntakeKind.ADDRESS, requested_url=url, requested_by=author))
    from .tasks import fetch_article  # the task module calls these services

    fetch_article.enqueue(intake.pk)
    return intake


@service
@transaction.atomic
def read_uploaded_page(*, content: bytes, filename: str, author) -> ArticleIntake:
    """An HTML file the desk saved from a browser (a page behind a paywall or a sign-in): kept
    byte for byte, and read at once."""
    _require(author, ADD_ARTICLE, "add articles")
    if len(content) > _max_bytes():
        raise ValidationError({"file": f"The file is over {size_label(_max_bytes())}."})
    if not content.strip():
        raise ValidationError({"file": "The file is empty."})
    intake = ArticleIntake(kind=IntakeKind.UPLOAD, filename=filename[:255], requested_by=author)
    intake.keep_bytes(content, HTML_FILE_TYPE)
    try:
        extraction = extract(content, media_type=HTML_FILE_TYPE)
    except ExtractionError as error:
        raise ValidationError({"file": str(error)}) from error
    _keep_extraction(intake, extraction)
    return _save(intake)


@service
@transaction.atomic
def read_pasted_text(*, text: str, author) -> ArticleIntake:
    """An article's text pasted as it is: kept as given, for the desk to add its headline and
    the rest."""
    _require(author, ADD_ARTICLE, "add articles")
    content = (text or "").encode()
    if len(content) > _max_bytes():
        raise ValidationError({"text": f"The text is over {size_label(_max_bytes())}."})
    try:
        extraction = extract(content, media_type="text/plain", charset="utf-8")
    except ExtractionError as error:
        raise ValidationError({"text": str(error)}) from error
    intake = ArticleIntake(kind=IntakeKind.PASTE, requested_by=author)
    intake.keep_bytes(content, "text/plain; charset=utf-8")
    _keep_extraction(intake, extraction)
    return _save(intake)


@service
@transaction.atomic
def start_fetch(*, intake_id: int) -> ArticleIntake | None:
    """The worker takes a waiting intake (None when it is no longer waiting)."""
    intake = ArticleIntake.objects.select_for_update().filter(pk=intake_id).first()
    if intake is None or intake.status != IntakeStatus.QUEUED:
        return None
    intake.status = IntakeStatus.FETCHING
    return _save(intake)


@service
@transaction.atomic
def finish_fetch(
    *,
    intake_id: int,
    fetched: Fetched | None = None,
    extraction: Extraction | None = None,
    error: Exception | str | None = None,
) -> ArticleIntake | None:
    """Keep what the worker got: the original (whenever a page came back, even one with no
    article in it, so the desk can see what the site sent), the extracted fields, or why it
    failed."""
    intake = ArticleIntake.objects.select_for_update().filter(pk=intake_id).first()
    if intake is None or intake.status != IntakeStatus.FETCHING:
        return None
    if fetched is not None:
        intake.keep_fetched(fetched)
    if extraction is not None and error is None:
        _keep_extraction(intake, extraction)
    else:
        intake.status, intake.error = IntakeStatus.FAILED, str(error or "")
    return _save(intake)


@service
@transaction.atomic
def save_article_from_intake(
    *,
    intake: ArticleIntake,
    article: Article,
    author,
    language: str = "",
    new_outlet: Outlet | None = None,
) -> Article:
    """The desk checked the pre-filled form: save the article (``claims.services.save_article``,
    which checks its permission and every field), the new outlet first when one was offered and
    kept, and the intake as the article's original. An article already in the tracker is found
    and named, not saved twice."""
    _require(author, ADD_ARTICLE, "add articles")
    intake = ArticleIntake.objects.select_for_update().get(pk=intake.pk)
    if intake.status != IntakeStatus.READY:
        raise ValidationError(
            "This intake was already saved as an article."
            if intake.status == IntakeStatus.SAVED
            else "This intake has no article to save yet."
        )
    duplicate = existing_article(intake, text=article.text, url=article.url)
    if duplicate is not None:
        raise ValidationError(
            f"This article is already in the tracker: “{duplicate.headline}”. Open it instead "
            "of saving a second copy."
        )
    if new_outlet is not None:
        article.outlet = save_outlet(outlet=new_outlet, author=author)
    claims_services.save_article(article=article, author=author)
    intake.article, intake.saved_at = article, timezone.now()
    intake.status, intake.language = IntakeStatus.SAVED, language
    _save(intake)
    return article
