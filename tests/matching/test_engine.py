"""The matching index follows every write, and one similarity ranks the admin's search, the
API's q= and the evaluation (on SQLite and PostgreSQL alike)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.models import Claim
from common.writes import writing_outside_services
from matching.engine import CLAIM, EXTERNAL, query_words, similar
from matching.models import ExternalFactCheck, ImportedFrom
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "The minister said unemployment fell to 4.1 per cent in March. "
    "Critics said the new bridge would not open before June. "
    "Guantanamo detainees released under Obama returned to terrorism, the senator claimed."
)


def claims_on(text=TEXT):
    article = ArticleFactory(text=text)
    quotes = [sentence.strip().rstrip(".") + "." for sentence in text.split(". ")]
    return [ClaimFactory(article=article, quote=q, wording=q) for q in quotes]


def external(claim_reviewed, **fields):
    with writing_outside_services():
        return ExternalFactCheck.objects.create(
            claim_reviewed=claim_reviewed, imported_from=ImportedFrom.FILE, **fields
        )


def test_query_words_drop_links_split_handles_and_hashtags():
    words = query_words("RT @RealDonaldTrump: the #FakeNews of 2020 https://t.co/abc is it")
    assert words == ["rt", "real", "donald", "trump", "fake", "news", "2020"]


def test_the_index_follows_inserts_updates_and_deletes():
    unemployment, bridge, detainees = claims_on()
    found = similar("How many Guantanamo detainees went back to terrorism?", limit=3)
    assert found[0].kind == CLAIM
    assert found[0].obj == detainees
    assert found[0].obj.article == detainees.article  # loaded with it

    Claim.objects.filter(pk=bridge.pk).update(wording="The ferry service was cancelled.")
    assert [m.obj for m in similar("ferry cancelled", limit=3)] == [bridge]
    assert [m.obj for m in similar("bridge June", limit=3)] == [bridge]  # its quote still says so

    with writing_outside_services():
        unemployment.delete()
    assert similar("unemployment per cent", limit=3) == []


def test_external_fact_checks_are_matched_with_claims_and_can_be_left_out():
    (_, _, detainees) = claims_on()
    check = external(
        "122 detainees released from Guantanamo under Obama re-engaged in terrorism.",
        title="Did Guantanamo detainees return to the battlefield?",
        publisher="Snopes",
        rating_name="Mostly false",
    )
    found = similar("Guantanamo detainees returned to terrorism", limit=5)
    assert {(m.kind, m.obj) for m in found} >= {(CLAIM, detainees), (EXTERNAL, check)}
    only = similar("Guantanamo detainees returned to terrorism", limit=5, kinds=(EXTERNAL,))
    assert [m.obj for m in only] == [check]
    rest = similar("Guantanamo detainees", limit=5, exclude=[(CLAIM, detainees.pk)])
    assert detainees not in [m.obj for m in rest]
    assert check.checked_by == "checked by Snopes: Mostly false"


def test_a_query_of_nothing_but_links_and_stop_words_finds_nothing():
    claims_on()
    assert similar("https://example.org/ the of and", limit=5) == []
    assert similar('"OR" NEAR( * ^ -', limit=5) == []  # FTS5 and tsquery syntax are only words


def test_the_admin_search_ranks_by_similarity(client_for, fact_checker):
    _, bridge, detainees = claims_on()
    page = client_for(fact_checker).get(
        reverse("admin:claims_claim_changelist"), {"q": "detainees back to terrorism? bridge"}
    )
    content = page.content.decode()
    assert detainees.wording in content
    assert bridge.wording in content
    assert content.index(detainees.wording) < content.index(bridge.wording)
    assert "unemployment" not in content


def test_the_admin_search_of_other_desks_fact_checks_ranks_by_similarity(client_for, fact_checker):
    # The most similar made first: listed newest first (the list's own order), it would be last.
    close = external("Guantanamo detainees returned to terrorism.", publisher="Snopes")
    loose = external("Detainees of many prisons went home.", publisher="AFP")
    external("The bridge opened in June.", publisher="PolitiFact")
    page = client_for(fact_checker).get(
        reverse("admin:matching_externalfactcheck_changelist"),
        {"q": "Guantanamo detainees returned to terrorism"},
    )
    content = page.content.decode()
    assert content.index(close.claim_reviewed) < content.index(loose.claim_reviewed)
    assert "The bridge opened" not in content


def test_evaluate_matching_refuses_a_database_with_desk_data(tmp_path):
    claims_on()
    files = eval_files(tmp_path)
    with pytest.raises(CommandError, match="desk data"):
        call_command(
            "evaluate_matching",
            "--claims", files["claims"], "--queries", files["queries"], "--qrels", files["qrels"],
        )  # fmt: skip


def eval_files(tmp_path: Path) -> dict[str, Path]:
    claims = tmp_path / "verified_claims.docs.tsv"
    claims.write_text(
        "\tvclaim\ttitle\n"
        "0\t122 detainees released from Guantanamo re-engaged in terrorism.\tGuantanamo returns\n"
        '1\t"The bridge will open in\nJune."\tBridge opening\n'
        "2\tUnemployment fell to 4 per cent.\tJobs figures\n"
    )
    queries = tmp_path / "tweets.queries.tsv"
    queries.write_text(
        "\ttweet_content\n"
        "10\tGuantanamo detainees went back to terrorism https://t.co/x — A Person (@someone)\n"
        "11\t#Unemployment is at 4 per cent, says @JobsMinister\n"
        "12\tJobs figures and unemployment are out, and the bridge\n"
    )
    qrels = tmp_path / "qrels"
    qrels.write_text("10\t0\t0\t1\n11\t0\t2\t1\n12\t0\t1\t1\n")
    return {"claims": claims, "queries": queries, "qrels": qrels}


def test_evaluate_matching_on_a_scratch_database_prints_map_at_5(tmp_path, settings):
    """The command as the README runs it: a fresh database, migrated, then evaluated."""
    from django.db import connection

    files = eval_files(tmp_path)
    if connection.vendor == "postgresql":
        pytest.skip("the scratch database of this test is SQLite; PostgreSQL runs in the README")
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "test-suite-only-not-a-secret",
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'scratch.sqlite3'}",
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, capture_output=True)
    out = subprocess.run(
        [*manage, "evaluate_matching", "--claims", files["claims"], "--queries",
         files["queries"], "--qrels", files["qrels"]],
        env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    # Tweet 12 finds the bridge second (after "Jobs figures"): 1 + 1 + 1/2 over 3.
    assert out.strip().splitlines()[-1] == "MAP@5 0.8333 (3 queries)"


def test_the_claim_forms_similar_box_answers_in_json(client_for, fact_checker, outsider):
    _, bridge, detainees = claims_on()
    url = reverse("admin:claims_claim_similar")
    answer = client_for(fact_checker).get(
        url, {"text": "Guantanamo detainees", "exclude": str(bridge.pk)}
    )
    first = answer.json()["results"][0]
    assert first["id"] == detainees.pk
    assert first["state"] == "Unverified"
    assert first["article"] == detainees.article.headline
    mine = client_for(fact_checker).get(url, {"text": detainees.wording, "exclude": detainees.pk})
    assert detainees.pk not in [row["id"] for row in mine.json()["results"]]
    assert client_for(outsider).get(url, {"text": "x"}).status_code in (302, 403)


def test_the_desks_api_search_ranks_and_costs_the_same_queries_whatever_it_finds(
    fact_checker, django_assert_num_queries
):
    from django.db import connection
    from rest_framework.test import APIClient

    from accounts.models import ApiToken

    _, bridge, detainees = claims_on()
    _, key = ApiToken.objects.create_key(user=fact_checker, name="test client")
    desk = APIClient()
    desk.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # The token with its user; the ranking (one query on SQLite, two on PostgreSQL: the words'
    # counts with the total, the rank); the page of claims, its joins in the same query; their
    # evidence. None per row: claims.api.filters asks matching.selectors for one ranked queryset.
    ranking = 1 if connection.vendor == "sqlite" else 2
    with django_assert_num_queries(ranking + 3) as few:
        found = desk.get("/api/v1/claims/", {"q": "detainees back to terrorism? bridge"}).json()
    assert [row["id"] for row in found["results"]] == [detainees.pk, bridge.pk]
    claims_on("Bridge workers said the bridge was late. Critics said the bridge cost more.")
    with django_assert_num_queries(len(few.captured_queries)):
        found = desk.get("/api/v1/claims/", {"q": "detainees back to terrorism? bridge"}).json()
    assert found["results"][0]["id"] == detainees.pk
    assert len(found["results"]) == 4
