"""The one write of suggestions: dismissing a suggested sentence (the other way out of the list,
accepting it, is making a claim: claims.services.create_claim through the article's claim
panel)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from claims.models import Article
from claims.permissions import may_change_claims
from common.writes import service

from .models import DismissedSuggestion, text_hash
from .sentences import split_sentences


@service
@transaction.atomic
def dismiss_suggestion(*, article: Article, start: int, end: int, author) -> DismissedSuggestion:
    """Remember that ``author`` judged the sentence at ``start``–``end`` of the article's text
    not worth a claim. The span must be a sentence of the text as it stands; dismissing one
    already dismissed returns the first dismissal (who and when stay the first person's)."""
    if not may_change_claims(author):
        raise PermissionDenied("You do not have permission to decide what the desk checks.")
    sentence = next(
        (s for s in split_sentences(article.text) if (s.start, s.end) == (start, end)), None
    )
    if sentence is None:
        raise ValidationError(
            "That is not a sentence of the article's text as it stands: reload the page, the "
            "text may have changed.",
            code="not_a_sentence",
        )
    dismissal, _ = DismissedSuggestion.objects.get_or_create(
        article=article,
        text_hash=text_hash(sentence.text),
        defaults={"start": start, "end": end, "dismissed_by": author},
    )
    return dismissal
