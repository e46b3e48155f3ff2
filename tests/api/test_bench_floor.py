"""The benchmark's floor (bench/api.py) is the claims list's very bytes, built by its own queries:
a floor that served less than the list would flatter it."""

import orjson
import pytest

from bench.api import PAGE, floor_page
from claims import services
from claims.models import Claim

pytestmark = pytest.mark.django_db


def test_the_floor_serves_the_desks_claims_list(api_as, editor, seeded):
    # A working copy that differs from its public version, so the floor's differences count.
    claim = Claim.objects.published().order_by("pk").first()
    services.edit_claim(
        claim=claim,
        author=editor,
        rationale=claim.rationale + " Checked again.",
        reason="A sentence on the second check.",
    )
    listed = api_as(editor).get("/api/v1/claims/", {"page_size": PAGE}).json()["results"]
    floor = orjson.loads(floor_page())["results"]
    assert any(row["publication"] and row["publication"]["differs"] for row in floor)
    assert _diff(floor, listed) == []
    assert floor == listed


def _diff(a, b, path=""):
    """Where two JSON values differ, by path (a readable failure)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [
            d
            for k in set(a) | set(b)
            for d in _diff(a.get(k, "<none>"), b.get(k, "<none>"), f"{path}.{k}")
        ]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _diff(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [(path, repr(a)[:60], repr(b)[:60])]
