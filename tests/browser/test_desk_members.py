"""A desk lead, in Chromium, adds a fact-checker in one form and issues her an API token; the
token works against the API over HTTP until the lead revokes it. The invitation the worker
emails lets her choose her own password, and she signs in."""

import json
import re
import urllib.error
import urllib.request

import pytest

from accounts.models import ApiToken
from tests.factories import ClaimFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _api(url: str, key: str) -> tuple[int, dict]:
    """A GET over HTTP with the token and nothing else (no cookie of the browser's)."""
    request = urllib.request.Request(url, headers={"Authorization": f"Token {key}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (live server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_lead_adds_a_fact_checker_and_issues_her_a_token(
    live_server, new_page, console, shot, run_task_worker, sign_in
):
    UserFactory(username="lena", is_staff=True, is_superuser=True)
    draft = ClaimFactory(wording="A draft only the desk reads")
    page = new_page(width=1366)
    sign_in(page, "lena")

    page.get_by_role("link", name="Desk members", exact=True).first.click()
    page.get_by_role("link", name="Add desk member").click()
    page.fill("#id_first_name", "Nadia")
    page.fill("#id_last_name", "Novak")
    page.fill("#id_email", "nadia@example.org")
    page.fill("#id_username", "nadia")
    page.get_by_label("Fact-checker").check()
    shot(page, "desk-member-add-1366")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/accounts/deskmember/*/change/")
    assert (
        "Nadia Novak is on the desk as a fact-checker" in page.locator(".messagelist").inner_text()
    )
    shot(page, "desk-member-added-1366")

    page.get_by_role("link", name="Issue an API token").click()
    assert page.locator("#id_user option:checked").inner_text() == "nadia"
    page.fill("#id_name", "Nadia's fact-check script")
    page.click("input[name=_save]")
    key = page.input_value("#issued-key")
    shot(page, "desk-token-issued-1366")
    token = ApiToken.objects.get(name="Nadia's fact-check script")
    assert key.startswith(token.prefix + ".")

    # Over HTTP, the token reads as Nadia, a desk member: the draft is there for her.
    claim_url = f"{live_server.url}/api/v1/claims/{draft.pk}/"
    status, body = _api(claim_url, key)
    assert (status, body["wording"]) == (200, "A draft only the desk reads")
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        urllib.request.urlopen(claim_url, timeout=10)  # noqa: S310
    assert anonymous.value.code == 404

    # Revoked from the token's page: it stops working at once.
    page.goto(f"{live_server.url}/admin/accounts/deskmember/")
    page.get_by_role("link", name="nadia").click()
    page.get_by_role("link", name=re.compile("Nadia's fact-check script")).click()
    page.get_by_label("Revoke this token").check()
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/accounts/apitoken/")
    status, body = _api(claim_url, key)
    assert status == 401
    assert body["type"] == "authentication_failed"

    # The worker emails her invitation; she chooses her password from its link and signs in.
    output = run_task_worker()
    link = re.search(r"http://127\.0\.0\.1:8000(/account/set-password/\S+/)", output).group(1)
    phone = new_page(width=390)
    phone.goto(live_server.url + link)
    phone.fill("#id_new_password1", "a long walk to the river")
    phone.fill("#id_new_password2", "a long walk to the river")
    shot(phone, "desk-member-set-password-390")
    phone.get_by_role("button", name="Set my password").click()
    phone.get_by_text("Your password is set.").wait_for()
    phone.get_by_role("link", name="Sign in").click()
    phone.fill("#id_username", "nadia")
    phone.fill("#id_password", "a long walk to the river")
    phone.click("input[type=submit]")
    phone.wait_for_url("**/admin/")
    assert phone.locator(".notification-nav .queue-count").inner_text() == "1"  # the welcome

    lead_phone = new_page(width=390)
    sign_in(lead_phone, "lena")
    for path, name in [
        ("/admin/accounts/deskmember/", "desk-members-390"),
        ("/admin/accounts/deskmember/add/", "desk-member-add-390"),
    ]:
        lead_phone.goto(live_server.url + path)
        shot(lead_phone, name)
        width = lead_phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide"
    assert console.csp_violations == []
    assert console.errors == []
    assert console.failed == []
