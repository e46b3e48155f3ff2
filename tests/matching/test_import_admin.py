"""Importing other desks' fact-checks in the admin: a saved page or a feed at once, a page's
address through the real background worker and the safe fetcher (a real HTTP server on
loopback)."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from matching.models import ExternalFactCheck, FactCheckImport, ImportStatus
from tests.factories import UserFactory
from tests.matching.test_import import FEED, PAGE

NEW = "/admin/matching/factcheckimport/add/"
LIST = "/admin/matching/externalfactcheck/"


@pytest.mark.django_db
def test_a_saved_page_and_a_feed_are_imported_at_once(client_for, fact_checker):
    client = client_for(fact_checker)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW,
        {"way": "file", "file-file": SimpleUploadedFile("ferry.html", PAGE, "text/html")},
        follow=True,
    )
    assert "2 fact-checks imported." in response.text
    assert "checked by Example Checks on 4 March 2026: Mostly false" in response.text
    feed = SimpleUploadedFile("feed.json", json.dumps(FEED).encode(), "application/json")
    response = client.post(NEW, {"way": "file", "file-file": feed}, follow=True)
    assert "1 fact-check imported." in response.text
    searched = client.get(LIST, {"q": "did the harbour ferry carry two million people"}).text
    assert "The harbour ferry carried" in searched
    assert "coalition suspended" not in searched

    nothing = SimpleUploadedFile("x.html", b"<html><p>no markup</p></html>", "text/html")
    response = client.post(NEW, {"way": "file", "file-file": nothing})
    assert "No ClaimReview with a claim reviewed was found in it." in response.text


@pytest.mark.django_db
def test_outsiders_do_not_import(client_for, outsider):
    assert client_for(outsider).get(NEW).status_code in (302, 403)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_address_is_fetched_by_the_worker(client, local_site, run_task_worker):
    checker = UserFactory(username="importer", is_staff=True)
    checker.groups.add(Group.objects.get(name="Fact-checkers"))
    local_site.page("/checks/ferry", PAGE)
    local_site.page("/plain", "<html><body><p>Nothing marked up.</p></body></html>")
    local_site.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/")
    client.force_login(checker)
    for path in ("/checks/ferry", "/plain", "/to-metadata"):
        response = client.post(NEW, {"way": "address", "address-url": local_site.url(path)})
        assert response.status_code == 302

    run_task_worker()

    done = FactCheckImport.objects.get(url=local_site.url("/checks/ferry"))
    assert (done.status, done.outcome) == (ImportStatus.DONE, "2 fact-checks imported.")
    ferry = ExternalFactCheck.objects.get(url="https://factcheck.example.org/ferry")
    assert ferry.imported_from == "address"
    assert ferry.imported_by == checker
    failed = FactCheckImport.objects.get(url=local_site.url("/plain"))
    assert failed.status == ImportStatus.FAILED
    assert failed.outcome == "No ClaimReview with a claim reviewed was found in it."
    refused = FactCheckImport.objects.get(url=local_site.url("/to-metadata"))
    assert refused.status == ImportStatus.FAILED
    assert "is on a link-local network" in refused.outcome
    page = client.get(f"/admin/matching/factcheckimport/{failed.pk}/change/").text
    assert "No ClaimReview with a claim reviewed was found in it." in page
