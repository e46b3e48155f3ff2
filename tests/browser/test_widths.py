"""Every admin and status page at a phone's 390 px (no sideways scrolling of the page) and the
admin lists at a laptop's 1366 px (every column readable: the list fits its space).

The pages are every list, change page (or read-only view page, for the audit trail), add page and
history page that desk staff reach, with the seed's rows."""

import pytest
from django.utils import timezone
from django.utils.http import urlencode

from claims import services
from claims.models import Article, Claim, Evidence, PublishedVersion, ReviewEvent, StateChange
from common.fetch import Fetched
from intake.models import ArticleIntake
from intake.services import read_pasted_text
from sources.models import Outlet, Source, SourceSnapshot
from sources.services import finish_snapshot, request_snapshot, start_snapshot
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


LISTS = [
    "/admin/claims/claim/",
    "/admin/claims/article/",
    "/admin/claims/evidence/",
    "/admin/sources/source/",
    "/admin/sources/outlet/",
    "/admin/claims/reviewevent/",
    "/admin/claims/statechange/",
    "/admin/intake/articleintake/",
    "/admin/sources/sourcesnapshot/",
]


def _audit_rows(user):
    """A state change and a review event for the audit pages, made as the desk makes them (the
    seed records verdicts as loaded versions, without working steps)."""
    if not StateChange.objects.exists():
        draft = Claim.objects.filter(review_state="draft").order_by("pk").first()
        services.change_state(
            claim=draft,
            to_state="in_progress",
            rationale="Looking for the Pentagon's statement on the letter.",
            author=user,
        )
    if not ReviewEvent.objects.exists():
        draft = Claim.objects.filter(review_state="draft").order_by("pk").first()
        services.add_comment(claim=draft, author=user, body="Which statement do we cite?")
        services.change_state(
            claim=draft, to_state="unverifiable", rationale="Unnamed sources only.", author=user
        )
        services.submit_for_review(claim=draft, author=user, comment="Ready for a look.")


def _intake_rows(user):
    """An article waiting to be checked and a source's snapshot, as the desk makes them (the
    snapshot's fetch as the worker would record it, from bytes at hand)."""
    if not ArticleIntake.objects.exists():
        read_pasted_text(
            text="The harbour authority said on Monday that the new quay would open in the spring, "
            "two years after work began, and that ferries would use it from the first week.",
            author=user,
        )
    if not SourceSnapshot.objects.exists():
        source = Source.objects.exclude(url="").order_by("pk").first()
        snapshot = request_snapshot(source=source, author=user)
        start_snapshot(snapshot_id=snapshot.pk)
        page = b"<html><body><p>The letter, as it was published.</p></body></html>"
        finish_snapshot(
            snapshot_id=snapshot.pk,
            fetched=Fetched(
                url=source.url,
                final_url=source.url,
                status=200,
                content_type="text/html; charset=utf-8",
                body=page,
                fetched_at=timezone.now(),
            ),
        )


def _pages():
    intake = ArticleIntake.objects.first()
    snapshot = SourceSnapshot.objects.first()
    claim = Claim.objects.filter(review_state="in_review").first() or Claim.objects.first()
    article = Article.objects.first()
    source = Source.objects.filter(provenance__isnull=False).first() or Source.objects.first()
    evidence = Evidence.objects.order_by("pk").first()
    outlet = Outlet.objects.first()
    quote = claim.quote
    selection = urlencode(
        {
            "article": claim.article_id,
            "quote": quote,
            "quote_start": claim.quote_start,
            "quote_end": claim.quote_end,
        }
    )
    return [
        "/admin/",
        *LISTS,
        "/admin/claims/publishedversion/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/history/",
        "/admin/claims/claim/add/",
        f"/admin/claims/claim/add/?{selection}",
        f"/admin/claims/article/{article.pk}/change/",
        f"/admin/claims/article/{article.pk}/history/",
        "/admin/claims/article/add/",
        f"/admin/claims/evidence/{evidence.pk}/change/",
        f"/admin/claims/evidence/{evidence.pk}/history/",
        "/admin/claims/evidence/add/",
        f"/admin/sources/source/{source.pk}/change/",
        f"/admin/sources/source/{source.pk}/history/",
        "/admin/sources/source/add/",
        f"/admin/sources/outlet/{outlet.pk}/change/",
        "/admin/sources/outlet/add/",
        f"/admin/claims/statechange/{StateChange.objects.first().pk}/change/",
        f"/admin/claims/reviewevent/{ReviewEvent.objects.first().pk}/change/",
        f"/admin/claims/publishedversion/{PublishedVersion.objects.first().pk}/change/",
        "/admin/intake/articleintake/add/",
        f"/admin/intake/articleintake/{intake.pk}/change/",
        f"/admin/sources/sourcesnapshot/{snapshot.pk}/change/",
        "/admin/password_change/",
        "/",
        f"/articles/{article.slug}/",
        f"/claims/{claim.pk}/",
    ]


# Whether a line of the page's subtitle (the object's name) runs under the admin's object tools
# (the History button, floated up beside it): a long name used to be hidden behind it.
UNDER_TOOLS = """() => {
  const tools = document.querySelector('#content .object-tools');
  const title = document.querySelector('#content > h2');
  if (!tools || !title) return false;
  const t = tools.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(title);
  return Array.from(range.getClientRects()).some(
    (r) => r.right > t.left && r.left < t.right && r.bottom > t.top && r.top < t.bottom
  );
}"""


def _name(path: str, width: int) -> str:
    path, _, query = path.partition("?")
    name = path.strip("/").replace("/", "-") or "home"
    return f"width-{name}{'-from-selection' if query else ''}-{width}"


def test_every_page_fits_a_phone_and_every_list_a_laptop(
    live_server, seed, new_page, console, shot, sign_in
):
    user = UserFactory(username="desk-admin", is_staff=True, is_superuser=True)
    _audit_rows(user)
    _intake_rows(user)
    pages = _pages()
    too_wide = []
    for width in (390, 1366):
        page = new_page(width=width)
        sign_in(page, "desk-admin")
        for path in pages:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert "/admin/login/" not in page.url, path
            shot(page, _name(path, width))
            if width == 1366 and path in LISTS:
                shot(page, _name(path, width) + "-top", full_page=False)
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                too_wide.append(f"{path} at {width}px: the page is {wide}px wide")
            if page.evaluate(UNDER_TOOLS):
                too_wide.append(f"{path} at {width}px: the title runs under the History button")
            if width == 1366 and path in LISTS:
                hidden = page.evaluate(
                    """() => {
                      const t = document.querySelector('#result_list');
                      if (!t) return 0;
                      const box = t.closest('.results') || t.parentElement;
                      return t.scrollWidth - box.clientWidth;
                    }"""
                )
                if hidden > 0:
                    too_wide.append(f"{path} at 1366px: {hidden}px of the list's columns hidden")
    assert too_wide == [], "\n".join(too_wide)
    assert console.csp_violations == []
    assert console.errors == []


HIDDEN_COLUMNS = """() => {
  const t = document.querySelector('#result_list');
  if (!t) return -1;
  const box = t.closest('.results') || t.parentElement;
  return t.scrollWidth - box.clientWidth;
}"""


def test_the_lists_fit_a_laptop_with_the_sidebar_open_whatever_the_data(
    live_server, new_page, console, shot, sign_in
):
    """Long unbroken titles, addresses and names (a pasted URL, a German compound, a name with
    no spaces) wrap inside their cells: the claim list hid 33 px of its columns and the source
    list 141 px."""
    from claims.models import Claim
    from tests.factories import (
        ArticleFactory,
        ClaimFactory,
        EvidenceFactory,
        OutletFactory,
        SourceFactory,
    )

    UserFactory(username="desk-admin", is_staff=True, is_superuser=True)
    long_url = "https://www.example.org/" + "news-2020-01-06-iraq-letter-" * 6 + "full-text"
    outlet = OutletFactory(name="Bundesministerium" + "verteidigungsinformationsdienst" * 2)
    sentences = [f"Sentence {n} of the letter says something checkable." for n in range(3)]
    article = ArticleFactory(
        outlet=outlet,
        headline="Rindfleischetikettierungsüberwachungsaufgaben" * 3,
        url=long_url,
        text=" ".join(sentences),
    )
    for n in range(3):
        claim = ClaimFactory(
            article=article,
            quote=sentences[n],
            wording="Donaudampfschifffahrtsgesellschaftskapitän" * 4 + str(n),
            claimant="Generalleutnant" * 5,
        )
        EvidenceFactory(
            claim=claim,
            source=SourceFactory(
                title="Letter_from_the_Combined_Joint_Task_Force_" * 4 + str(n),
                outlet=outlet,
                url=f"{long_url}-{n}",
                author="Brigadier_General_William_H_Seely_III_" * 2,
            ),
        )
    assert Claim.objects.count() == 3

    page = new_page(width=1366)
    sign_in(page, "desk-admin")
    problems = []
    for path in LISTS[:5]:
        page.goto(live_server.url + path)
        assert page.locator("#nav-sidebar").is_visible(), "the sidebar is open"
        shot(page, _name(path, 1366) + "-long-data", full_page=False)
        hidden = page.evaluate(HIDDEN_COLUMNS)
        if hidden != 0:
            problems.append(f"{path}: {hidden}px of the list's columns hidden")
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > 1366:
            problems.append(f"{path}: the page is {wide}px wide")
    assert problems == []
    assert console.errors == []
