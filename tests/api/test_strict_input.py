"""Strict input (issue 11): wrong JSON types, fields an endpoint does not take, filter values
and query parameters a list does not know are each a 400 naming what is wrong."""

import pytest

from tests.factories import ArticleFactory, ClaimFactory, OutletFactory, SourceFactory

pytestmark = pytest.mark.django_db


def problem(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    assert field in body["errors"], body
    return " ".join(body["errors"][field])


@pytest.fixture
def desk(api_as, editor):
    return api_as(editor)


def test_an_outlet_named_by_a_number_is_refused(desk):
    response = desk.post("/api/v1/outlets/", {"name": 0, "kind": "agency"}, format="json")
    assert "a string" in problem(response, "name")


def test_derived_from_must_be_an_array(desk):
    response = desk.post(
        "/api/v1/sources/", {"title": "T", "kind": "report", "derived_from": {}}, format="json"
    )
    assert "an array" in problem(response, "derived_from")


@pytest.mark.parametrize(("value", "expected"), [(True, "a whole number"), ("1", "a whole")])
def test_an_id_is_a_json_number(desk, value, expected):
    response = desk.post("/api/v1/sources/", {"title": "T", "kind": "report", "outlet": value},
                         format="json")  # fmt: skip
    assert expected in problem(response, "outlet")


def test_a_boolean_is_a_json_boolean(desk):
    response = desk.post(
        "/api/v1/sources/", {"title": "T", "kind": "report", "on_record": "yes"}, format="json"
    )
    assert "true or false" in problem(response, "on_record")


def test_an_unknown_field_is_named_with_the_fields_there_are(desk):
    response = desk.post("/api/v1/outlets/", {"name": "R", "colour": "red"}, format="json")
    text = problem(response, "colour")
    assert "not a field" in text
    assert "name" in text


def test_a_read_only_field_is_refused(desk):
    response = desk.post("/api/v1/outlets/", {"name": "R", "id": 5}, format="json")
    assert "read-only" in problem(response, "id")


def test_the_state_of_a_claim_goes_through_its_state_endpoint(desk):
    claim = ClaimFactory()
    etag = desk.get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    response = desk.patch(
        f"/api/v1/claims/{claim.pk}/", {"state": "confirmed"}, format="json", HTTP_IF_MATCH=etag
    )
    assert "claims/<id>/state/" in problem(response, "state")


@pytest.mark.parametrize(
    ("path", "param", "value", "allowed"),
    [
        ("/api/v1/sources/", "on_record", "-5", "true, false"),
        ("/api/v1/claims/", "by_article", "maybe", "true, false"),
        ("/api/v1/claims/", "state", "true-ish", "confirmed"),
        ("/api/v1/claims/", "review_state", "nope", "draft"),
        ("/api/v1/sources/", "kind", "rumour", "report"),
        ("/api/v1/evidence/", "stance", "meh", "supports"),
    ],
)
def test_a_filter_value_names_the_allowed_values(desk, path, param, value, allowed):
    assert allowed in problem(desk.get(path, {param: value}), param)


def test_filter_booleans_work(desk):
    SourceFactory(on_record=True)
    SourceFactory(on_record=False)
    rows = desk.get("/api/v1/sources/", {"on_record": "false"}).json()["results"]
    assert [r["on_record"] for r in rows] == [False]


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/sources/", "/api/v1/outlets/"])
def test_an_unknown_query_parameter_on_a_list(api, path):
    text = problem(api.get(path, {"colour": "red"}), "colour")
    assert "page_size" in text


def test_an_ordering_the_list_does_not_offer(api):
    text = problem(api.get("/api/v1/claims/", {"ordering": "wording"}), "ordering")
    assert "-updated_at" in text


def test_an_allowed_ordering_orders(desk):
    OutletFactory(name="B")
    OutletFactory(name="A")
    rows = desk.get("/api/v1/outlets/", {"ordering": "-name"}).json()["results"]
    assert [r["name"] for r in rows] == ["B", "A"]


def test_a_claim_write_takes_the_article_as_a_number(api_as, fact_checker):
    article = ArticleFactory(text="The bridge opens in May.")
    response = api_as(fact_checker).post(
        "/api/v1/claims/",
        {"article": str(article.pk), "wording": "w", "quote": "The bridge opens in May."},
        format="json",
    )
    assert "a whole number" in problem(response, "article")


def test_options_describes_the_write_shape(desk):
    actions = desk.options("/api/v1/claims/").json()["actions"]
    post = actions["POST"]
    assert "id" not in post
    assert "state" not in post
    assert post["article"]["required"] is True
    assert post["wording"]["required"] is True
    assert post["rationale"]["required"] is False


@pytest.mark.parametrize("param", ["updated_since", "article", "state", "by_article"])
def test_an_empty_filter_value_is_not_no_filter(api, param):
    assert "is empty" in problem(api.get("/api/v1/claims/", {param: ""}), param)


def test_an_empty_text_filter_still_means_any(api):
    assert api.get("/api/v1/claims/", {"claimant": "", "q": ""}).status_code == 200
