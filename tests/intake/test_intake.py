"""Article intake in the admin, through the test client, with the real worker doing the fetching.

(The same journey is clicked through in Chromium by tests/browser/test_intake.py; these tests
check what is stored, and every way it can fail, with the sentence the desk reads.)"""

import hashlib
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Article
from intake.models import ArticleIntake, IntakeKind, IntakeStatus
from sources.models import Outlet
from tests.factories import ArticleFactory, OutletFactory, UserFactory

PAGES = Path(__file__).parent / "pages"
NEW = "/admin/intake/articleintake/add/"


def page_bytes(name: str) -> bytes:
    return (PAGES / f"{name}.html").read_bytes()


def intake_url(intake) -> str:
    return f"/admin/intake/articleintake/{intake.pk}/change/"


def ask(client, way: str, **data):
    payload = {"way": way, **{f"{way}-{name}": value for name, value in data.items()}}
    return client.post(NEW, payload)


def form_data(response) -> dict:
    """What the pre-filled article form would send as it stands (the person changes nothing)."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
        if hasattr(value, "isoformat"):
            data[name] = value.isoformat()
    return data


@pytest.fixture
def checker(transactional_db):
    user = UserFactory(username="fiona", is_staff=True)
    user.groups.add(Group.objects.get(name="Fact-checkers"))
    return user


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_addresses_are_fetched_by_the_worker_and_each_outcome_is_said_in_a_sentence(
    client, checker, local_site, run_task_worker
):
    html = page_bytes("harbour-bridge")
    local_site.page("/news/harbour-bridge", html)
    local_site.redirect("/s/hb", "/news/harbour-bridge")
    local_site.page("/paywalled", "no", status=403)
    local_site.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/")
    local_site.page("/menu", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    local_site.page("/huge", b"x" * (5 * 1024 * 1024 + 1))
    client.force_login(checker)

    assert client.get(NEW).status_code == 200
    asked = {}
    for path in ("/s/hb", "/paywalled", "/to-metadata", "/menu", "/huge"):
        response = ask(client, "address", url=local_site.url(path))
        assert response.status_code == 302
        asked[path] = ArticleIntake.objects.get(requested_url=local_site.url(path))
        assert response["Location"] == intake_url(asked[path])
    waiting = client.get(intake_url(asked["/s/hb"])).text
    assert "Waiting for the background worker" in waiting
    assert '<meta http-equiv="refresh"' in waiting

    run_task_worker()

    said = {path: client.get(intake_url(intake)).text for path, intake in asked.items()}
    assert "The site answered 403 (Forbidden)." in said["/paywalled"]
    assert (
        "That address (169.254.169.254) is on a link-local network; the tracker fetches only "
        "public web addresses."
    ) in said["/to-metadata"]
    assert "No article text was found on that page." in said["/menu"]
    assert "The page is over 5 MB." in said["/huge"]
    for path in ("/paywalled", "/to-metadata", "/menu", "/huge"):
        assert 'name="headline"' not in said[path]
        assert '<meta http-equiv="refresh"' not in said[path]

    # The original, as fetched: exact bytes, hash, final address after the redirect, status.
    intake = ArticleIntake.objects.get(pk=asked["/s/hb"].pk)
    assert intake.status == IntakeStatus.READY
    assert bytes(intake.content) == html
    assert intake.sha256 == hashlib.sha256(html).hexdigest()
    assert intake.final_url == local_site.url("/news/harbour-bridge")
    assert (intake.http_status, intake.content_type) == (200, "text/html; charset=utf-8")
    assert intake.fetched_at is not None
    # A page came back from /menu: what it was is kept, for the desk to see.
    assert ArticleIntake.objects.get(pk=asked["/menu"].pk).sha256

    ready = client.get(intake_url(intake))
    data = form_data(ready)
    assert data["headline"] == "Harbour bridge opening delayed to autumn, council admits"
    assert data["slug"] == "harbour-bridge-opening-delayed-to-autumn-council-admits"
    assert (data["byline"], data["published_on"]) == ("Priya Natarajan", "2026-11-28")
    assert data["url"] == "https://courier.example/news/2026/11/harbour-bridge-delayed"
    assert (data["outlet"], data["new_outlet_name"]) == ("", "The Riverside Courier")
    assert data["language"] == "en-GB"
    assert data["text"] == (PAGES / "harbour-bridge.txt").read_text().strip()

    saved = client.post(intake_url(intake), data)

    article = Article.objects.get()
    assert saved["Location"] == f"/admin/claims/article/{article.pk}/change/"
    assert article.text == data["text"]
    assert article.outlet.name == "The Riverside Courier"
    assert article.outlet.homepage == "https://courier.example/"
    intake.refresh_from_db()
    assert (intake.status, intake.article_id, intake.language) == ("saved", article.pk, "en-GB")
    shown = client.get(saved["Location"]).text
    assert (
        f"fetched {intake.fetched_at:%Y-%m-%d %H:%M} UTC, SHA-256 {intake.sha256[:4]}…, 2 kB"
        in (shown)
    )
    download = client.get(f"/admin/intake/articleintake/{intake.pk}/original/")
    assert download.content == html
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_a_saved_page_is_read_at_once_and_a_second_copy_is_found_not_duplicated(
    client_for, fact_checker
):
    OutletFactory(name="Le Petit Riverain (Lyon)", homepage="https://www.petit-riverain.example/")
    client = client_for(fact_checker)
    html = page_bytes("clinic-hours")

    response = client.post(
        NEW, {"way": "upload", "upload-file": SimpleUploadedFile("clinique.html", html)}
    )

    intake = ArticleIntake.objects.get()
    assert response["Location"] == intake_url(intake)
    assert (intake.kind, intake.filename, bytes(intake.content)) == (
        IntakeKind.UPLOAD,
        "clinique.html",
        html,
    )
    ready = client.get(intake_url(intake))
    data = form_data(ready)
    # Matched by its site (the page's canonical address), whatever the outlet is called here.
    assert data["outlet"] == Outlet.objects.get().pk
    assert data["new_outlet_name"] == ""
    assert "Matched by its site (petit-riverain.example)." in ready.text
    client.post(intake_url(intake), data)
    article = Article.objects.get()
    assert article.outlet.name == "Le Petit Riverain (Lyon)"
    assert Outlet.objects.count() == 1

    client.post(NEW, {"way": "upload", "upload-file": SimpleUploadedFile("again.html", html)})
    again = client.get(intake_url(ArticleIntake.objects.latest("pk")))
    assert "This article is already in the tracker:" in again.text
    assert again.context["form"] is None
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_pasted_text_needs_its_headline_and_the_same_text_again_is_found(client_for, fact_checker):
    client = client_for(fact_checker)
    text = (PAGES / "ferry-fares.txt").read_text()

    ask(client, "paste", text=text)

    intake = ArticleIntake.objects.get()
    assert (intake.kind, intake.content_type) == (IntakeKind.PASTE, "text/plain; charset=utf-8")
    data = form_data(client.get(intake_url(intake)))
    assert data["headline"] == ""
    refused = client.post(intake_url(intake), data)
    assert refused.status_code == 200
    assert "This field is required." in refused.text
    # What was typed stays in the form.
    assert refused.context["form"]["text"].value().startswith("Return tickets on the island ferry")
    data |= {"headline": "Island ferry fares to rise", "slug": "island-ferry-fares"}
    client.post(intake_url(intake), data)
    assert Article.objects.get().headline == "Island ferry fares to rise"

    ask(client, "paste", text=text)
    again = client.get(intake_url(ArticleIntake.objects.latest("pk")))
    assert "This article is already in the tracker:" in again.text


@pytest.mark.django_db
def test_an_article_typed_in_by_hand_at_the_same_address_is_found(
    client_for, fact_checker, local_site
):
    existing = ArticleFactory(url="https://courier.example/news/2026/11/harbour-bridge-delayed")
    client = client_for(fact_checker)

    client.post(
        NEW,
        {
            "way": "upload",
            "upload-file": SimpleUploadedFile("hb.html", page_bytes("harbour-bridge")),
        },
    )

    shown = client.get(intake_url(ArticleIntake.objects.get()))
    assert shown.context["duplicate"] == existing
    assert f"/admin/claims/article/{existing.pk}/change/" in shown.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("way", "data", "sentence"),
    [
        (
            "address",
            {"url": "ftp://files.example.org/a"},
            "Only http:// and https:// addresses can be fetched.",
        ),
        (
            "address",
            {"url": "http://93.184.216.34:8080/"},
            "That address uses port 8080; the tracker fetches only from ports 80 and 443.",
        ),
        ("paste", {"text": "   "}, "This field is required."),
    ],
)
def test_what_cannot_be_an_article_is_refused_with_a_sentence_and_nothing_waits(
    client_for, fact_checker, way, data, sentence
):
    response = ask(client_for(fact_checker), way, **data)

    assert response.status_code == 200
    assert sentence in response.text
    assert not ArticleIntake.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_limit_or_without_an_article_is_refused(client_for, fact_checker, settings):
    settings.FETCH_MAX_BYTES = 1024
    client = client_for(fact_checker)
    big = SimpleUploadedFile("big.html", page_bytes("harbour-bridge"))
    menu = SimpleUploadedFile("menu.html", b"<html><body><nav>Home News</nav></body></html>")

    assert "The file is over 1 kB." in client.post(NEW, {"way": "upload", "upload-file": big}).text
    settings.FETCH_MAX_BYTES = 5 * 1024 * 1024
    assert (
        "No article text was found on that page."
        in client.post(NEW, {"way": "upload", "upload-file": menu}).text
    )
    assert not ArticleIntake.objects.exists()


@pytest.mark.django_db
def test_only_desk_members_who_may_add_articles_take_articles_in(client, client_for, outsider):
    viewer = UserFactory(username="vera", is_staff=True)
    assert client.get(NEW).status_code == 302  # to the sign-in page
    assert client_for(outsider).get(NEW).status_code == 302
    assert client_for(viewer).get(NEW).status_code == 403


@pytest.mark.django_db
def test_the_article_form_and_the_lists_run_a_fixed_number_of_queries(
    client_for, fact_checker, django_assert_num_queries
):
    from intake import services
    from sources.services import request_snapshot
    from tests.factories import SourceFactory

    client = client_for(fact_checker)
    html = page_bytes("harbour-bridge")

    def upload(k):
        page = html.replace(b"Tom Hale", f"Tom Hale ({k})".encode())
        return services.read_uploaded_page(content=page, filename=f"{k}.html", author=fact_checker)

    first = upload(0)
    client.get(intake_url(first))  # warms the content-type cache
    # session, user, the intake, the user's and the groups' permissions, the article it may
    # already be (one query), the outlet of its site, the slug's neighbours, the queue counts and
    # the unread notifications of the admin's header.
    with django_assert_num_queries(10):
        assert client.get(intake_url(first)).status_code == 200
    for k in range(1, 5):
        upload(k)
        request_snapshot(source=SourceFactory(), author=fact_checker)
    # The lists: session, user, permissions (user's, groups'), the count of the rows the filters
    # keep, the page of rows with their article (or source) and requester, the queue counts and
    # the unread notifications.
    for path in ("/admin/intake/articleintake/", "/admin/sources/sourcesnapshot/"):
        client.get(path)
        with django_assert_num_queries(8):
            assert client.get(path).status_code == 200


def test_the_deploy_check_warns_while_the_test_servers_setting_is_on(settings):
    from django.core import checks

    settings.FETCH_ALLOW_LOCAL_TEST_SERVER = True
    assert [
        m.id
        for m in checks.run_checks(include_deployment_checks=True)
        if m.id.startswith("intake.")
    ] == ["intake.W001"]
    settings.FETCH_ALLOW_LOCAL_TEST_SERVER = False
    assert not [
        m for m in checks.run_checks(include_deployment_checks=True) if m.id.startswith("intake.")
    ]


@pytest.mark.django_db
def test_a_long_pasted_article_is_read_and_one_past_every_limit_is_refused_in_a_sentence(
    client_for, fact_checker, settings
):
    client = client_for(fact_checker)
    paragraph = (PAGES / "ferry-fares.txt").read_text().strip() + "\n\n"
    # Three megabytes of text: over Django's 2.5 MB default for a form, within the 5 MB an
    # article's text may be.
    long_text = paragraph * (3 * 1024 * 1024 // len(paragraph.encode()) + 1)

    ask(client, "paste", text=long_text)

    assert ArticleIntake.objects.get().content.decode().strip() == long_text.strip()

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    refused = ask(client, "paste", text=long_text)

    assert refused.status_code == 400
    assert "The form sent more than this server reads in one request (1 MB)" in refused.text
    assert "An article's pasted text may be up to 5 MB" in refused.text
    assert ArticleIntake.objects.count() == 1
