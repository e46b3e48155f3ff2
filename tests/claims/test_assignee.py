"""Every desk member can set a claim's assignee: the admin's autocomplete searches active staff."""

import pytest
from django.urls import reverse

from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def _search(client, term):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": "claims", "model_name": "claim", "field_name": "assignee", "term": term},
    )


def test_a_fact_checker_finds_desk_members_and_only_them(client_for, fact_checker, editor):
    UserFactory(username="desk_dora", is_staff=True)
    UserFactory(username="desk_gone", is_staff=True, is_active=False)
    UserFactory(username="desk_reader", is_staff=False)
    response = _search(client_for(fact_checker), "desk_")
    assert response.status_code == 200
    names = [r["text"] for r in response.json()["results"]]
    assert names == ["desk_dora"]
    everyone = [r["text"] for r in _search(client_for(fact_checker), "").json()["results"]]
    assert fact_checker.username in everyone
    assert editor.username in everyone


def test_the_user_admin_itself_stays_closed_to_the_desk(client_for, fact_checker):
    client = client_for(fact_checker)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    other = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "auth", "model_name": "user", "field_name": "groups", "term": ""},
    )
    assert other.status_code in (403, 404)


def test_a_fact_checker_assigns_a_colleague_in_the_claim_form(client_for, fact_checker, editor):
    claim = ClaimFactory()
    client = client_for(fact_checker)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "article": claim.article_id,
            "assignee": editor.pk,
            "evidence-TOTAL_FORMS": 0,
            "evidence-INITIAL_FORMS": 0,
        }
    )
    response = client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    claim.refresh_from_db()
    assert claim.assignee == editor
