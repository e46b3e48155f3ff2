"""A web page on another origin reads the ClaimReview feed in Chromium (issue 11): CORS as a
browser enforces it, not only the headers."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class ElsewherePage(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<!doctype html><title>elsewhere</title><p>A research group's page.</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def elsewhere():
    """A real second web server: another origin (127.0.0.1 and its own port, where the live
    server is localhost), on this machine."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), ElsewherePage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_page_elsewhere_reads_the_feed_but_cannot_write(new_page, live_server, elsewhere):
    assert not live_server.url.startswith(elsewhere)
    page = new_page()
    page.goto(f"{elsewhere}/")
    feed = page.evaluate(
        """async (url) => {
            const response = await fetch(url, {headers: {Accept: "application/ld+json"}});
            return {type: (await response.json())["@type"], etag: response.headers.get("ETag")};
        }""",
        f"{live_server.url}/api/v1/claimreview/",
    )
    assert feed["type"] == "DataFeed"
    assert feed["etag"]
    write = page.evaluate(
        """async (url) => {
            try {
                await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                                  body: "{}"});
                return "sent";
            } catch (error) { return "blocked"; }
        }""",
        f"{live_server.url}/api/v1/outlets/",
    )
    assert write == "blocked"
