"""The claim form's passage in its context, before the claim is saved.

Opened from a selection on the article's admin page (js/article_selection.js puts the article,
the quote and its exact offsets in the address), the add form shows the passage in its article
at once; as a fact-checker picks an article and types or pastes a quote by hand,
js/claim_passage.js asks :func:`locate_view` where it stands and shows the answer. Both use
claims.anchors.preview, which decides as the form decides when it saves (the same tolerant
matching of quotation marks, dashes and spaces), so what is shown is what will be stored.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.html import format_html, format_html_join

from claims import anchors, selectors
from claims.models import Article

# A quote is a sentence or a paragraph: anything longer is not a passage to look for.
MAX_QUOTE_CHARS = 5000
WAITING = "Choose the article and paste the passage: it is shown here in its context."


def number(value) -> int | None:
    """A non-negative whole number from a form or query string value, or None."""
    value = str(value if value is not None else "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def preview_for(values) -> anchors.Preview | str | None:
    """The preview of the passage that ``values`` (the form's data, or its initial values from
    the address) name: a Preview, a sentence saying what is missing, or None when there is
    nothing to look for yet."""
    given, quote = str(values.get("article") or "").strip(), values.get("quote") or ""
    if not given or not quote.strip():
        return None
    article_id = number(given)
    if article_id is None:
        return "There is no such article: choose it again."
    if len(quote) > MAX_QUOTE_CHARS:
        return f"The passage is too long to look for: paste at most {MAX_QUOTE_CHARS} characters."
    try:
        return selectors.passage_preview(
            article_id,
            quote,
            start=number(values.get("quote_start")),
            occurrence=number(values.get("occurrence")) or None,
        )
    except Article.DoesNotExist:
        return "There is no such article: choose it again."


def preview_html(preview, *, locate_url: str):
    """The preview block of the add form. js/claim_passage.js replaces its content as the
    article, the passage or the occurrence change; without script it shows what the page was
    opened with."""
    if preview is None:
        body = format_html('<p class="passage-preview__status">{}</p>', WAITING)
    elif isinstance(preview, str):
        body = format_html(
            '<p class="passage-preview__status passage-preview__status--problem">{}</p>', preview
        )
    elif not preview.found:
        places = format_html_join("", "<li>{}</li>", ((p,) for p in preview.occurrences))
        body = format_html(
            '<p class="passage-preview__status passage-preview__status--problem">{}</p>{}',
            preview.message,
            format_html('<ol class="passage-preview__places">{}</ol>', places) if places else "",
        )
    else:
        body = format_html(
            '<p class="passage-preview__status">{}</p>'
            '<blockquote class="passage-preview__text">{}<mark>{}</mark>{}</blockquote>',
            preview.message,
            preview.before,
            preview.passage,
            preview.after,
        )
    return format_html(
        '<div class="passage-preview" data-locate-url="{}" aria-live="polite">{}</div>',
        locate_url,
        body,
    )


def locate_view(modeladmin, request):
    """GET ``?article=&quote=&quote_start=&occurrence=``: where the passage would be anchored, as
    JSON: ``found``, ``message`` (a sentence), ``waiting`` (nothing to look for yet), and the text ``before``, the ``passage`` and the
    text ``after`` it, or the ``occurrences`` of an ambiguous one. Staff who may add claims only
    (the admin's own sign-in check comes first)."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if not modeladmin.has_add_permission(request):
        raise PermissionDenied
    preview = preview_for(request.GET)
    if preview is None:
        return JsonResponse({"found": False, "waiting": True, "message": WAITING})
    if isinstance(preview, str):
        return JsonResponse({"found": False, "message": preview}, status=400)
    return JsonResponse(
        {
            "found": preview.found,
            "message": preview.message,
            "start": preview.start,
            "end": preview.end,
            "before": preview.before,
            "passage": preview.passage,
            "after": preview.after,
            "occurrences": list(preview.occurrences),
        }
    )
