"""The claim representation, built from plain rows.

The claims list is the API's hot path (a newsroom CMS polls it; a research group pages through
all of it), so it is built here from ``.values()`` rows rather than model instances and nested
serializers, which cost several times more for the same JSON (see `make bench`). The shape is
the one ``serializers.ClaimSerializer`` documents in the schema; a test holds the two together.

Three queries a page, whatever its size: the claims (with article, outlet, assignee, live
version and each claim's stored independence block joined), their evidence (with sources,
outlets and the origins each piece names joined), and, on the desk's page, the evidence frozen
in the live versions, to say what differs from them. The independence block is stored with the
claim (``claims.independence``: computing it here cost as much as the rest of the list); a claim
with none stored yet is assessed here by the same function, with two more queries (joins on the
provenance closure table, never a walk).

The public (anonymous clients, outsiders' tokens) reads the same shape, stored when an editor
approved (claims.public): built from the claim's live published version and what it froze, and
served as stored; no staff name is in it.
"""

from django.db.models import F
from django.urls import reverse

from claims.independence import as_json, assess_rows
from claims.models import (
    ConfirmationState,
    PublishedEvidence,
    PublishedVersion,
    VersionKind,
)
from claims.selectors import working_evidence

CLAIM_VALUES = {
    "a_id": F("article_id"),
    "a_slug": F("article__slug"),
    "a_headline": F("article__headline"),
    "a_url": F("article__url"),
    "a_published_on": F("article__published_on"),
    "o_id": F("article__outlet_id"),
    "o_name": F("article__outlet__name"),
    "o_kind": F("article__outlet__kind"),
    "assignee_name": F("assignee__username"),
    "assignee_first": F("assignee__first_name"),
    "assignee_last": F("assignee__last_name"),
}
CLAIM_FIELDS = (
    "id", "wording", "quote", "quote_start", "quote_end", "anchor_intact", "claimant", "state",
    "rationale", "review_state", "published_at", "first_published_at", "version", "created_at",
    "updated_at", "about",
)  # fmt: skip
EVIDENCE_VALUES = {
    "s_title": F("source__title"),
    "s_kind": F("source__kind"),
    "s_author": F("source__author"),
    "s_url": F("source__url"),
    "s_archived": F("source__archived_url"),
    "s_published": F("source__published_on"),
    "s_on_record": F("source__on_record"),
    "so_id": F("source__outlet_id"),
    "so_name": F("source__outlet__name"),
    "so_kind": F("source__outlet__kind"),
}
LABELS = {s.value: s.label for s in ConfirmationState}

_LIVE = "live_version__"
_LIVE_ARTICLE = "live_version__article_version__"


def claim_rows(queryset, *, independence: bool = True):
    """The desk's claims of ``queryset`` (filtered and ordered already) as rows for
    ``represent``, with their stored independence block unless ``independence`` is False. (The
    public's representation is stored when an editor approves: claims.public.)"""
    stored = {"independence_json": F("stored_independence__desk")} if independence else {}
    return queryset.with_anchor_status().values(
        *CLAIM_FIELDS, "live_version_id", **stored, **CLAIM_VALUES, **PUBLICATION_VALUES
    )


# The desk's rows carry their live version too (one join), to say what differs from it.
_COMPARED = PublishedVersion.CLAIM_FIELDS
PUBLICATION_VALUES = {
    "p_number": F(_LIVE + "number"),
    "p_kind": F(_LIVE + "kind"),
    "p_approved_at": F(_LIVE + "approved_at"),
    "p_correction": F(_LIVE + "correction"),
    "p_article_id": F(_LIVE_ARTICLE + "article_id"),
    **{f"live_{name}": F(_LIVE + name) for name in _COMPARED},
}


class Links:
    """Absolute addresses, built once per request rather than reversed for every row."""

    def __init__(self, request):
        root = request.build_absolute_uri("/").rstrip("/") if request is not None else ""
        marker = 999999999
        self.templates = {
            name: root + reverse(view, args=[marker]).replace(str(marker), "{}")
            for name, view in {
                "status_page": "claims:claim",
                "admin": "admin:claims_claim_change",
                "history": "api:claim-history",
                "claimreview": "api:claim-claimreview",
            }.items()
        }

    def __call__(self, pk: int, *, published: bool) -> dict:
        t = self.templates
        return {
            "status_page": t["status_page"].format(pk),
            "admin": t["admin"].format(pk),
            "history": t["history"].format(pk),
            "claimreview": t["claimreview"].format(pk) if published else None,
        }


def _assignee(row) -> str | None:
    if not row.get("assignee_name"):
        return None
    full = f"{row['assignee_first']} {row['assignee_last']}".strip()
    return full or row["assignee_name"]


def represent(rows: list[dict], request, *, independence: bool = True) -> list[dict]:
    """The API representation of these claim rows (one query for their evidence and the origins
    it names; on the desk's page, one for the evidence frozen in their live versions).
    ``independence=False`` leaves the block out (for `make bench`, which weighs what it costs;
    the rows then come from ``claim_rows(..., independence=False)``)."""
    if not rows:
        return []
    evidence, named = working_evidence(
        [r["id"] for r in rows], "excerpt", "note", **EVIDENCE_VALUES
    )
    mark_differences(rows, evidence, named)
    blocks = _independence(rows, evidence, named) if independence else {}
    by_claim: dict[int, list[dict]] = {}
    for e in evidence:
        by_claim.setdefault(e["claim_id"], []).append(e)
    links = Links(request)
    return [
        _claim(row, by_claim.get(row["id"], []), named, blocks.get(row["id"]), links)
        for row in rows
    ]


def _independence(rows: list[dict], evidence: list[dict], named: dict) -> dict:
    """Each claim's independence block: stored with the claim (claims.independence), or, for a
    claim that has none stored yet, computed here the same way (two more queries)."""
    blocks = {}
    missing = []
    for row in rows:
        stored = row.pop("independence_json", None)
        if stored:
            blocks[row["id"]] = as_json(stored)
        else:
            missing.append(row)
    blocks.update(assess_rows(missing, evidence, named))
    return blocks


def mark_differences(rows: list[dict], evidence: list[dict], named: dict) -> None:
    """For the desk: what each working copy says differently from its public version (field
    names; "evidence" when its evidence differs). One query: the frozen evidence of the page."""
    live_ids = [r["live_version_id"] for r in rows if r["live_version_id"] is not None]
    frozen: dict[int, set] = {v: set() for v in live_ids}
    for row in PublishedEvidence.objects.filter(version_id__in=live_ids).values_list(
        "version_id", "source_id", "stance", "excerpt", "note", "own_reporting", "origin_ids"
    ):
        frozen[row[0]].add((*row[1:6], tuple(sorted(row[6]))))
    working: dict[int, set] = {}
    for e in evidence:
        origins = tuple(sorted(named.get(e["id"], ())))
        working.setdefault(e["claim_id"], set()).add(
            (e["source_id"], e["stance"], e["excerpt"], e["note"], e["own_reporting"], origins)
        )
    for row in rows:
        if row["live_version_id"] is None:
            row["differs"] = []
            continue
        differs = ["article"] if row["p_article_id"] != row["a_id"] else []
        compared = _COMPARED
        if row["live_quote"] == row["quote"] and not differs:
            # The same passage at new offsets (an anchor move): nothing to approve.
            compared = [f for f in _COMPARED if f not in ("quote_start", "quote_end")]
        differs += [f for f in compared if row[f"live_{f}"] != row[f]]
        if frozen[row["live_version_id"]] != working.get(row["id"], set()):
            differs.append("evidence")
        row["differs"] = differs


def _claim(row: dict, evidence: list[dict], named, independence, links: Links) -> dict:
    live = row["live_version_id"] is not None
    withdrawn = live and row["p_kind"] == VersionKind.WITHDRAWAL
    published = live and not withdrawn
    return {
        "id": row["id"],
        "article": {
            "id": row["a_id"],
            "slug": row["a_slug"],
            "headline": row["a_headline"],
            "outlet": {"id": row["o_id"], "name": row["o_name"], "kind": row["o_kind"]}
            if row["o_id"]
            else None,
            "url": row["a_url"],
            "published_on": row["a_published_on"],
        },
        "wording": row["wording"],
        "quote": row["quote"],
        "quote_start": row["quote_start"],
        "quote_end": row["quote_end"],
        "anchor_intact": bool(row["anchor_intact"]),
        "claimant": row["claimant"],
        "about": row["about"],
        "state": row["state"],
        "state_label": LABELS[row["state"]],
        "rationale": row["rationale"],
        "review_state": row["review_state"],
        "published_at": row["published_at"],
        "first_published_at": row["first_published_at"],
        "assignee": _assignee(row),
        "version": row["version"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "evidence": [
            {
                "id": e["id"],
                "stance": e["stance"],
                "excerpt": e["excerpt"],
                "note": e["note"],
                "origins": list(named.get(e["id"], ())),
                "own_reporting": e["own_reporting"],
                "source": {
                    "id": e["source_id"],
                    "title": e["s_title"],
                    "kind": e["s_kind"],
                    "outlet": {"id": e["so_id"], "name": e["so_name"], "kind": e["so_kind"]}
                    if e["so_id"]
                    else None,
                    "author": e["s_author"],
                    "url": e["s_url"],
                    "archived_url": e["s_archived"],
                    "published_on": e["s_published"],
                    "on_record": e["s_on_record"],
                },
            }
            for e in evidence
        ],
        "independence": independence,
        "publication": {
            "version": row["p_number"],
            "kind": row["p_kind"],
            "approved_at": row["p_approved_at"],
            "correction": row["p_correction"],
            "withdrawn": withdrawn,
            "differs": row.get("differs", []),
        }
        if live
        else None,
        "links": links(row["id"], published=published),
    }
