"""Other desks' published fact-checks, imported from their ClaimReview, matched like the desk's
own claims (``matching.engine``) and citable as evidence."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from common.writes import ServiceWritten


class ImportedFrom(models.TextChoices):
    ADDRESS = "address", "A fact-check page's address"
    FILE = "file", "A saved HTML page"
    FEED = "feed", "A ClaimReview DataFeed file"
    EVALUATION = "evaluation", "An evaluation data set (never kept)"


class ExternalFactCheck(ServiceWritten, models.Model):
    """One ClaimReview published by another desk: the claim it reviewed, its rating and who
    rated it when, where it was read from and the SHA-256 of the bytes it was read from."""

    claim_reviewed = models.TextField(help_text="The claim as the other desk worded it.")
    title = models.CharField(
        max_length=500, blank=True, help_text="The fact-check's headline, when it has one."
    )
    rating_name = models.CharField(
        max_length=200, blank=True, help_text="The rating in words (its alternateName or name)."
    )
    rating_value = models.FloatField(
        null=True, blank=True, help_text="The rating's number on the publisher's scale, if any."
    )
    best_rating = models.FloatField(null=True, blank=True)
    worst_rating = models.FloatField(null=True, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    reviewed_on = models.DateField(null=True, blank=True, help_text="The review's date.")
    url = models.URLField("address", max_length=2000, blank=True)
    language = models.CharField(max_length=35, blank=True)
    imported_from = models.CharField(max_length=12, choices=ImportedFrom.choices)
    sha256 = models.CharField(
        "SHA-256", max_length=64, blank=True, help_text="Of the fetched or uploaded bytes."
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "external fact-check"
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            # One record per reviewed claim at an address: importing the same page again
            # updates it rather than doubling its matches.
            models.UniqueConstraint(
                fields=["url", "claim_reviewed"],
                condition=~Q(url=""),
                name="external_fact_check_once_per_address",
            ),
            models.CheckConstraint(
                condition=~Q(claim_reviewed=""), name="external_fact_check_has_claim"
            ),
        ]

    def __str__(self):
        return self.claim_reviewed[:120]

    @property
    def checked_by(self) -> str:
        """How the desk is shown it: "checked by <publisher> on <date>: <rating>"."""
        who = self.publisher or "another desk"
        when = f" on {self.reviewed_on:%-d %B %Y}" if self.reviewed_on else ""
        rating = self.rating_name or (
            f"{self.rating_value:g}" if self.rating_value is not None else "no rating"
        )
        return f"checked by {who}{when}: {rating}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the background worker"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed"


class FactCheckImport(ServiceWritten, models.Model):
    """A fact-check page's address the desk asked to import: fetched by the background worker
    (``matching.tasks.import_fact_check_page``), with what came of it in a sentence."""

    url = models.URLField("address", max_length=2000)
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    outcome = models.TextField(blank=True, help_text="What was imported, or why it failed.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    fact_checks = models.ManyToManyField(ExternalFactCheck, blank=True, related_name="+")

    class Meta:
        verbose_name = "fact-check import"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return self.url


class ClaimLink(ServiceWritten, models.Model):
    """Two desk claims that say the same thing, kept once for both (the lower id first, so the
    database refuses a link to itself and the same pair twice in either order)."""

    claim_a = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="+")
    claim_b = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "same-claim link"
        constraints = [
            models.CheckConstraint(
                condition=Q(claim_a__lt=models.F("claim_b")), name="claim_link_ordered_not_self"
            ),
            models.UniqueConstraint(fields=["claim_a", "claim_b"], name="claim_link_once"),
        ]

    def __str__(self):
        return f"Claim #{self.claim_a_id} is the same claim as #{self.claim_b_id}"


class FactCheckLink(ServiceWritten, models.Model):
    """A desk claim that says the same as another desk's fact-check."""

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="+")
    fact_check = models.ForeignKey(ExternalFactCheck, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "same-claim link to a fact-check"
        constraints = [
            models.UniqueConstraint(fields=["claim", "fact_check"], name="fact_check_link_once")
        ]

    def __str__(self):
        return f"Claim #{self.claim_id} is the same claim as fact-check #{self.fact_check_id}"
