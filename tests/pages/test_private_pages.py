"""A status page shown to someone signed in (drafts included) is never kept by a shared cache or
the browser: Cache-Control: private, no-store (issue 18)."""

import pytest
from django.urls import reverse

from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_pages_for_signed_in_staff_are_private_and_not_stored(client_for, fact_checker):
    draft = ClaimFactory()
    client = client_for(fact_checker)
    for url in ("/", reverse("claims:claim", args=[draft.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_control(response), url
        assert "public" not in cache_control(response)
        assert "Cookie" in response["Vary"]


def test_anonymous_pages_are_not_marked_private(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "private" not in cache_control(response)
