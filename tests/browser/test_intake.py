"""From a web address to an article, and a source archived, clicked through in Chromium: the
page served on loopback by a real HTTP server, the fetch done by the real worker (started by the
test, as make run starts it beside the web server)."""

from pathlib import Path

import pytest

from claims.models import Article, Claim
from intake.models import ArticleIntake
from sources.models import SnapshotStatus, SourceSnapshot
from tests.browser.test_desk_day import SELECT
from tests.factories import OutletFactory, SourceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = Path(__file__).parent.parent / "intake" / "pages"
GOLD = (PAGES / "harbour-bridge.txt").read_text().strip()
QUOTE = "the bridge would open in the autumn at the earliest"


@pytest.fixture
def checker(transactional_db, desk_member):
    return desk_member("fiona", "Fact-checkers")


def test_a_web_address_becomes_a_checked_article_and_a_claim_from_its_text(
    live_server, local_site, run_task_worker, checker, new_page, console, shot, sign_in, fits
):
    courier = OutletFactory(name="The Riverside Courier", homepage="https://www.courier.example/")
    address = local_site.page(
        "/news/2026/11/harbour-bridge", (PAGES / "harbour-bridge.html").read_bytes()
    )
    page = new_page(width=1366)
    sign_in(page, "fiona")

    page.goto(live_server.url + "/admin/claims/article/")
    page.get_by_role("link", name="New article from a web address").click()
    page.fill("#id_address-url", address)
    shot(page, "intake-new-1366")
    page.get_by_role("button", name="Fetch the article").click()
    page.get_by_text("Waiting for the background worker…").wait_for()
    shot(page, "intake-waiting-1366")

    run_task_worker()
    # The waiting page follows the fetch by itself.
    page.get_by_role("heading", name="Check the article and save it").wait_for(timeout=15000)

    assert page.input_value("#id_headline") == (
        "Harbour bridge opening delayed to autumn, council admits"
    )
    assert page.input_value("#id_byline") == "Priya Natarajan"
    assert page.input_value("#id_published_on") == "28/11/2026"  # en-GB, as the admin writes it
    assert (
        page.locator(".field-outlet .select2-selection__rendered").inner_text().strip("×\n ")
        == "The Riverside Courier"
    )
    assert "Matched by its site (courier.example)." in page.locator(".field-outlet").inner_text()
    text = page.input_value("#id_text")
    assert text == GOLD
    for boilerplate in ("Home", "Subscribe", "Most read", "Typical.", "All rights reserved"):
        assert boilerplate not in text
    assert "fetched " in page.locator(".intake-original").inner_text()
    shot(page, "intake-ready-1366")

    phone = new_page(width=390)
    sign_in(phone, "fiona")
    phone.goto(page.url)
    shot(phone, "intake-ready-390")
    fits(phone, 390)
    phone.goto(live_server.url + "/admin/intake/articleintake/add/")
    shot(phone, "intake-new-390")
    fits(phone, 390)

    page.get_by_role("button", name="Save the article").click()
    page.wait_for_url("**/admin/claims/article/*/change/")
    article = Article.objects.get()
    assert (article.outlet, article.text) == (courier, GOLD)
    assert page.get_by_text("The article is saved, its original kept").count() == 1
    original = page.locator(".intake-original").inner_text()
    intake = ArticleIntake.objects.get()
    assert f"SHA-256 {intake.sha256[:4]}…" in original
    shot(page, "intake-article-1366")

    # A claim from a selection of the extracted text.
    start = article.text.index(QUOTE)
    page.evaluate(SELECT, [start, start + len(QUOTE)])
    assert page.input_value("#claim-panel-quote") == QUOTE
    page.fill(
        "#claim-panel-wording",
        "The council leader said the bridge would open in the autumn at the earliest.",
    )
    page.get_by_role("button", name="Save the claim").click()
    page.locator("#article-source mark").wait_for()
    claim = Claim.objects.get()
    assert (claim.article, claim.quote, claim.quote_start) == (article, QUOTE, start)
    assert console.csp_violations == []
    assert console.errors == []
    assert console.failed == []


def test_a_saved_page_pasted_text_and_an_archived_source_on_a_phone(
    live_server,
    local_site,
    run_task_worker,
    checker,
    new_page,
    console,
    shot,
    tmp_path,
    sign_in,
    fits,
):
    saved_page = tmp_path / "ferry.html"
    saved_page.write_bytes((PAGES / "ferry-fares.html").read_bytes())
    page = new_page(width=390)
    sign_in(page, "fiona")
    new = live_server.url + "/admin/intake/articleintake/add/"

    # A page saved from the browser.
    page.goto(new)
    page.set_input_files("#id_upload-file", str(saved_page))
    page.get_by_role("button", name="Read the file").click()
    page.get_by_role("heading", name="Check the article and save it").wait_for()
    assert page.input_value("#id_new_outlet_name") == "Coastline Daily"
    shot(page, "intake-upload-ready-390")
    fits(page, 390)
    page.get_by_role("button", name="Save the article").click()
    page.wait_for_url("**/admin/claims/article/*/change/")
    assert Article.objects.get().outlet.name == "Coastline Daily"

    # Pasted text: the headline is the desk's to write.
    page.goto(new)
    page.fill("#id_paste-text", (PAGES / "clinic-hours.txt").read_text())
    page.get_by_role("button", name="Use this text").click()
    page.get_by_role("heading", name="Check the article and save it").wait_for()
    page.fill("#id_headline", "La clinique du quartier réduit ses horaires")
    page.fill("#id_slug", "clinique-horaires")
    page.fill("#id_new_outlet_name", "")
    page.get_by_role("button", name="Save the article").click()
    page.wait_for_url("**/admin/claims/article/*/change/")
    assert Article.objects.filter(slug="clinique-horaires").exists()
    shot(page, "intake-pasted-article-390")
    fits(page, 390)

    # A source archived: "Archive now", the worker, the dated snapshot, its copy in a sandbox.
    report = local_site.page(
        "/report",
        "<html><head><title>Report</title></head><body><p>What the minister said.</p>"
        "<script>document.title = 'the script ran'</script></body></html>",
    )
    source = SourceFactory(title="The minister's remarks", url=report)
    page.goto(f"{live_server.url}/admin/sources/source/{source.pk}/change/")
    page.get_by_role("button", name="Archive now").click()
    page.get_by_text("Waiting for the background worker…").wait_for()
    run_task_worker()
    page.get_by_text("Archived.").wait_for(timeout=15000)
    snapshot = SourceSnapshot.objects.get()
    assert snapshot.status == SnapshotStatus.ARCHIVED
    assert f"SHA-256 {snapshot.sha256[:4]}…" in page.locator(".fetch-outcome").inner_text()
    shot(page, "snapshot-archived-390")
    fits(page, 390)
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Open the stored copy").click()
    copy = opened.value
    copy.wait_for_load_state()
    assert copy.locator("p").inner_text() == "What the minister said."
    assert copy.title() == "Report"  # the page's script never ran
    copy.close()
    page.get_by_role("link", name="Back to the source").click()
    page.wait_for_url(f"**/admin/sources/source/{source.pk}/change/")
    assert page.locator(".snapshot-list li").count() == 1
    shot(page, "snapshot-source-390")
    fits(page, 390)
    wide = new_page(width=1366)
    sign_in(wide, "fiona")
    wide.goto(page.url)
    shot(wide, "snapshot-source-1366")
    assert console.csp_violations == []
    assert console.errors == []
    assert console.failed == []
