"""A public list or status page read again for the same generation of the read model is the
same bytes, sent without reading its rows (claims.public.memory); any write of the read model (an approval, a
withdrawal, a rebuild after a change around the services) is a new generation, so nothing kept
is ever shown for rows that changed."""

import pytest

from claims import public, services
from claims.models import ConfirmationState, PublicClaim
from claims.public import state
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    make_public,
)

pytestmark = pytest.mark.django_db

TEXT = "The minister said the bridge would open in May. The budget was 40 million."
LIST = "/api/v1/claims/?page_size=50"


def _published(quote: str, article):
    claim = ClaimFactory(article=article, quote=quote)
    EvidenceFactory(claim=claim, source=SourceFactory())
    return make_public(claim, ConfirmationState.CONFIRMED)


def test_a_list_read_again_is_kept_and_a_new_generation_is_read_anew(
    api, editor, django_assert_max_num_queries
):
    article = ArticleFactory(text=TEXT)
    first = _published("the bridge would open in May", article)
    before = api.get(LIST)
    assert [c["id"] for c in before.json()["results"]] == [first.pk]
    # The generation and the throttle's counter; not the rows.
    with django_assert_max_num_queries(3) as queries:
        again = api.get(LIST)
    assert not any("claims_publicclaim" in q["sql"] for q in queries.captured_queries)
    assert again.content == before.content
    assert again["ETag"] == before["ETag"]
    # Another page, filter or address is another answer.
    assert api.get(LIST + "&state=refuted").json()["results"] == []
    assert b"http://localhost/" in api.get(LIST, HTTP_HOST="localhost").content

    second = _published("The budget was 40 million", article)
    listed = api.get(LIST)
    assert [c["id"] for c in listed.json()["results"]] == [second.pk, first.pk]
    assert listed["ETag"] != before["ETag"]

    services.withdraw(claim=first, author=editor, reason="The ministry retracted it.")
    withdrawn = {c["id"]: c for c in api.get(LIST).json()["results"]}
    assert withdrawn[first.pk]["links"]["claimreview"] is None


def test_a_rebuild_that_changes_rows_is_a_new_generation(api):
    claim = _published("the bridge would open in May", ArticleFactory(text=TEXT))
    before = api.get(LIST).content
    generation = state.generation()
    row = PublicClaim.objects.get(pk=claim.pk)
    PublicClaim.objects.filter(pk=claim.pk).update(api=row.api.replace("May", "June"))
    assert public.differences()  # refresh_public --check sees the row written around it
    public.rebuild()  # the row as the frozen versions make it, under a new generation
    assert state.generation() != generation
    assert public.differences() == []
    assert api.get(LIST).content == before


def test_the_desk_is_never_answered_from_the_publics_memory(api, api_as, fact_checker):
    article = ArticleFactory(text=TEXT)
    _published("the bridge would open in May", article)
    api.get(LIST)
    api.get(LIST)
    draft = ClaimFactory(article=article, quote="The budget was 40 million")
    desk = api_as(fact_checker).get(LIST).json()["results"]
    assert draft.pk in [c["id"] for c in desk]
    assert draft.pk not in [c["id"] for c in api.get(LIST).json()["results"]]


def _headers(response) -> dict:
    return {k: v for k, v in response.items() if k != "Date"}


@pytest.mark.parametrize("page", ["claim", "article"])
def test_a_public_page_read_again_is_kept_for_the_signed_out_only(
    client, client_for, fact_checker, editor, django_assert_max_num_queries, page
):
    article = ArticleFactory(text=TEXT)
    claim = _published("the bridge would open in May", article)
    url = f"/claims/{claim.pk}/" if page == "claim" else f"/articles/{article.slug}/"
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_max_num_queries(1):  # the generation
        again = client.get(url)
    assert again.content == first.content
    assert _headers(again) == _headers(first)  # Vary: Cookie, its CSP, its cache policy
    # Signed in, the desk's own page: never the kept one.
    desk = client_for(fact_checker).get(url)
    assert desk.content != first.content
    assert {"private", "no-store"} <= {d.strip() for d in desk["Cache-Control"].split(",")}
    # An approval is a new generation: the page is read anew.
    second = _published("The budget was 40 million", article)
    after = client.get(f"/articles/{article.slug}/")
    assert f"/claims/{second.pk}/" in after.text
    services.withdraw(claim=claim, author=editor, reason="The ministry retracted it.")
    assert "withdrawn" in client.get(f"/claims/{claim.pk}/").text


def test_a_reader_with_a_session_gets_the_page_made_for_them(client, django_assert_max_num_queries):
    claim = _published("the bridge would open in May", ArticleFactory(text=TEXT))
    url = f"/claims/{claim.pk}/"
    client.get(url)
    client.cookies["sessionid"] = "not-a-session"
    with django_assert_max_num_queries(4) as queries:
        assert client.get(url).status_code == 200
    assert any("claims_publicclaim" in q["sql"] for q in queries.captured_queries)
