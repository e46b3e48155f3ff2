"""The suggested sentences of an article, on its admin page beside the marked text (one query:
the dismissals; the claims are the page's own)."""

from django import template
from django.urls import reverse

from claims.permissions import may_change_claims
from suggestions.selectors import suggestions_for

register = template.Library()


@register.inclusion_tag("admin/suggestions/_suggestions.html", takes_context=True)
def article_suggestions(context, article, claim_rows):
    request = context["request"]
    return {
        "article": article,
        "suggestions": suggestions_for(article, [row["claim"] for row in claim_rows]),
        # Accept fills the page's claim panel, shown to those who may add claims.
        "may_accept": bool(context.get("claim_panel_form")),
        "may_dismiss": may_change_claims(request.user),
        "dismiss_url": reverse("admin:suggestions_dismiss", args=[article.pk]),
        "csrf_token": context.get("csrf_token"),
    }
