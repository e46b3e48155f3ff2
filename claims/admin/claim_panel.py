"""The claim panel of an article's admin page: a claim made from a selection of the marked text
without leaving the page.

The panel's form is the claim admin's own add form (ClaimAdmin.get_form, so ClaimAdminForm's
anchoring, assignment and verdict checks) limited to what a passage needs at first, and a valid
one is saved by ClaimAdmin.create_from_form, as the add page saves. The panel's script
(js/article_selection.js) posts it with fetch and gets back JSON: the text marked again, the
article's table of claims and the form, fresh or with its errors beside their fields.

The panel's ``<form>`` stands outside the article's form in the page (templates/admin/claims/
article/change_form.html): a form inside another is dropped by the browser.
"""

from django import forms
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse

from claims.models import Article, Claim, ClaimAbout

from .article_text import claim_rows, marked_text
from .display import shorten

# What a claim needs when its passage is chosen; the rest (state, evidence, assignee) is on the
# claim's own page. occurrence is offered by the form only when a typed passage stands twice.
# The panel's fields keep the claim form's names (the full form opens with them) and take ids of
# their own: the article's form is on the same page.
IDS = "claim-panel-%s"
QUOTE_HELP = "Select it in the text, or type or paste it here: its position is found in the text."
PANEL_FIELDS = ["article", "quote", "quote_start", "quote_end", "wording", "claimant", "about"]


def claim_admin_of(article_admin):
    return article_admin.admin_site.get_model_admin(Claim)


def may_add_claims(article_admin, request, article) -> bool:
    return article_admin.has_view_permission(request, article) and claim_admin_of(
        article_admin
    ).has_add_permission(request)


def panel_form(article_admin, request, article, data=None):
    """The claim admin's add form with the panel's fields, for ``article`` (bound to ``data``
    when given; the article is always the page's, whatever was posted)."""
    form_class = claim_admin_of(article_admin).get_form(request, fields=PANEL_FIELDS)
    if data is None:
        form = form_class(initial={"article": article.pk, "about": ClaimAbout.EVENT}, auto_id=IDS)
    else:
        data = data.copy()
        data["article"] = str(article.pk)
        form = form_class(data, auto_id=IDS)
    form.fields["quote"].help_text = QUOTE_HELP
    del form.fields["change_note"]  # a new unverified claim has no change to explain
    form.fields["article"].widget = forms.HiddenInput()  # the page's article, not a choice
    return form


def panel_form_html(form, request) -> str:
    return render_to_string(
        "admin/claims/article/_claim_panel_form.html", {"form": form}, request=request
    )


def panel_context(article_admin, request, article) -> dict:
    """What the article's change page needs for its panel (nothing for a reader who may not
    add claims: the page shows no panel then)."""
    if not may_add_claims(article_admin, request, article):
        return {}
    return {
        "claim_panel_form": panel_form(article_admin, request, article),
        "claim_panel_url": reverse("admin:claims_article_add_claim", args=[article.pk]),
        "claim_add_url": reverse("admin:claims_claim_add"),
    }


def _add_refusal(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def add_claim_view(article_admin, request, pk: int):
    """POST the panel's form: 201 with the claim, the text marked again, the table of claims
    and a fresh form; 400 with the form and its errors. CSRF and sign-in are checked by the
    admin's view wrapper; who may add claims by the admins' permissions (claims.permissions)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = get_object_or_404(Article, pk=pk)
    if not may_add_claims(article_admin, request, article):
        raise PermissionDenied
    claim_admin = claim_admin_of(article_admin)
    form = panel_form(article_admin, request, article, request.POST)
    claim = None
    if form.is_valid():
        try:
            claim = claim_admin.create_from_form(request, form)
        except ValidationError as error:
            _add_refusal(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or "You may not record claims.")
    if claim is None:
        return JsonResponse(
            {
                "saved": False,
                "message": "The claim is not saved: see what the form says beside its fields.",
                "form": panel_form_html(form, request),
            },
            status=400,
        )
    claim_admin.log_addition(request, claim, construct_change_message(form, None, True))
    rows = claim_rows(article.pk)
    text = marked_text(article.text, [row["claim"] for row in rows])
    message = f"Claim #{claim.pk} is saved: “{shorten(claim.wording, 80)}”."
    if f'title="Claim #{claim.pk}:' not in text:
        message += " Its passage overlaps an earlier claim's, which the text keeps marked."
    return JsonResponse(
        {
            "saved": True,
            "message": message,
            "claim": {
                "id": claim.pk,
                "url": reverse("admin:claims_claim_change", args=[claim.pk]),
                "start": claim.quote_start,
                "end": claim.quote_end,
            },
            "text": str(text),
            "claims": render_to_string(
                "admin/claims/article/_claims_table.html",
                {"claim_rows": rows, "original": article},
                request=request,
            ),
            "form": panel_form_html(panel_form(article_admin, request, article), request),
        },
        status=201,
    )
