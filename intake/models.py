"""How an article came in: the address, file or text it was made from, the original as it was
fetched (the exact bytes, their SHA-256, the final address, the HTTP status, the time), what was
extracted from it, and the article the desk saved from it."""

from django.conf import settings
from django.db import models

from claims.models import Article
from common.stored_copy import StoredCopy
from common.writes import ServiceWritten


class IntakeKind(models.TextChoices):
    ADDRESS = "address", "From a web address"
    UPLOAD = "upload", "From an uploaded HTML file"
    PASTE = "paste", "From pasted text"


class IntakeStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the background worker"
    FETCHING = "fetching", "Fetching and extracting"
    READY = "ready", "Ready for the desk to check"
    FAILED = "failed", "Failed"
    SAVED = "saved", "Saved as an article"


class ArticleIntakeQuerySet(models.QuerySet):
    def originals(self):
        """The intakes articles were saved from: each article's kept original."""
        return self.filter(status=IntakeStatus.SAVED)


class ArticleIntake(ServiceWritten, StoredCopy):
    """One way in for an article. An address is fetched by the background worker
    (``intake.tasks.fetch_article``); a file or a text is read at once. Either way the desk
    checks the extracted fields in a pre-filled article form and saves it, and the intake keeps
    the original with the article (``intake.services``)."""

    kind = models.CharField(max_length=10, choices=IntakeKind.choices)
    status = models.CharField(
        max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.QUEUED
    )
    error = models.TextField(blank=True, help_text="Why it failed, in a sentence.")
    filename = models.CharField(max_length=255, blank=True, help_text="An uploaded file's name.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    # What was extracted (trafilatura), as the desk is first shown it.
    headline = models.CharField(max_length=500, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    host = models.CharField(max_length=255, blank=True)
    language = models.CharField(
        max_length=35, blank=True, help_text="As the page declares it (en, en-GB, fr)."
    )
    canonical_url = models.URLField("canonical address", max_length=2000, blank=True)
    text = models.TextField(blank=True)
    text_sha256 = models.CharField(
        "text SHA-256",
        max_length=64,
        blank=True,
        db_index=True,
        help_text="Of the extracted text, white space runs counted as one: how a second copy "
        "of the same article is recognised.",
    )

    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, null=True, blank=True, related_name="intakes"
    )
    saved_at = models.DateTimeField(null=True, blank=True)

    objects = ArticleIntakeQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "article intake"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=IntakeKind.values), name="intake_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=IntakeStatus.values), name="intake_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=IntakeStatus.FAILED) | ~models.Q(error=""),
                name="intake_failure_has_reason",
                violation_error_message="A failed intake says why it failed.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=IntakeStatus.SAVED)
                | models.Q(article__isnull=False, saved_at__isnull=False),
                name="intake_saved_has_article",
                violation_error_message="A saved intake names the article saved from it.",
            ),
            # One original an article: the intake it was saved from.
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(status=IntakeStatus.SAVED),
                name="intake_one_original_per_article",
                violation_error_message="This article already keeps its original.",
            ),
        ]

    def __str__(self) -> str:
        what = self.headline or self.requested_url or self.filename or "pasted text"
        return f"{self.get_kind_display()}: {what}"

    @property
    def pending(self) -> bool:
        return self.status in (IntakeStatus.QUEUED, IntakeStatus.FETCHING)

    @property
    def has_copy(self) -> bool:
        return bool(self.sha256)

    def copy_description(self) -> str:
        """ "fetched 2026-12-01 14:02 UTC, SHA-256 ab12…, 48 kB" (what the desk reads of it)."""
        if self.kind == IntakeKind.ADDRESS:
            when = f"fetched {self.fetched_at:%Y-%m-%d %H:%M} UTC" if self.fetched_at else "fetched"
        elif self.kind == IntakeKind.UPLOAD:
            when = f"uploaded {self.requested_at:%Y-%m-%d %H:%M} UTC"
        else:
            when = f"pasted {self.requested_at:%Y-%m-%d %H:%M} UTC"
        return f"{when}, SHA-256 {self.short_sha256}, {self.size_label}"
