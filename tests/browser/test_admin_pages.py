"""The fact-checkers' workspace under the app's Content Security Policy: nothing blocked."""

import pytest

from claims.models import Claim
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_admin_pages_run_with_nothing_blocked(
    live_server, seed, new_page, console, shot, sign_in
):
    UserFactory(username="desk-admin", is_staff=True, is_superuser=True)
    claim = Claim.objects.filter(review_state="in_review").first()
    page = new_page()
    sign_in(page, "desk-admin")
    for path, name in [
        ("/admin/claims/claim/", "admin-claims"),
        (f"/admin/claims/claim/{claim.pk}/change/", "admin-claim"),
        (f"/admin/claims/claim/{claim.pk}/history/", "admin-claim-history"),
        (f"/admin/claims/article/{claim.article_id}/change/", "admin-article"),
        ("/admin/claims/claim/add/", "admin-claim-add"),
    ]:
        page.goto(live_server.url + path)
        assert page.locator("#content").count() == 1, path
        shot(page, name)
    # The claim page's review panel and independence summary are there, and work.
    page.goto(live_server.url + f"/admin/claims/claim/{claim.pk}/change/")
    assert page.get_by_text("Independence of the evidence").count() == 1
    assert page.get_by_role("button", name="Approve and publish").count() == 1
    assert console.csp_violations == []
    assert console.errors == []
    assert console.failed == []
