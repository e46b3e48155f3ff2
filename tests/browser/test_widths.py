"""Every admin and status page at a phone's 390 px (no sideways scrolling of the page) and the
admin lists at a laptop's 1366 px (every column readable: the list fits its space)."""

import pytest

from claims.models import Article, Claim
from sources.models import Source
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's

LISTS = [
    "/admin/claims/claim/",
    "/admin/claims/article/",
    "/admin/claims/evidence/",
    "/admin/sources/source/",
    "/admin/sources/outlet/",
    "/admin/claims/reviewevent/",
    "/admin/claims/statechange/",
]


def _sign_in(page, url):
    page.goto(url + "/admin/login/")
    page.fill("#id_username", "desk-admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def _pages():
    claim = Claim.objects.filter(review_state="in_review").first() or Claim.objects.first()
    article = Article.objects.first()
    source = Source.objects.first()
    return [
        "/admin/",
        *LISTS,
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/history/",
        f"/admin/claims/article/{article.pk}/change/",
        f"/admin/sources/source/{source.pk}/change/",
        "/admin/claims/claim/add/",
        "/",
        f"/articles/{article.slug}/",
        f"/claims/{claim.pk}/",
    ]


def _name(path: str, width: int) -> str:
    return "width-" + (path.strip("/").replace("/", "-") or "home") + f"-{width}"


def test_every_page_fits_a_phone_and_every_list_a_laptop(
    live_server, seed, new_page, console, shot
):
    UserFactory(username="desk-admin", is_staff=True, is_superuser=True)
    too_wide = []
    for width in (390, 1366):
        page = new_page(width=width)
        _sign_in(page, live_server.url)
        for path in _pages():
            page.goto(live_server.url + path)
            shot(page, _name(path, width))
            if width == 1366 and path in LISTS:
                shot(page, _name(path, width) + "-top", full_page=False)
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                too_wide.append(f"{path} at {width}px: the page is {wide}px wide")
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
