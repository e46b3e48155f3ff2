"""Computing the read model's rows for a set of claims and articles and writing only the rows
that differ (or, for ``--check``, saying which would)."""

from collections import Counter, defaultdict

from django.db.models import Q

from ..models import ArticleVersion, Claim
from .build import (
    Frozen,
    article_api,
    article_page_blocks,
    claim_api,
    claim_page_blocks,
    claimreview_tail,
    dumps,
    load,
    source_api,
)
from .models import (
    PublicArticle,
    PublicCitation,
    PublicClaim,
    PublicOutlet,
    PublicSlug,
    PublicSource,
)
from .state import sync_state

BATCH = 500


def claim_row(item: Frozen) -> dict:
    claim, live = item.claim, item.live
    article = claim.article
    blocks = claim_page_blocks(item)
    return {
        "version": live.number,
        "in_force": not item.withdrawn,
        "article_id": article.pk,
        "article_slug": article.slug,
        "outlet_id": article.outlet.pk if article.outlet else None,
        "state": claim.state,
        "claimant": claim.claimant,
        "wording": claim.wording,
        "quote": claim.quote,
        "rationale": claim.rationale,
        "quote_start": claim.quote_start,
        "created_at": item.stored.created_at,
        "updated_at": live.approved_at,
        "first_published_at": item.stored.first_published_at,
        "modified_at": max(live.approved_at, article.live_version.approved_at),
        "api": dumps(claim_api(item)),
        "claimreview": claimreview_tail(item),
        "page_title": blocks["title"],
        "page_description": blocks["description"],
        "page_content": blocks["content"],
    }


def article_rows(frozen: dict[int, Frozen], article_ids) -> dict[int, dict]:
    """An article is public while one of its verdicts is in force."""
    by_article: dict[int, list[Frozen]] = defaultdict(list)
    for item in frozen.values():
        if not item.withdrawn and item.claim.article.pk in article_ids:
            by_article[item.claim.article.pk].append(item)
    rows = {}
    for pk, items in by_article.items():
        article = items[0].claim.article
        blocks = article_page_blocks(article, items)
        states = Counter(item.claim.state for item in items)
        rows[pk] = {
            "slug": article.slug,
            "outlet_id": article.outlet.pk if article.outlet else None,
            "outlet_name": article.outlet.name if article.outlet else "",
            "headline": article.headline,
            "byline": article.byline,
            "state_counts": {state: states[state] for state in sorted(states)},
            "total": len(items),
            "last_activity": max(article.updated_at, *(item.live.approved_at for item in items)),
            "published_on": article.published_on,
            "created_at": article.created_at,
            "updated_at": article.updated_at,
            "outlet_copy": dumps(article.live_version.frozen_outlet) if article.outlet else "",
            "api": dumps(article_api(article)),
            "page_title": blocks["title"],
            "page_description": blocks["description"],
            "page_content": blocks["content"],
        }
    return rows


def slug_rows(article_rows: dict[int, dict], article_ids) -> dict[str, dict]:
    """The addresses the public once read these articles at, other than their public ones."""
    current = {row["slug"] for row in article_rows.values()}
    rows = {}
    for article_id, slug in (
        ArticleVersion.objects.filter(article_id__in=article_rows.keys())
        .exclude(slug="")
        .order_by("approved_at", "id")
        .values_list("article_id", "slug")
    ):
        if slug not in current:
            rows[slug] = {"article_id": article_id}
    return rows


def citation_rows(frozen: dict[int, Frozen]) -> dict[tuple[int, int], dict]:
    return {
        (pk, source_id): {"approved_at": item.live.approved_at}
        for pk, item in frozen.items()
        if not item.withdrawn
        for source_id in item.source_ids()
    }


def source_rows(source_ids, frozen: dict[int, Frozen], citations) -> dict[int, dict]:
    """Each source as the latest approval in force that shows it froze it."""
    chosen: dict[int, tuple] = {}
    for source_id, claim_id, approved_at in citations:
        if source_id in source_ids:
            best = chosen.get(source_id)
            if best is None or (approved_at, claim_id) > (best[1], best[0]):
                chosen[source_id] = (claim_id, approved_at)
    missing = {c for c, _ in chosen.values() if c not in frozen}
    snapshots = {pk: item.frozen for pk, item in frozen.items()}
    snapshots.update(
        Claim.objects.filter(pk__in=missing).values_list("pk", "live_version__frozen_sources")
    )
    rows = {}
    for source_id, (claim_id, approved_at) in chosen.items():
        source = snapshots[claim_id]["sources"][str(source_id)]
        rows[source_id] = {
            "kind": source["kind"],
            "outlet_id": source["outlet"]["id"] if source["outlet"] else None,
            "on_record": source["on_record"],
            "published_on": source["published_on"],
            "updated_at": approved_at,
            "outlet_copy": dumps(source["outlet"]) if source["outlet"] else "",
            "api": dumps(source_api(source_id, source, approved_at)),
        }
    return rows


def outlet_rows(candidates) -> dict[int, dict]:
    """Each outlet as the latest approval that shows it (with a source or an article) froze it."""
    chosen: dict[int, tuple] = {}
    for outlet_id, updated_at, outlet in candidates:
        if outlet_id is not None and (outlet_id not in chosen or updated_at > chosen[outlet_id][0]):
            chosen[outlet_id] = (updated_at, outlet)
    return {pk: {"name": _name(outlet), "api": outlet} for pk, (_, outlet) in chosen.items()}


def _name(outlet_json: str) -> str:
    import orjson

    return orjson.loads(outlet_json)["name"]


# -- writing only what differs -------------------------------------------------------------------


def sync(model, key_fields, desired: dict, scope: Q, *, write: bool) -> list[str]:
    """Make the rows of ``model`` within ``scope`` be ``desired`` (key to field values); the
    keys are the primary key or, with two ``key_fields``, a pair. Returns what differed."""
    existing = {}
    for row in model.objects.filter(scope):
        key = tuple(getattr(row, f) for f in key_fields)
        existing[key if len(key) > 1 else key[0]] = row
    changes, create, update, fields = [], [], [], set()
    for key, values in desired.items():
        row = existing.pop(key, None)
        if row is None:
            changes.append(f"{model.__name__} {key}: missing")
            keys = dict(zip(key_fields, key if isinstance(key, tuple) else (key,), strict=True))
            create.append(model(**keys, **values))
            continue
        differ = [f for f, v in values.items() if _value(row, f) != _value(model(**{f: v}), f)]
        if differ:
            changes.append(f"{model.__name__} {key}: differs in {', '.join(differ)}")
            for f in differ:
                setattr(row, f, values[f])
            fields.update(differ)
            update.append(row)
    changes += [f"{model.__name__} {key}: should not be there" for key in existing]
    if write:
        if existing:
            model.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
        model.objects.bulk_create(create, batch_size=BATCH)
        if update:
            model.objects.bulk_update(update, sorted(fields), batch_size=BATCH)
    return changes


def _value(row, field: str):
    """A field's value as the database stores it (a date given as text is a date)."""
    return row._meta.get_field(field).to_python(getattr(row, field))


def _write(claim_ids, article_ids, *, everything: bool, write: bool) -> list[str]:
    frozen = load(claim_ids)
    claims = {pk: claim_row(item) for pk, item in frozen.items()}
    articles = article_rows(frozen, article_ids)
    slugs = slug_rows(articles, article_ids)
    citations = citation_rows(frozen)
    current_slugs = [row["slug"] for row in articles.values()]

    def within(q: Q) -> Q:
        return Q() if everything else q

    old_sources = set(
        PublicCitation.objects.filter(within(Q(claim_id__in=claim_ids))).values_list(
            "source_id", flat=True
        )
    )
    changes = sync(PublicClaim, ["id"], claims, within(Q(id__in=claim_ids)), write=write)
    changes += sync(PublicArticle, ["id"], articles, within(Q(id__in=article_ids)), write=write)
    changes += sync(
        PublicSlug,
        ["slug"],
        slugs,
        within(Q(article_id__in=article_ids) | Q(slug__in=current_slugs)),
        write=write,
    )
    changes += sync(
        PublicCitation,
        ["claim_id", "source_id"],
        citations,
        within(Q(claim_id__in=claim_ids)),
        write=write,
    )
    # The sources these claims show, or showed: each as the latest approval that shows it froze
    # it (other claims' citations are read from the table; these claims' from what was built).
    sources = old_sources | {s for _, s in citations}
    shown = [
        (s, c, a)
        for c, s, a in PublicCitation.objects.filter(source_id__in=sources)
        .exclude(claim_id__in=claim_ids)
        .values_list("claim_id", "source_id", "approved_at")
    ] + [(s, c, v["approved_at"]) for (c, s), v in citations.items()]
    source_values = source_rows(
        sources if not everything else {s for s, _, _ in shown}, frozen, shown
    )
    old_outlets = set(
        PublicSource.objects.filter(within(Q(id__in=sources))).values_list("outlet_id", flat=True)
    ) | set(
        PublicArticle.objects.filter(within(Q(id__in=article_ids))).values_list(
            "outlet_id", flat=True
        )
    )
    changes += sync(PublicSource, ["id"], source_values, within(Q(id__in=sources)), write=write)
    outlets = (old_outlets | {r["outlet_id"] for r in source_values.values()}) | {
        r["outlet_id"] for r in articles.values()
    }
    outlets.discard(None)
    candidates = [
        (r["outlet_id"], r["updated_at"], r["outlet_copy"])
        for r in (*source_values.values(), *articles.values())
        if r["outlet_id"] in outlets
    ]
    if not everything:
        candidates += list(
            PublicSource.objects.filter(outlet_id__in=outlets)
            .exclude(id__in=sources)
            .values_list("outlet_id", "updated_at", "outlet_copy")
        )
        candidates += list(
            PublicArticle.objects.filter(outlet_id__in=outlets)
            .exclude(id__in=article_ids)
            .values_list("outlet_id", "updated_at", "outlet_copy")
        )
    changes += sync(
        PublicOutlet, ["id"], outlet_rows(candidates), within(Q(id__in=outlets)), write=write
    )
    # The read model's state: its feed's, from its rows as they now stand, and its generation
    # (claims.public.state).
    changes += sync_state(write=write, rows_changed=bool(changes))
    return changes


def refresh_rows(*, claim_ids: set, article_ids: set) -> None:
    claim_ids, article_ids = set(claim_ids), set(article_ids)
    # The articles these claims read in, now and before; then every public claim of those
    # articles (an article's page shows them all, and its outlet and text are in each).
    article_ids |= set(
        Claim.objects.filter(pk__in=claim_ids, live_version__isnull=False).values_list(
            "live_version__article_version__article_id", flat=True
        )
    )
    article_ids |= set(
        PublicClaim.objects.filter(id__in=claim_ids).values_list("article_id", flat=True)
    )
    claim_ids |= set(
        Claim.objects.filter(live_version__article_version__article_id__in=article_ids).values_list(
            "pk", flat=True
        )
    )
    claim_ids |= set(
        PublicClaim.objects.filter(article_id__in=article_ids).values_list("id", flat=True)
    )
    _write(claim_ids, article_ids, everything=False, write=True)


def _all_ids() -> tuple[set, set]:
    claim_ids = set(Claim.objects.filter(live_version__isnull=False).values_list("pk", flat=True))
    article_ids = set(
        Claim.objects.filter(live_version__isnull=False).values_list(
            "live_version__article_version__article_id", flat=True
        )
    )
    return claim_ids, article_ids


def rebuild_all(*, write: bool) -> int:
    claim_ids, article_ids = _all_ids()
    return len(_write(claim_ids, article_ids, everything=True, write=write))


def differences_all() -> list[str]:
    claim_ids, article_ids = _all_ids()
    return _write(claim_ids, article_ids, everything=True, write=False)
