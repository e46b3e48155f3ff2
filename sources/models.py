"""Outlets and sources, with their provenance.

A source may rest on other sources (``derived_from``): Reuters' report on the leaked letter rests on
the letter and on Reuters' own officials. The provenance graph is what lets the tracker tell two
independent confirmations from one wire story reprinted twice.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length, Lower
from simple_history.models import HistoricalRecords

from common.constraints import ConstraintErrorsOnFields
from common.stored_copy import StoredCopy
from common.writes import ServiceWritten

from .fields import WebAddressField, web_address_constraint


class OutletKind(models.TextChoices):
    NEWS_AGENCY = "news_agency", "News agency"
    NEWSPAPER = "newspaper", "Newspaper or magazine"
    BROADCASTER = "broadcaster", "Broadcaster"
    ONLINE = "online", "Online publication"
    GOVERNMENT = "government", "Government body"
    MILITARY = "military", "Military command"
    LEGISLATURE = "legislature", "Parliament or legislature"
    INTERNATIONAL = "international", "International organisation"
    OTHER = "other", "Other"


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news_report", "News report"
    OFFICIAL_STATEMENT = "official_statement", "Official statement"
    PRESS_BRIEFING = "press_briefing", "Press briefing or remarks"
    DOCUMENT = "document", "Document"
    OFFICIAL_RECORD = "official_record", "Official record"
    SOCIAL_MEDIA = "social_media", "Social-media post"
    DATASET = "dataset", "Dataset"
    FACT_CHECK = "fact_check", "Fact-check"
    UNNAMED_HUMAN = "unnamed_human", "Unnamed human source"
    OTHER = "other", "Other"

    @property
    def is_primary(self) -> bool:
        """Kinds that are themselves the thing said or done, not a report of it."""
        return self in PRIMARY_SOURCE_KINDS


PRIMARY_SOURCE_KINDS = frozenset(
    {
        SourceKind.OFFICIAL_STATEMENT,
        SourceKind.PRESS_BRIEFING,
        SourceKind.DOCUMENT,
        SourceKind.OFFICIAL_RECORD,
        SourceKind.DATASET,
    }
)


class Outlet(ServiceWritten, ConstraintErrorsOnFields, models.Model):
    constraint_error_fields = {"outlet_name_unique_ci": "name"}

    name = models.CharField(
        max_length=200,
        help_text="As the outlet names itself: “Reuters”, “U.S. Department of Defense”.",
    )
    kind = models.CharField(max_length=20, choices=OutletKind.choices, default=OutletKind.OTHER)
    homepage = WebAddressField(blank=True, help_text="http or https only.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="outlet_name_unique_ci",
                violation_error_message="An outlet with this name already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OutletKind.values), name="outlet_kind_valid"
            ),
            web_address_constraint("homepage", name="outlet_homepage_http"),
        ]

    def __str__(self) -> str:
        return self.name


class Source(ServiceWritten, models.Model):
    title = models.CharField(
        max_length=500,
        help_text="The headline, document title or a short description (“Four people involved in U.S. counter-terrorism planning”).",
    )
    kind = models.CharField(
        max_length=30, choices=SourceKind.choices, default=SourceKind.NEWS_REPORT
    )
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text="Who published it. Leave empty for a document or a person with no publisher.",
    )
    author = models.CharField(
        "author or speaker", max_length=300, blank=True, help_text="Byline, speaker or signatory."
    )
    url = WebAddressField(
        "web address",
        blank=True,
        help_text="The page's own address, http or https only. Leave empty when no public address is known: never guess one.",
    )
    archived_url = WebAddressField(
        "archived copy", blank=True, help_text="An archive copy (for example on web.archive.org)."
    )
    published_on = models.DateField(null=True, blank=True)
    accessed_on = models.DateField(
        null=True, blank=True, help_text="When a fact-checker last read it."
    )
    on_record = models.BooleanField(
        "on the record",
        default=True,
        help_text="Untick for unnamed or anonymous sources: they count, but never alone for “confirmed”.",
    )
    notes = models.TextField(
        blank=True, help_text="What the source says that matters, and its caveats."
    )
    derived_from = models.ManyToManyField(
        "self",
        through="Provenance",
        through_fields=("source", "rests_on"),
        symmetrical=False,
        related_name="derivatives",
        blank=True,
        help_text="The sources this one rests on: a wire report on the document it quotes.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["outlet", "published_on"], name="source_outlet_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            web_address_constraint("url", name="source_url_http"),
            web_address_constraint("archived_url", name="source_archived_url_http"),
            models.CheckConstraint(
                condition=models.Q(accessed_on__isnull=True)
                | models.Q(published_on__isnull=True)
                | models.Q(accessed_on__gte=models.F("published_on")),
                name="source_accessed_after_published",
                violation_error_message="A source cannot have been read before it was published.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.outlet})" if self.outlet_id else self.title

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            # Every source is its own ancestor at depth 0 in the closure table, so that a page's
            # cited sources and their lineages come back from one join.
            SourceAncestor.objects.get_or_create(source=self, ancestor=self, defaults={"depth": 0})

    def clean(self):
        super().clean()
        if self.accessed_on and self.published_on and self.accessed_on < self.published_on:
            raise ValidationError(
                {"accessed_on": "A source cannot have been read before it was published."}
            )


class Provenance(ServiceWritten, models.Model):
    """One edge of the provenance graph: ``source`` rests on ``rests_on``."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="provenance")
    rests_on = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A source this one quotes, relays or is based on.",
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="How it rests on it: “quotes the letter in full”."
    )

    class Meta:
        verbose_name = "provenance link"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "rests_on"],
                name="provenance_unique_edge",
                violation_error_message="This source is already recorded as resting on that one.",
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("rests_on")),
                name="provenance_not_self",
                violation_error_message="A source cannot rest on itself.",
            ),
        ]

    def __str__(self) -> str:
        # Shown above each row of the source's provenance inline, where the source is the page's.
        return f"Rests on “{self.rests_on.title}”"


class SourceAncestor(models.Model):
    """The provenance closure table: one row for every source and every source it rests on,
    directly or through others, with the length of the shortest path between them (and a row of
    depth 0 for the source itself).

    Kept up to date by ``sources.services`` in the same transaction as every change of
    ``derived_from``; ``manage.py rebuild_provenance`` rebuilds it from the links. Reading the
    origins or the lines of reporting of any number of sources is then a join, never a walk.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="ancestry")
    ancestor = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "provenance closure row"
        constraints = [
            models.UniqueConstraint(fields=["source", "ancestor"], name="ancestry_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(depth=0, source=models.F("ancestor"))
                | (models.Q(depth__gt=0) & ~models.Q(source=models.F("ancestor"))),
                name="ancestry_depth_zero_is_self",
            ),
        ]
        # The descendants of a source (what a change of its provenance affects).
        indexes = [models.Index(fields=["ancestor", "source"], name="ancestry_ancestor_idx")]

    def __str__(self) -> str:
        return f"{self.source_id} rests on {self.ancestor_id} at depth {self.depth}"


class SnapshotStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the background worker"
    FETCHING = "fetching", "Fetching"
    ARCHIVED = "archived", "Archived"
    FAILED = "failed", "Failed"


class SourceSnapshot(ServiceWritten, StoredCopy):
    """A dated copy of a source's page as the tracker fetched it: the exact bytes, their SHA-256,
    the HTTP status, the final address and the time. A source gathers several over time; an
    archived snapshot is never written again (``sources.services`` moves a snapshot from queued
    to fetching to archived or failed, once). A failed attempt is kept, with its reason."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="snapshots")
    status = models.CharField(
        max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.QUEUED
    )
    error = models.TextField(blank=True, help_text="Why the fetch failed, in a sentence.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        get_latest_by = "requested_at"
        indexes = [
            models.Index(fields=["source", "status", "-fetched_at"], name="snapshot_source_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=SnapshotStatus.values), name="snapshot_status_valid"
            ),
            # An archived snapshot has its copy: its SHA-256 (64 characters) and its time.
            models.CheckConstraint(
                condition=~models.Q(status=SnapshotStatus.ARCHIVED)
                | (
                    models.Q(models.lookups.Exact(Length("sha256"), 64))
                    & models.Q(fetched_at__isnull=False)
                ),
                name="snapshot_archived_has_copy",
                violation_error_message="An archived snapshot keeps its bytes, hash and time.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=SnapshotStatus.FAILED) | ~models.Q(error=""),
                name="snapshot_failure_has_reason",
                violation_error_message="A failed snapshot says why it failed.",
            ),
        ]

    def __str__(self) -> str:
        when = self.fetched_at or self.requested_at
        return f"Snapshot of {when:%d %b %Y, %H:%M} UTC" if when else "Snapshot"

    @property
    def done(self) -> bool:
        return self.status in (SnapshotStatus.ARCHIVED, SnapshotStatus.FAILED)
