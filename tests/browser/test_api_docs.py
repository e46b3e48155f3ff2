"""An external tool's first visit: from /api/docs/ alone, read the published verdicts, then
write a claim with a token, and be stopped with a clear error when it should be."""

import json

import pytest

from accounts.models import ApiToken
from claims.models import Article, Claim

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def execute(page, operation_id: str, method: str, body: dict | None = None) -> tuple[int, dict]:
    """Open an operation in Swagger UI, try it out, execute; return the response it got."""
    block = page.locator(f"#operations-{operation_id}")
    if "is-open" not in (block.get_attribute("class") or ""):
        block.locator(".opblock-summary").click()
    # Swagger UI draws the operation's body after the click: wait for it before looking inside.
    block.locator("button.try-out__btn").first.wait_for()
    try_out = block.get_by_role("button", name="Try it out")
    if try_out.count():
        try_out.click()
    block.locator("button.execute").wait_for()
    if body is not None:
        block.locator("textarea.body-param__text").fill(json.dumps(body))
    with page.expect_response(
        lambda r: "/api/v1/" in r.url and r.request.method == method
    ) as answer:
        block.locator("button.execute").click()
    response = answer.value
    block.locator(".live-responses-table .response-col_status").first.wait_for()
    return response.status, response.json()


def test_a_new_tool_reads_and_writes_from_the_docs_alone(
    live_server, seed, new_page, console, shot, desk_member
):
    page = new_page(height=1400)
    page.goto(live_server.url + "/api/docs/")
    page.locator("#operations-claims-claims_list").wait_for()

    # Anonymous: the published verdicts of the seed article.
    status, body = execute(page, "claims-claims_list", "GET")
    assert status == 200
    assert len(body["results"]) == Claim.objects.published().count() == 21
    assert {row["review_state"] for row in body["results"]} == {"published"}

    # Writing without a token: a clear 401 in the one error shape.
    article = Article.objects.get()
    claim = {
        "article": article.pk,
        "wording": "The letter leaked on social media.",
        "quote": "The letter leaked to social media",
    }
    status, body = execute(page, "claims-claims_create", "POST", claim)
    assert (status, body["type"]) == (401, "not_authenticated")

    # With a fact-checker's token, entered in the docs' Authorize dialog.
    checker = desk_member("tool-account", "Fact-checkers")
    _, key = ApiToken.objects.create_key(user=checker, name="browser test")
    page.click("button.authorize")
    dialog = page.locator(".auth-container", has_text="tokenAuth")
    dialog.locator("input[type=text]").fill(f"Token {key}")
    dialog.locator("button.modal-btn.auth.authorize").click()
    page.click("button.btn-done")
    status, body = execute(
        page, "claims-claims_create", "POST", {**claim, "quote": "not in the article at all"}
    )
    assert status == 400
    assert "does not stand in the article text" in body["detail"]
    status, body = execute(page, "claims-claims_create", "POST", claim)
    assert status == 201, body
    assert body["quote"] == "The letter leaked to social media"
    assert Claim.objects.filter(pk=body["id"], wording=claim["wording"]).exists()
    shot(page, "api-docs-write")
    # The 401 and 400 above were asked for; what must not happen is a blocked style or script,
    # or a request to anywhere but this server (the docs' assets are local, no CDN).
    assert console.csp_violations == []
    assert [u for u in console.requests if not u.startswith((live_server.url, "data:"))] == []
