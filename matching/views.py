"""The claim form's "said before" box: what the desk and other desks have checked that is most
like the claim being written (js/claim_similar.js asks; the desk's admin only)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from claims.models import Claim
from claims.permissions import may_change_claims
from claims.services import ConflictError

from . import services
from .engine import CLAIM, EXTERNAL, similar
from .models import ClaimLink, ExternalFactCheck, FactCheckLink
from .selectors import links_of

SHOWN = 8
MAX_TEXT_CHARS = 5000


def _claim_row(claim, linked=frozenset()) -> dict:
    return {
        "linked": (CLAIM, claim.pk) in linked,
        "kind": "claim",
        "id": claim.pk,
        "text": claim.wording,
        "state": claim.get_state_display(),
        "verdict_date": claim.published_at.date().isoformat() if claim.published_at else "",
        "article": claim.article.headline,
        "url": reverse("admin:claims_claim_change", args=[claim.pk]),
    }


def _external_row(check, linked=frozenset()) -> dict:
    return {
        "linked": (EXTERNAL, check.pk) in linked,
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
    linked = links_of(excluded[0][1]).keys() if excluded else frozenset()
    return JsonResponse(
        {
            "results": [
                _claim_row(m.obj, linked) if m.kind == CLAIM else _external_row(m.obj, linked)
                for m in matches
            ]
        }
    )


def _refusal(error) -> JsonResponse:
    if isinstance(error, PermissionDenied):
        return JsonResponse({"error": str(error) or "You may not change this claim."}, status=403)
    return JsonResponse({"error": " ".join(getattr(error, "messages", [str(error)]))}, status=400)


def _target(request):
    """The claim or fact-check a POST names with ``kind`` and ``id``."""
    kind, target_id = request.POST.get("kind"), request.POST.get("id", "")
    if not (target_id.isascii() and target_id.isdigit()) or kind not in (CLAIM, EXTERNAL):
        raise ValidationError("Name a claim or a fact-check to link.")
    model = Claim if kind == CLAIM else ExternalFactCheck
    target = model.objects.filter(pk=int(target_id)).first()
    if target is None:
        raise ValidationError("That claim or fact-check no longer exists.")
    return kind, target


@require_POST
def link_view(request, pk):
    """POST ``kind`` (claim or external) and ``id``: this claim is the same claim as that one
    (js/claim_similar.js, so the claim form around the box is neither sent nor lost)."""
    claim = get_object_or_404(Claim, pk=pk)
    try:
        kind, target = _target(request)
        if kind == CLAIM:
            services.link_same_claim(claim=claim, other=target, author=request.user)
        else:
            services.link_fact_check(claim=claim, fact_check=target, author=request.user)
    except (ValidationError, PermissionDenied) as error:
        return _refusal(error)
    return JsonResponse({"linked": True, "message": "Linked as the same claim."})


@require_POST
def cite_view(request, pk):
    """POST ``kind``, ``id`` and the form's ``version``: cite the linked claim's or fact-check's
    verdict as evidence. Answers the claim's new version, which the form then saves from."""
    claim = get_object_or_404(Claim, pk=pk)
    version = request.POST.get("version", "")
    expected = int(version) if version.isascii() and version.isdigit() else None
    try:
        kind, target = _target(request)
        if kind == CLAIM:
            services.cite_linked_claim(
                claim=claim, other=target, author=request.user, expected_version=expected
            )
        else:
            services.cite_fact_check(
                claim=claim, fact_check=target, author=request.user, expected_version=expected
            )
    except ConflictError as error:
        return JsonResponse({"error": str(error)}, status=409)
    except (ValidationError, PermissionDenied) as error:
        return _refusal(error)
    claim.refresh_from_db(fields=["version"])
    return JsonResponse(
        {
            "version": claim.version,
            "message": "Cited as evidence (context). It is listed under Evidence when the page "
            "is next opened.",
        }
    )


def unlink_view(request, pk, kind, link_id):
    """A confirmation page (its own form, so never inside the claim form) that takes back a
    "same claim as" link, then back to the claim."""
    claim = get_object_or_404(Claim, pk=pk)
    if kind == CLAIM:
        link = get_object_or_404(ClaimLink.objects.select_related("claim_a", "claim_b"), pk=link_id)
        if pk not in (link.claim_a_id, link.claim_b_id):
            raise Http404("This link is not on this claim.")
        other = link.claim_b if link.claim_a_id == pk else link.claim_a
        described = f"claim #{other.pk}: “{other.wording}”"
    elif kind == EXTERNAL:
        link = get_object_or_404(FactCheckLink.objects.select_related("fact_check"), pk=link_id)
        if link.claim_id != pk:
            raise Http404("This link is not on this claim.")
        described = f"“{link.fact_check.claim_reviewed}”, {link.fact_check.checked_by}"
    else:
        raise Http404("There is no such link.")
    if not may_change_claims(request.user):
        raise PermissionDenied
    back = reverse("admin:claims_claim_change", args=[pk])
    if request.method == "POST":
        try:
            if kind == CLAIM:
                services.unlink_same_claim(link=link, author=request.user)
            else:
                services.unlink_fact_check(link=link, author=request.user)
        except PermissionDenied as error:
            return _refusal(error)
        messages.success(request, f"No longer linked as the same claim as {described}.")
        return redirect(back)
    return TemplateResponse(
        request,
        "admin/matching/unlink.html",
        {
            **admin.site.each_context(request),
            "title": "Remove the “same claim” link?",
            "claim": claim,
            "described": described,
            "back": back,
            "opts": Claim._meta,
        },
    )
