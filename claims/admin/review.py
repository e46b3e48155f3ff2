"""Review and state changes from the admin: bulk actions and the buttons on a claim's page.

Each goes through claims.services, one claim at a time, so every change has its author, its
reason and its history, and a claim that cannot take the step is named with the reason.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.decorators import action
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from claims import selectors, services
from claims.corroboration import assess_claim, assess_claims
from claims.models import Claim, ConfirmationState
from claims.permissions import ClaimPermissions

from .display import shorten

REFUSALS = (ValidationError, PermissionDenied, services.ConflictError)


def refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


# ---------------------------------------------------------------------------------------------
# Bulk actions


class ChangeStateForm(forms.Form):
    state = forms.ChoiceField(choices=ConfirmationState.choices)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why: recorded in each claim's history; for a verdict it becomes the public rationale.",
    )


class RequiredCommentForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    correction = forms.CharField(
        label="public correction note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for claims whose published verdict or its reasons change: what changed and why. "
        "It is shown publicly with each, after the date of approval, which is put before it for you "
        "(“9 January 2026: …”): do not type the date.",
    )
    override_reason = forms.CharField(
        label="reason to publish verdicts stronger than their evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only for the claims listed as stronger than their evidence; it is recorded with each.",
    )


def _run(modeladmin, request, queryset, *, perform, done_verb):
    done, refused = [], []
    for claim in queryset.order_by("pk"):
        try:
            perform(claim)
        except REFUSALS as error:
            refused.append(f"#{claim.pk} ({refusal_text(error)})")
        else:
            done.append(claim)
    if done:
        modeladmin.message_user(
            request,
            f"{done_verb} {len(done)} claim{'s' if len(done) != 1 else ''}.",
            messages.SUCCESS,
        )
    if refused:
        modeladmin.message_user(request, "Not changed: " + "; ".join(refused), messages.ERROR)


def _with_form(
    modeladmin,
    request,
    queryset,
    *,
    form_class,
    title,
    intro,
    perform,
    done_verb,
    notes=None,
    hidden=None,
):
    """Show a form for the selected claims; on "apply", run ``perform(claim, cleaned_data)``."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        _run(
            modeladmin,
            request,
            queryset,
            perform=lambda c: perform(c, form.cleaned_data),
            done_verb=done_verb,
        )
        return None
    claims = list(queryset.select_related("article").order_by("pk"))
    return TemplateResponse(
        request,
        "admin/claims/claim/action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "opts": modeladmin.model._meta,
            "form": form,
            "claims": [(c, (notes or {}).get(c.pk, "")) for c in claims],
            "action_name": request.POST.get("action"),
            "hidden": sorted((hidden or {}).items()),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


@action(description="Change the state of selected claims…", permissions=["change"])
def change_state_action(modeladmin, request, queryset):
    return _with_form(
        modeladmin,
        request,
        queryset,
        form_class=ChangeStateForm,
        title="Change the state of these claims",
        intro="Each claim's change is recorded with you as its author and this rationale as its reason.",
        perform=lambda claim, data: services.change_state(
            claim=claim, to_state=data["state"], rationale=data["rationale"], author=request.user
        ),
        done_verb="Changed the state of",
    )


@action(description="Send selected claims to review", permissions=["change"])
def submit_action(modeladmin, request, queryset):
    _run(
        modeladmin,
        request,
        queryset,
        perform=lambda claim: services.submit_for_review(claim=claim, author=request.user),
        done_verb="Sent to review",
    )


@action(description="Approve and publish selected claims…", permissions=["publish"])
def approve_action(modeladmin, request, queryset):
    # Every selected claim assessed at once (two queries), not two queries a claim.
    notes = {
        pk: [
            f"Stronger than its evidence, which suggests {assessment.suggestion.label.lower()}: "
            "publishing it needs a reason."
        ]
        for pk, assessment in assess_claims(queryset.select_related(None)).items()
        if assessment.stronger_than_evidence
    }
    # What approving publishes of each article too: listed here, and confirmed by this page's
    # button (the token of the changes listed travels with it; a change made meanwhile is
    # refused for its claims). One query per article.
    tokens = {}
    by_article: dict[int, list[int]] = {}
    for pk, article_id in queryset.values_list("pk", "article_id"):
        by_article.setdefault(article_id, []).append(pk)
    for article_id, pks in by_article.items():
        changes = selectors.pending_article_changes(article_id)
        if not changes:
            continue
        fields = ", ".join(change.label for change in changes)
        for pk in pks:
            notes.setdefault(pk, []).append(
                f"Also publishes its article's pending changes: {fields}."
            )
            tokens[f"article_changes_{pk}"] = selectors.article_changes_token(changes)
    return _with_form(
        modeladmin,
        request,
        queryset,
        form_class=ApproveForm,
        title="Approve and publish these verdicts",
        intro="Published verdicts are shown to the public and in the ClaimReview feed.",
        perform=lambda claim, data: services.approve(
            claim=claim,
            author=request.user,
            comment=data["comment"],
            correction=data["correction"],
            override_reason=data["override_reason"],
            article_changes_confirmed=request.POST.get(f"article_changes_{claim.pk}", ""),
        ),
        done_verb="Approved and published",
        notes={pk: " ".join(lines) for pk, lines in notes.items()},
        hidden=tokens,
    )


@action(description="Send selected claims back to their fact-checkers…", permissions=["publish"])
def send_back_action(modeladmin, request, queryset):
    return _with_form(
        modeladmin,
        request,
        queryset,
        form_class=RequiredCommentForm,
        title="Send these claims back",
        intro="Say what needs doing: the comment is recorded in each claim's history.",
        perform=lambda claim, data: services.send_back(
            claim=claim, author=request.user, comment=data["comment"]
        ),
        done_verb="Sent back",
    )


@action(description="Withdraw selected published verdicts…", permissions=["publish"])
def withdraw_action(modeladmin, request, queryset):
    return _with_form(
        modeladmin,
        request,
        queryset,
        form_class=RequiredCommentForm,
        title="Withdraw these published verdicts",
        intro="A withdrawn verdict leaves publication with a public correction note giving this reason. "
        "The claim and its history are kept.",
        perform=lambda claim, data: services.withdraw(
            claim=claim, author=request.user, reason=data["comment"]
        ),
        done_verb="Withdrew",
    )


# ---------------------------------------------------------------------------------------------
# The review panel on a claim's page


STEP_BUTTONS = {
    "submit": {"label": "Send to review", "comment": "optional", "prompt": "Comment (optional)"},
    "approve": {
        "label": "Approve and publish",
        "comment": "optional",
        "prompt": "Comment (optional)",
    },
    "send_back": {
        "label": "Send back",
        "comment": "required",
        "prompt": "What needs doing (required)",
    },
    "withdraw": {
        "label": "Withdraw",
        "comment": "required",
        "prompt": "Why the public verdict is withdrawn: shown publicly after the date, which is put "
        "before it for you (required)",
    },
}


# The claim form's button that takes a review step (its value: the step) once the form is saved.
STEP_BUTTON = "_review_step"


def _typed(request, name: str) -> str:
    """What the person typed in a review step's field before a save that failed: shown again."""
    return request.POST.get(name, "") if request.method == "POST" else ""


def available_steps(request, claim: Claim) -> list[dict]:
    """The review steps this person may take on this claim now (claims.permissions decides),
    for buttons on its page."""
    return [
        {
            "action": step,
            **STEP_BUTTONS[step],
            "typed_comment": _typed(request, f"review_{step}_comment"),
            "typed_correction": _typed(request, "review_correction"),
            "typed_override_reason": _typed(request, "review_override_reason"),
        }
        for step in ClaimPermissions(request.user, claim).review_steps()
    ]


def panel_context(modeladmin, request, claim: Claim) -> dict:
    assessment = assess_claim(claim)
    steps = available_steps(request, claim)
    # What approving would publish of the article too, listed beside the approve button.
    article_changes = (
        selectors.pending_article_changes(claim.article_id)
        if any(step["action"] == "approve" for step in steps)
        else []
    )
    return {
        "assessment": assessment,
        "live_version": claim.live_version,
        "comparison": (comparison := selectors.compare_with_public(claim)),
        "differences": comparison.labels if comparison else [],
        "review_steps": steps,
        "article_changes": article_changes,
        "article_changes_token": selectors.article_changes_token(article_changes),
        "claim_obj": claim,
    }


def step_after_save(modeladmin, request, claim: Claim):
    """The review step a button of the claim's form asked for, taken once ClaimAdmin has saved
    the edits on screen in the same request and transaction: an approval publishes what the
    editor sees, never the text from before their last edit. ``claim`` is the form's instance,
    at the version the page was opened at. A refused step leaves the edits saved and says so."""
    step = request.POST.get(STEP_BUTTON, "")
    # The row is locked (ClaimAdminForm._check_version) until this request's transaction ends:
    # the version read here is the one the save just wrote, newer than the page's if it saved
    # an edit.
    current = Claim.objects.get(pk=claim.pk)
    saved = "Your changes are saved. " if current.version != claim.version else ""
    try:
        updated = services.take_review_step(
            claim=current,
            author=request.user,
            step=step,
            comment=request.POST.get(f"review_{step}_comment", ""),
            correction=request.POST.get("review_correction", ""),
            override_reason=request.POST.get("review_override_reason", ""),
            expected_version=current.version,
            article_changes_confirmed=request.POST.get("review_article_changes", ""),
        )
    except REFUSALS as error:
        label = STEP_BUTTONS.get(step, {}).get("label", "The review step")
        modeladmin.message_user(
            request, f"{saved}“{label}” was refused: {refusal_text(error)}", messages.ERROR
        )
    else:
        modeladmin.message_user(
            request,
            f"{saved}Claim #{updated.pk} “{shorten(updated.wording, 60)}” is now "
            f"{updated.review_choice.predicate}.",
            messages.SUCCESS,
        )
    return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))


def comment_view(modeladmin, request, pk: int):
    """POST a comment to the claim's internal discussion, then back to its page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    claim = get_object_or_404(Claim, pk=pk)
    if not modeladmin.has_view_permission(request, claim):
        raise PermissionDenied
    try:
        services.add_comment(claim=claim, author=request.user, body=request.POST.get("body", ""))
    except REFUSALS as error:
        modeladmin.message_user(request, refusal_text(error), messages.ERROR)
    else:
        modeladmin.message_user(
            request, "Your comment is in the claim's discussion.", messages.SUCCESS
        )
    return HttpResponseRedirect(
        reverse("admin:claims_claim_change", args=[pk]) + "#timeline-heading"
    )
