import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from common.writes import ServiceWritten


def text_hash(text: str) -> str:
    """The SHA-256 of a sentence's text: a dismissal holds for that sentence wherever it stands
    in the article after an edit, and not for a sentence that was reworded."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DismissedSuggestion(ServiceWritten, models.Model):
    """A suggested sentence a fact-checker judged not worth a claim: it is not suggested again
    for its article (suggestions.services.dismiss_suggestion writes it)."""

    article = models.ForeignKey(
        "claims.Article", on_delete=models.CASCADE, related_name="dismissed_suggestions"
    )
    start = models.PositiveIntegerField(help_text="Where the sentence began, in code points.")
    end = models.PositiveIntegerField()
    text_hash = models.CharField(max_length=64, help_text="SHA-256 of the sentence's text.")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-dismissed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="dismissed_suggestion_not_empty"
            ),
            models.UniqueConstraint(
                fields=["article", "text_hash"], name="dismissed_suggestion_once_per_article"
            ),
        ]

    def __str__(self) -> str:
        return f"Sentence at {self.start}–{self.end} of article #{self.article_id}"
