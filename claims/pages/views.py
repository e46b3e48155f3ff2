"""The verification status pages: the dashboard, an article with its claims marked, a claim.

Thin views: what a person may see is scoped by ``Claim.objects.visible_to`` (through
claims.selectors, which also does every read); the one write, an editor's review step, goes
through claims.services. Anonymous visitors see published verdicts only; staff see drafts and
review states.
"""

import orjson
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims import selectors, services
from claims.claimreview import claim_review, has_claim_review
from claims.models import Article, Claim, ConfirmationState, PublicArticle, PublicClaim, PublicSlug
from claims.pages import objects
from claims.permissions import ClaimPermissions, is_editor
from claims.public import memory, reads
from claims.visibility import is_desk_member, public_claim, visible_sources
from common.stored_copy import stored_copy_response
from sources.models import SnapshotStatus, SourceSnapshot

# ---------------------------------------------------------------------------------------------
# The dashboard


class DashboardForm(forms.Form):
    """The dashboard's filters, from the query string; a value that makes no sense is dropped."""

    q = forms.CharField(required=False, max_length=200, strip=True)
    state = forms.ChoiceField(
        required=False, choices=[("", "Any state"), *ConfirmationState.choices]
    )
    outlet = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)  # an id
    needs_review = forms.BooleanField(required=False)
    # The claim search (its own box): published claims by what they say, not articles.
    said = forms.CharField(required=False, max_length=200, strip=True)

    def claim_search(self) -> str:
        return (self.cleaned_data.get("said") or "") if self.is_valid() else ""

    def filters(self, *, desk: bool) -> selectors.DashboardFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.DashboardFilters(
            state=data.get("state") or "",
            needs_review=bool(desk and data.get("needs_review")),
            outlet=data.get("outlet"),
            query=data.get("q") or "",
        )


@require_GET
def dashboard(request):
    """Every article with its verification progress, newest activity first, 25 a page.

    Queries: the count of the matching articles, the page's articles in order of activity,
    their claims counted by state, the totals and the outlets for the filter: five, whatever
    the number of articles; a claim search (``said``) adds its ranking and its rows
    (selectors.published_claims_like). Everyone's claim search reads the published claims.
    """
    desk = selectors.is_desk_member(request.user)
    form = DashboardForm(request.GET)
    filters = form.filters(desk=desk)
    said = form.claim_search()
    page = objects.dashboard_page(request.user, filters, request.GET.get("page"))
    return render(
        request,
        "claims/dashboard.html",
        {
            "desk": desk,
            "filters": filters,
            "page": page,
            "rows": page.object_list,
            "outlets": selectors.dashboard_outlets(request.user),
            "totals": selectors.claim_totals(request.user),
            "states": ConfirmationState,
            "said": said,
            "claim_matches": selectors.published_claims_like(said) if said else [],
        },
    )


# ---------------------------------------------------------------------------------------------
# The article page


@require_GET
def article_detail(request, slug):
    """The article's text with each visible claim marked, the legend, a chart of the states and
    every claim with its evidence. Four queries (article, claims, evidence, provenance)."""
    if not is_desk_member(request.user):
        return _public_article(request, slug)
    try:
        page = objects.article_page(request.user, slug)
    except Article.DoesNotExist:
        raise Http404("No such article, or none of its verdicts is published yet.") from None
    return render(request, "claims/article.html", {"page": page, "desk": page.desk})


# What a stored public page is served from (templates/claims/public_page.html): only these
# columns are read, not the row's API representation beside them (a third of the query's time).
PAGE_COLUMNS = ("page_title", "page_description", "page_content")


def _kept(build):
    """A signed-out reader's page, or the same page this process answered for the same
    generation of the read model and address (claims.public.memory): the same bytes. Only for a
    reader with no session and no messages waiting, whose page is everyone's."""

    def view(request, *args, **kwargs):
        personal = {settings.SESSION_COOKIE_NAME, "messages"} & request.COOKIES.keys()
        key = None if personal else memory.key_for("page", request)
        if key is None:
            return build(request, *args, **kwargs)
        kept = memory.SERVED.get(key)
        if kept is not None:
            return HttpResponse(kept.body, content_type=kept.content_type)
        response = build(request, *args, **kwargs)
        if response.status_code == 200:
            memory.SERVED.keep(key, memory.Kept(response.content, response["Content-Type"], ""))
        return response

    return view


@_kept
def _public_article(request, slug):
    """The signed-out reader's article page, as stored when an editor last approved (one query
    beside the generation ``_kept`` looks up; two for an address the article had before, which
    redirects for good to its public one)."""
    row = PublicArticle.objects.filter(slug=slug).only(*PAGE_COLUMNS).first()
    if row is None:
        moved = PublicSlug.objects.filter(slug=slug).values_list("article_id", flat=True).first()
        now = PublicArticle.objects.filter(pk=moved).values_list("slug", flat=True).first()
        if now is None:
            raise Http404("No such article, or none of its verdicts is published yet.")
        return HttpResponsePermanentRedirect(reverse("claims:article", args=[now]))
    return render(request, "claims/public_page.html", {"row": row, "desk": False})


@_kept
def _public_claim(request, pk: int):
    """The signed-out reader's claim page, as stored when an editor last approved or withdrew
    it, with its ClaimReview in the head (one query beside the generation ``_kept`` looks up)."""
    row = PublicClaim.objects.filter(pk=pk).only(*PAGE_COLUMNS, "in_force", "claimreview").first()
    if row is None:
        raise Http404("No such claim, or its verdict is not published.")
    review = None
    if row.in_force and row.claimreview:
        base_url = request.build_absolute_uri("/")
        review = orjson.loads(reads.claimreview_document(row.pk, row.claimreview, base_url))
    context = {"row": row, "desk": False, "claim_review": review}
    return render(request, "claims/public_page.html", context)


# ---------------------------------------------------------------------------------------------
# The claim page and its review buttons


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("approve", "Approve and publish"),
            ("send_back", "Send back"),
            ("withdraw", "Withdraw"),
        ]
    )
    version = forms.IntegerField(min_value=1)
    comment = forms.CharField(required=False, strip=True, max_length=5000)
    correction = forms.CharField(required=False, strip=True, max_length=5000)
    override_reason = forms.CharField(required=False, strip=True, max_length=5000)
    # The token of the article's pending changes the editor confirmed publishing too.
    article_changes = forms.CharField(required=False, strip=True, max_length=64)


# What the status page's review box says once a step is taken.
DONE = {
    "approve": "is approved and published: the public sees it now.",
    "send_back": "is sent back to its fact-checker: it is a draft again.",
    "withdraw": "is withdrawn: the public reads the withdrawal notice.",
}


def _claim_response(request, pk: int, *, posted: dict | None = None, status: int = 200):
    if not is_desk_member(request.user):
        return _public_claim(request, pk)
    try:
        page = objects.claim_page(request.user, pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim, or its verdict is not published.") from None
    claim = page.claim
    steps = ClaimPermissions(request.user, claim).review_steps() if page.desk else []
    # What approving would publish of the article too, listed beside the approve button.
    article_changes = (
        selectors.pending_article_changes(claim.article_id) if "approve" in steps else []
    )
    # The JSON-LD is always the public version's, whoever reads the page.
    public = claim if not page.desk else (public_claim(claim) if claim.live_version_id else None)
    context = {
        "page": page,
        "claim": claim,
        "desk": page.desk,
        # The editor's steps this page offers (claims.permissions decides; a fact-checker sends
        # a claim to review from its admin page).
        "review_steps": [step for step in steps if step in DONE],
        "posted": posted or {},
        "article_changes": article_changes,
        "article_changes_token": selectors.article_changes_token(article_changes),
        "claim_review": (
            claim_review(public, base_url=request.build_absolute_uri("/"))
            if public is not None and has_claim_review(public)
            else None
        ),
        "snapshot_copies": page.desk or settings.PUBLIC_SNAPSHOTS,
    }
    return render(request, "claims/claim.html", context, status=status)


@require_GET
def snapshot_copy(request, pk):
    """The stored copy of a snapshot of a source the reader may see, in a sandbox (never a live
    page of the app). The public reads it only when ``PUBLIC_SNAPSHOTS`` allows it (a copy of
    someone else's page: copyright); otherwise it sees that the snapshot exists, its date and
    its hash, on the claim's page."""
    if not (settings.PUBLIC_SNAPSHOTS or is_desk_member(request.user)):
        raise Http404("Stored copies are for the desk.")
    snapshot = SourceSnapshot.objects.filter(
        pk=pk,
        status=SnapshotStatus.ARCHIVED,
        source__in=visible_sources(request.user),
    ).first()
    if snapshot is None:
        raise Http404("No such snapshot.")
    name = f"source-{snapshot.source_id}-snapshot-{snapshot.pk}-{snapshot.sha256[:12]}"
    return stored_copy_response(snapshot, name=name, download=False)


@require_GET
def claim_detail(request, pk):
    """One claim: its passage in context, state, rationale, evidence by stance with each
    source's provenance, the independence assessment and the history. Six queries (claim,
    evidence, provenance, and the history's three), plus the reviewer's permissions and, where
    the reviewer may approve, the article's pending changes (one)."""
    return _claim_response(request, pk)


def _refusal(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


@require_POST
def claim_review_action(request, pk):
    """An editor approves (publishes), sends back or withdraws a claim, through the services.

    Anonymous: to the sign-in page. Signed in without the editors' permission: 403. A refusal
    (a missing comment or reason, a stale version, a claim no longer in review) is shown on the
    claim's page with what was typed kept, never a server error.
    """
    claim_url = reverse("claims:claim", args=[pk])
    if not request.user.is_authenticated:
        return redirect_to_login(claim_url, login_url=reverse("admin:login"))
    if not is_editor(request.user):
        raise PermissionDenied("Only editors approve, send back or withdraw verdicts.")
    claim = selectors.visible_claims(request.user).filter(pk=pk).first()
    if claim is None:
        raise Http404("No such claim.")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "That review step could not be read: reload the page and try again."
        )
        return _claim_response(request, pk, posted=request.POST, status=400)
    data = form.cleaned_data
    try:
        updated = services.take_review_step(
            claim=claim,
            author=request.user,
            step=data["action"],
            comment=data["comment"],
            correction=data["correction"],
            override_reason=data["override_reason"],
            expected_version=data["version"],
            article_changes_confirmed=data["article_changes"],
        )
    except services.ConflictError as error:
        messages.error(request, str(error))
        return _claim_response(request, pk, posted=request.POST, status=409)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
        return _claim_response(request, pk, posted=request.POST, status=400)
    messages.success(request, f"Claim #{updated.pk} {DONE[data['action']]}")
    return HttpResponseRedirect(claim_url)
