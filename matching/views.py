"""The claim form's "said before" box: what the desk and other desks have checked that is most
like the claim being written (js/claim_similar.js asks; the desk's admin only)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import reverse

from claims.permissions import may_change_claims

from .engine import CLAIM, similar

SHOWN = 8
MAX_TEXT_CHARS = 5000


def _claim_row(claim) -> dict:
    return {
        "kind": "claim",
        "id": claim.pk,
        "text": claim.wording,
        "state": claim.get_state_display(),
        "verdict_date": claim.published_at.date().isoformat() if claim.published_at else "",
        "article": claim.article.headline,
        "url": reverse("admin:claims_claim_change", args=[claim.pk]),
    }


def _external_row(check) -> dict:
    return {
        "kind": "external",
        "id": check.pk,
        "text": check.claim_reviewed,
        "checked_by": check.checked_by,
        "url": check.url,
    }


def similar_view(request):
    """GET ``?text=&exclude=``: the claims (of every article) and external fact-checks most
    similar to ``text`` (the form's wording and quote), best first, as JSON ``results``."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if not may_change_claims(request.user):
        raise PermissionDenied
    text = request.GET.get("text", "")[:MAX_TEXT_CHARS]
    exclude = request.GET.get("exclude", "")
    excluded = [(CLAIM, int(exclude))] if exclude.isascii() and exclude.isdigit() else []
    matches = similar(text, limit=SHOWN, exclude=excluded)
    return JsonResponse(
        {
            "results": [
                _claim_row(m.obj) if m.kind == CLAIM else _external_row(m.obj) for m in matches
            ]
        }
    )
