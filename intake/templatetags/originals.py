"""The original an article was saved from, shown on its admin page (one query)."""

from django import template

from intake.selectors import original_of

register = template.Library()


@register.inclusion_tag("admin/intake/articleintake/_original.html")
def article_original(article):
    return {"original": original_of(article)}
