"""Small pieces of the status pages: safe links, JSON-LD, badges and the SVG charts."""

import json
from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from claims import visibility
from claims.models import ReviewState
from claims.pages import charts
from claims.pages.objects import ArticleProgress, EvidenceEntry
from claims.selectors import StateCount

register = template.Library()


@register.filter
def version_byline(version) -> str:
    """Who published a version, as the public is told it (the desk, or the role)."""
    return visibility.version_byline(version)


# As django.utils.html.json_script escapes: no "</script>", "<!--" or "&" can end the block early.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def http_url(value: str) -> str:
    """The address when it is http or https, else "" (no ``javascript:`` link is ever written)."""
    value = (value or "").strip()
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return ""
    return value if scheme in ("http", "https") and len(value) > len(scheme) + 3 else ""


@register.filter
def ld_json(data: dict) -> SafeString:
    """``data`` as a JSON-LD block for the page head: data, not a script, so the CSP holds."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_JSON_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text),  # noqa: S308 -- <, > and & escaped above
    )


@register.simple_tag
def review_badge(review_state: str) -> SafeString:
    choice = ReviewState(review_state)
    return format_html('<span class="review review--{}">{}</span>', choice.value, choice.label)


@register.simple_tag
def state_chart(counts: list[StateCount], uid: str = "state-chart") -> SafeString:
    return charts.state_chart(counts, uid=uid)


@register.simple_tag
def progress_bar(row: ArticleProgress) -> SafeString:
    return charts.progress_bar(row.present, row.total)


@register.simple_tag
def provenance_graph(entry: EvidenceEntry) -> SafeString:
    return charts.provenance_graph(
        entry.lineage,
        uid=f"graph-{entry.evidence.pk}",
        shared_ids={s.origin.id for s in entry.shared},
    )


INDEPENDENCE_GROUPS = {
    "several": "On two or more independent origins",
    "single": "On a single on-record origin",
    "unnamed": "On unnamed sources only",
    "none": "On no supporting evidence",
}


@register.filter
def independence_group(key: str) -> str:
    return INDEPENDENCE_GROUPS[key]
