"""The selected claims as CSV, for desks that report in spreadsheets (an admin action).

One row a claim: its state, rationale and review state (with "sent back" when it is), and its
sources with their stances and web addresses, in the same order in their columns. Three queries
whatever the selection: the claims (with their article, assignee and latest review step), then
their evidence with sources.
"""

import csv
import unicodedata

from django.contrib.admin.decorators import action
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone

from claims.models import Claim, Evidence

COLUMNS = [
    "claim id", "article", "article web address", "wording", "quoted passage", "claimant",
    "state", "rationale", "review state", "sent back comment", "assignee", "published at",
    "sources", "stances", "source web addresses", "updated at",
]  # fmt: skip
SEPARATOR = " | "


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What a spreadsheet may skip before a formula's first character: zero-width space, joiners,
# word joiner, byte-order mark, spaces.
INVISIBLE_LEAD = "\u200b\u200c\u200d\u2060\ufeff \u00a0"


def _cell(value) -> str:
    """A spreadsheet must not run a cell as a formula: one that starts like one is quoted. Also
    the lookalikes some spreadsheets read as the same (fullwidth ＝, small ﹦: the same character
    once compatibility forms are folded, NFKC) and a formula behind invisible characters."""
    text = "" if value is None else str(value)
    first = text.lstrip(INVISIBLE_LEAD)[:1]
    if first in FORMULA_STARTS or unicodedata.normalize("NFKC", first) in FORMULA_STARTS:
        return "'" + text
    return text


def claim_rows(queryset):
    claims = (
        queryset.with_review_status()
        .select_related("article", "assignee")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("source").order_by("pk"),
            )
        )
        .order_by("article_id", "quote_start", "pk")
    )
    for claim in claims:
        evidence = list(claim.evidence.all())
        yield [
            claim.pk,
            claim.article.headline,
            claim.article.url,
            claim.wording,
            claim.quote,
            claim.claimant,
            claim.get_state_display(),
            claim.rationale,
            "Sent back" if claim.sent_back else claim.get_review_state_display(),
            claim.last_review_comment if claim.sent_back else "",
            claim.assignee.get_username() if claim.assignee else "",
            claim.published_at.isoformat() if claim.published_at else "",
            SEPARATOR.join(e.source.title for e in evidence),
            SEPARATOR.join(e.get_stance_display() for e in evidence),
            SEPARATOR.join(e.source.url or "" for e in evidence),
            claim.updated_at.isoformat(),
        ]


@action(description="Export the selected claims as CSV", permissions=["view"])
def export_csv(modeladmin, request, queryset):
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="claims-{stamp}.csv"'
    response.write("\ufeff")  # spreadsheets read UTF-8 (Arabic, curly quotes) with the BOM
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for row in claim_rows(Claim.objects.filter(pk__in=queryset.values("pk"))):
        writer.writerow([_cell(v) for v in row])
    return response
