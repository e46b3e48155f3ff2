"""Loading a seed file: an article with its outlets, sources, provenance, claims and evidence.

A seed is one human-readable TOML file in ``seeds/`` beside the article's text file (see
``seeds/iraq-exit-plan.toml`` for the format). Loading is idempotent: what already exists (matched
by natural keys: outlet name, source title and outlet, article slug, claim passage, claim and
source) is left as it is, so a second run changes nothing, and neither does a run after
fact-checkers have worked on the seeded records.

Every write goes through the same services as the admin, so a seed cannot hold what the admin
would refuse. The history says only what happened: each claim gets exactly one event, "loaded
from the seed file", by the seed account, with the state, rationale and review state the file
gives it. No state change, review step, comment or correction is staged. A verdict the file
publishes is dated with the day of the desk's review the file gives (``[desk] reviewed_on``), not
the day it was loaded, and the public is told it was loaded from the seed file, not approved by an
editor here.
"""

import datetime as dt
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from sources.models import Outlet, Provenance, Source
from sources.services import add_provenance, save_outlet, save_source

from . import anchors, public, services
from .models import Article, Claim, ConfirmationState, ReviewState

TRAILER = "Read the original article."

ARTICLE_KEYS = {"slug", "headline", "byline", "outlet", "url", "published_on", "text_file"}
OUTLET_KEYS = {"name", "kind", "homepage"}
SOURCE_KEYS = {
    "key",
    "title",
    "kind",
    "outlet",
    "author",
    "url",
    "archived_url",
    "published_on",
    "accessed_on",
    "on_record",
    "notes",
    "rests_on",
}
CLAIM_KEYS = {
    "quote", "occurrence", "wording", "claimant", "about", "state", "rationale", "evidence",
    "review_state",
}  # fmt: skip
DESK_KEYS = {"reviewed_on"}
SEED_AUTHOR = "seed"
EVIDENCE_KEYS = {"source", "stance", "excerpt", "note", "origins", "own_reporting"}


class SeedError(Exception):
    """A seed file that cannot be loaded, with where and why."""


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        kinds = sorted(set(self.created) | set(self.existing))
        return ", ".join(
            f"{kind}: {self.created[kind]} new, {self.existing[kind]} already there"
            for kind in kinds
        )


def read_article_text(path: Path) -> str:
    """The article body from a text file: headline, blank, byline, blank, then the paragraphs.

    The syndication trailer ("Read the original article.") is not part of the article.
    """
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    body = "\n".join(lines[4:]).rstrip()
    if body.endswith(TRAILER):
        body = body[: -len(TRAILER)].rstrip()
    return body


def _check_keys(entry: dict, allowed: set[str], where: str) -> None:
    unknown = set(entry) - allowed
    if unknown:
        raise SeedError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}.")


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return " ".join(error.messages)


@transaction.atomic
def load_seed(path: Path) -> SeedReport:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    report = SeedReport()
    author = seed_author()
    try:
        reviewed_on = _reviewed_on(data.get("desk", {}))
        outlets = _load_outlets(data.get("outlet", []), report, author)
        sources = _load_sources(data.get("source", []), outlets, report, author)
        article = _load_article(data["article"], path.parent, outlets, report, author)
        _load_claims(
            data.get("claim", []),
            article,
            sources,
            author,
            report,
            f"seeds/{path.name}",
            reviewed_on,
        )
        if report.created["claims"]:
            # Once for the file, not once a published claim: each refresh rewrites every public
            # claim of the article (9 of the 14 seconds the seed took, refreshed claim by claim).
            public.refresh(articles=[article])
    except KeyError as missing:
        raise SeedError(f"{path.name}: missing required key {missing}.") from missing
    return report


def _reviewed_on(desk: dict) -> dt.date | None:
    """The day of the desk's review that the file records (``[desk] reviewed_on``): the date its
    published verdicts carry."""
    _check_keys(desk, DESK_KEYS, "desk")
    reviewed_on = desk.get("reviewed_on")
    if reviewed_on is not None and (
        not isinstance(reviewed_on, dt.date) or isinstance(reviewed_on, dt.datetime)
    ):
        raise SeedError("desk: reviewed_on is a date, e.g. reviewed_on = 2026-12-02.")
    return reviewed_on


def seed_author():
    """The account named as the author of everything the seed records.

    Every state change has an author; the seed's is this account, which has no usable password
    and so can never sign in.
    """
    user, created = get_user_model().objects.get_or_create(
        username=SEED_AUTHOR, defaults={"first_name": "Seed", "last_name": "data (Claim Tracker)"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(*Group.objects.filter(name__in=["Fact-checkers", "Editors"]))
    return user


def _load_outlets(entries: list[dict], report: SeedReport, author) -> dict[str, Outlet]:
    outlets = {}
    for n, entry in enumerate(entries, start=1):
        _check_keys(entry, OUTLET_KEYS, f"outlet {n}")
        outlet = Outlet.objects.filter(name__iexact=entry["name"]).first()
        if outlet is None:
            outlet = Outlet(
                name=entry["name"],
                kind=entry.get("kind", "other"),
                homepage=entry.get("homepage", ""),
            )
            _save(
                f"outlet “{entry['name']}”",
                lambda outlet=outlet: save_outlet(outlet=outlet, author=author),
            )
            report.created["outlets"] += 1
        else:
            report.existing["outlets"] += 1
        outlets[entry["name"]] = outlet
    return outlets


def _outlet(name: str, outlets: dict[str, Outlet], where: str) -> Outlet | None:
    if not name:
        return None
    if name not in outlets:
        raise SeedError(f"{where}: outlet “{name}” is not defined in the file.")
    return outlets[name]


def _load_sources(
    entries: list[dict], outlets: dict[str, Outlet], report: SeedReport, author
) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for entry in entries:
        where = f"source {entry.get('key', '?')}"
        _check_keys(entry, SOURCE_KEYS, where)
        if entry["key"] in sources:
            raise SeedError(f"{where}: the key is used twice.")
        outlet = _outlet(entry.get("outlet", ""), outlets, where)
        source = Source.objects.filter(title=entry["title"], outlet=outlet).first()
        if source is None:
            source = Source(
                title=entry["title"],
                kind=entry["kind"],
                outlet=outlet,
                author=entry.get("author", ""),
                url=entry.get("url", ""),
                archived_url=entry.get("archived_url", ""),
                published_on=entry.get("published_on"),
                accessed_on=entry.get("accessed_on"),
                on_record=entry.get("on_record", True),
                notes=entry.get("notes", "").strip(),
            )
            _save(where, lambda source=source: save_source(source=source, author=author))
            report.created["sources"] += 1
        else:
            report.existing["sources"] += 1
        sources[entry["key"]] = source

    for entry in entries:
        source = sources[entry["key"]]
        for key in entry.get("rests_on", []):
            if key not in sources:
                raise SeedError(f"source {entry['key']}: rests on unknown source {key}.")
            if Provenance.objects.filter(source=source, rests_on=sources[key]).exists():
                report.existing["provenance links"] += 1
                continue
            try:
                add_provenance(source=source, rests_on=sources[key], author=author)
            except ValidationError as error:
                raise SeedError(f"source {entry['key']}: {_validation_message(error)}") from error
            report.created["provenance links"] += 1
    return sources


def _load_article(
    entry: dict, folder: Path, outlets: dict[str, Outlet], report: SeedReport, author
) -> Article:
    _check_keys(entry, ARTICLE_KEYS, "article")
    article = Article.objects.filter(slug=entry["slug"]).first()
    if article is not None:
        report.existing["articles"] += 1
        return article
    article = Article(
        slug=entry["slug"],
        headline=entry["headline"],
        byline=entry.get("byline", ""),
        outlet=_outlet(entry.get("outlet", ""), outlets, "article"),
        url=entry.get("url", ""),
        published_on=entry.get("published_on"),
        text=read_article_text(folder / entry["text_file"]),
    )
    try:
        services.save_article(article=article, author=author)
    except ValidationError as error:
        raise SeedError(f"article: {_validation_message(error)}") from error
    report.created["articles"] += 1
    return article


def _load_claims(
    entries: list[dict],
    article: Article,
    sources: dict[str, Source],
    author,
    report: SeedReport,
    origin: str,
    reviewed_on: dt.date | None = None,
) -> None:
    for n, entry in enumerate(entries, start=1):
        where = f"claim {n} (“{entry.get('quote', '')[:40]}”)"
        _check_keys(entry, CLAIM_KEYS, where)
        try:
            anchor = anchors.locate(
                article.text, entry["quote"], occurrence=entry.get("occurrence")
            )
        except ValidationError as error:
            raise SeedError(f"{where}: {_validation_message(error)}") from error
        if Claim.objects.filter(
            article=article, quote_start=anchor.start, quote_end=anchor.end
        ).exists():
            report.existing["claims"] += 1
            continue
        evidence = []
        for m, item in enumerate(entry.get("evidence", []), start=1):
            _check_keys(item, EVIDENCE_KEYS, f"{where}, evidence {m}")
            if item["source"] not in sources:
                raise SeedError(f"{where}, evidence {m}: unknown source {item['source']}.")
            # The origins that carry the stance, by key (none given: all the source's origins).
            unknown = [key for key in item.get("origins", []) if key not in sources]
            if unknown:
                raise SeedError(f"{where}, evidence {m}: unknown origin(s) {', '.join(unknown)}.")
            # The source's own reporting carries the stance (beside the origins given, or alone).
            own_reporting = item.get("own_reporting", False)
            if not isinstance(own_reporting, bool):
                raise SeedError(f"{where}, evidence {m}: own_reporting is true or false.")
            evidence.append(
                {
                    "source": sources[item["source"]],
                    "stance": item["stance"],
                    "excerpt": item.get("excerpt", "").strip(),
                    "note": item.get("note", "").strip(),
                    "origins": [sources[key] for key in item.get("origins", [])],
                    "own_reporting": own_reporting,
                }
            )
        try:
            services.import_claim(
                article=article,
                wording=entry["wording"].strip(),
                quote=entry["quote"],
                occurrence=entry.get("occurrence"),
                claimant=entry.get("claimant", ""),
                state=entry.get("state", ConfirmationState.UNVERIFIED),
                rationale=entry.get("rationale", ""),
                review_state=entry.get("review_state", ReviewState.DRAFT),
                evidence=evidence,
                about=entry.get("about", ""),
                author=author,
                origin=origin,
                reviewed_on=reviewed_on,
                refresh_public=False,  # load_seed refreshes the article once
            )
        except ValidationError as error:
            raise SeedError(f"{where}: {_validation_message(error)}") from error
        report.created["claims"] += 1
        report.created["evidence"] += len(evidence)


def _save(where: str, save) -> None:
    try:
        save()
    except ValidationError as error:
        raise SeedError(f"{where}: {_validation_message(error)}") from error
