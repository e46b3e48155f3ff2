"""The safe fetcher (common/fetch.py) against real servers on loopback.

The allowed test host is a server on 127.0.0.1, which the fetcher reaches only because the
test-only setting ``FETCH_ALLOW_LOCAL_TEST_SERVER`` is on. The addresses it must refuse are
served too, wherever this machine can serve them (127.0.0.2, ::1, 0.0.0.0 and the spellings of
127.0.0.2): each of those servers is really there, so a check that failed to refuse would fetch
its page, and each test asserts that the server was never even asked. Ranges this machine cannot
serve (10/8, 169.254/16, 100.64/10, multicast, ...) are asked for by their literal addresses
and must be refused before any connection.
"""

import hashlib
import ipaddress
import socket

import pytest

from common import fetch as fetcher
from common.fetch import FetchError, fetch, refusal
from tests.local_site import LocalSite, Route

# The session's seed snapshot (tests/conftest.py) needs the test database set up.
pytestmark = pytest.mark.django_db

PAGE = "<html><head><title>Bridge</title></head><body><p>The bridge opens in May.</p></body></html>"


@pytest.fixture
def private_site(settings, local_site):
    """A server on 127.0.0.2: loopback, but not the one address the test setting allows. Its
    port is allowed, so only the address can refuse it."""
    site = LocalSite("127.0.0.2").start()
    site.page("/secret", "<p>internal</p>")
    settings.FETCH_ALLOWED_PORTS = (*settings.FETCH_ALLOWED_PORTS, site.port)
    yield site
    site.stop()


@pytest.fixture
def ipv6_loopback_site(settings, local_site):
    try:
        site = LocalSite("::1").start()
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    site.page("/secret", "<p>internal</p>")
    settings.FETCH_ALLOWED_PORTS = (*settings.FETCH_ALLOWED_PORTS, site.port)
    yield site
    site.stop()


def refused(url, code="private_address", **kwargs) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url, **kwargs)
    assert caught.value.code == code, str(caught.value)
    return str(caught.value)


def test_a_page_comes_back_with_its_bytes_hash_address_status_type_and_time(local_site):
    url = local_site.page("/story", PAGE)

    got = fetch(url)

    assert got.body == PAGE.encode()
    assert got.sha256 == hashlib.sha256(PAGE.encode()).hexdigest()
    assert (got.url, got.final_url, got.status) == (url, url, 200)
    assert (got.media_type, got.charset, got.size) == ("text/html", "utf-8", len(PAGE))
    assert got.fetched_at.tzinfo is not None
    path, headers = local_site.requests[0]
    assert path == "/story"
    assert headers["Host"] == f"127.0.0.1:{local_site.port}"
    assert headers["User-Agent"].startswith("ClaimTracker")


def test_without_the_test_setting_the_local_server_is_refused_like_any_loopback(
    local_site, settings
):
    url = local_site.page("/story", PAGE)
    settings.FETCH_ALLOW_LOCAL_TEST_SERVER = False

    message = refused(url)

    assert message == (
        "That address (127.0.0.1) is on this server itself (loopback); the tracker fetches "
        "only public web addresses."
    )
    assert local_site.requests == []


@pytest.mark.parametrize(
    "host",
    ["127.0.0.2", "2130706434", "0x7f000002", "127.2", "0177.0.0.2"],
    ids=["dotted", "decimal", "hex", "short", "octal"],
)
def test_every_spelling_of_another_loopback_address_is_refused(private_site, host):
    message = refused(f"http://{host}:{private_site.port}/secret")

    assert "127.0.0.2" in message
    assert "loopback" in message
    assert private_site.requests == []


def test_the_unspecified_address_which_reaches_this_machine_is_refused(local_site):
    # Connecting to 0.0.0.0 reaches the local host: the server on 127.0.0.1 would answer.
    local_site.page("/secret", "<p>internal</p>")

    assert "unspecified" in refused(f"http://0.0.0.0:{local_site.port}/secret")
    assert local_site.requests == []


def test_ipv6_loopback_and_ipv4_mapped_loopback_are_refused(ipv6_loopback_site, local_site):
    local_site.page("/secret", "<p>internal</p>")

    assert "loopback" in refused(f"http://[::1]:{ipv6_loopback_site.port}/secret")
    # ::ffff:127.0.0.1 reaches the IPv4 server; the test setting allows 127.0.0.1 itself only.
    mapped = refused(f"http://[::ffff:127.0.0.1]:{local_site.port}/secret")
    assert "::ffff:127.0.0.1" in mapped
    assert "loopback" in mapped
    assert ipv6_loopback_site.requests == []
    assert local_site.requests == []


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("10.0.0.7", "a private network"),
        ("172.16.5.4", "a private network"),
        ("192.168.1.1", "a private network"),
        ("169.254.169.254", "a link-local network"),
        ("100.64.0.1", "a carrier-grade NAT network (100.64.0.0/10)"),
        ("100.127.255.254", "a carrier-grade NAT network (100.64.0.0/10)"),
        ("224.0.0.1", "a multicast group"),
        ("240.0.0.1", "a private network"),
        ("255.255.255.255", "a private network"),
        ("192.0.0.8", "a reserved range"),
        ("198.18.0.1", "a private network"),
        ("[fe80::1]", "a link-local network"),
        ("[fd12:3456::1]", "a private network"),
        ("[fec0::1]", "a private network"),
        ("[ff02::1]", "a multicast group"),
        ("[::]", "no network (an unspecified address)"),
        ("[::ffff:10.0.0.7]", "a private network"),
        ("[::ffff:169.254.169.254]", "a link-local network"),
        ("[::ffff:100.64.0.1]", "a carrier-grade NAT network (100.64.0.0/10)"),
        ("[::127.0.0.1]", "a reserved range"),
        ("[64:ff9b::a00:7]", "a reserved range"),
        ("[2002:a00:7::1]", "a reserved range"),
    ],
)
def test_addresses_this_machine_cannot_serve_are_refused_before_any_connection(address, why):
    message = refused(f"http://{address}/")

    assert message.endswith(f"is on {why}; the tracker fetches only public web addresses.")


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_pass_the_rule(address):
    assert refusal(ipaddress.ip_address(address)) is None


def test_a_redirect_from_the_allowed_host_to_a_private_address_is_refused(local_site, private_site):
    url = local_site.redirect("/moved", f"{private_site.origin}/secret")

    message = refused(url)

    assert message.startswith("That address (127.0.0.2) is on this server itself (loopback)")
    assert local_site.asked() == ["/moved"]
    assert private_site.requests == []


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("http://169.254.169.254/latest/meta-data/", "private_address"),
        ("http://[::ffff:10.0.0.1]/", "private_address"),
        ("file:///etc/passwd", "scheme"),
        ("ftp://files.example.org/a.html", "scheme"),
        ("http://93.184.216.34:25/", "port"),
        ("http://admin:secret@93.184.216.34/", "address"),
    ],
)
def test_every_redirect_is_checked_like_the_first_address(local_site, location, code):
    refused(local_site.redirect("/moved", location), code=code)


def test_five_redirects_are_followed_and_a_sixth_is_refused(local_site):
    local_site.page("/end", PAGE)
    for n in range(6):
        local_site.redirect(f"/hop{n}", f"/hop{n + 1}" if n < 5 else "/end")

    got = fetch(local_site.url("/hop1"))  # five hops to /end
    assert got.final_url == local_site.url("/end")
    assert len(got.redirects) == 5

    message = refused(local_site.url("/hop0"), code="redirects")
    assert message == (
        "The address redirected more than 5 times; the tracker stopped following it."
    )


def test_a_name_that_resolves_to_a_public_and_a_private_address_is_refused(monkeypatch):
    """The DNS answer is made up: there is no DNS server here to hold such a name, so the
    fetcher's one resolver function (``common.fetch.resolve``) answers for it. Nothing else is
    replaced: the answer goes through the same checks and the same connection code."""
    answers = {
        "mixed.example": ["93.184.216.34", "10.0.0.7"],
        "mixed-first.example": ["10.0.0.7", "93.184.216.34"],
    }

    def dns(host, port, family, type):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in answers[host]
        ]

    monkeypatch.setattr(fetcher, "resolve", dns)

    for host in answers:
        message = refused(f"http://{host}/")
        assert message == (
            f"{host} resolves to 10.0.0.7, which is on a private network; the tracker fetches "
            "only public web addresses."
        )


def test_the_connection_goes_to_the_address_checked_so_rebinding_cannot_turn_it(
    local_site, monkeypatch
):
    """A name whose DNS answer changes after the check (DNS rebinding): public enough at first
    (here the allowed test server), then private. As above, only the resolver function is given
    a made-up answer; the fetch resolves once, connects to the address it checked, and keeps the
    name for the Host header."""
    local_site.page("/story", PAGE)
    calls = []

    def rebinding_dns(host, port, family, type):
        calls.append(host)
        address = "127.0.0.1" if len(calls) == 1 else "10.0.0.7"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(fetcher, "resolve", rebinding_dns)

    got = fetch(f"http://rebind.example:{local_site.port}/story")

    assert got.body == PAGE.encode()
    assert calls == ["rebind.example"]
    assert local_site.requests[0][1]["Host"] == f"rebind.example:{local_site.port}"


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        ("ftp://example.org/page", "scheme", "Only http:// and https:// addresses can be fetched."),
        ("file:///etc/passwd", "scheme", "Only http:// and https:// addresses can be fetched."),
        ("javascript:alert(1)", "scheme", "Only http:// and https:// addresses can be fetched."),
        (
            "http://93.184.216.34:8080/",
            "port",
            "That address uses port 8080; the tracker fetches only from ports 80 and 443.",
        ),
        (
            "http://user:pw@93.184.216.34/",
            "address",
            "Web addresses with a user name or password are not fetched.",
        ),
        ("http:///no-host", "address", "That web address names no site."),
    ],
)
def test_addresses_the_fetcher_never_asks_for(url, code, message):
    assert refused(url, code=code) == message


def test_a_name_that_resolves_to_nothing_is_said_so():
    message = refused("http://nowhere.invalid/", code="unknown_host")

    assert (
        message
        == "No site answers to the name nowhere.invalid: it does not resolve to any address."
    )


def test_a_port_nobody_listens_on_is_a_connection_sentence(local_site, settings):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    settings.FETCH_ALLOWED_PORTS = (80, 443, port)

    assert refused(f"http://127.0.0.1:{port}/", code="connection") == (
        "The site could not be reached (the connection was refused or cut)."
    )


@pytest.mark.parametrize(
    ("status", "phrase"), [(403, "Forbidden"), (404, "Not Found"), (500, "Internal Server Error")]
)
def test_an_error_status_is_said_with_its_number(local_site, status, phrase):
    local_site.page("/story", "no", status=status)

    assert (
        refused(local_site.url("/story"), code="status")
        == f"The site answered {status} ({phrase})."
    )


def test_a_page_over_the_limit_is_refused_whether_it_says_its_length_or_not(local_site, settings):
    settings.FETCH_MAX_BYTES = 100_000
    declared = local_site.page("/declared", "x" * 100_001)
    endless = local_site.url("/endless")
    local_site.routes["/endless"] = Route(
        headers={"Content-Type": "text/html"}, endless=50 * 1024 * 1024
    )
    # 50 MB of one letter, gzipped to about 50 kB: the decompressed size is what counts.
    bomb = local_site.gzipped("/bomb", b"a" * (50 * 1024 * 1024))
    assert len(local_site.routes["/bomb"].body) < 100_000

    for url in (declared, endless, bomb):
        assert refused(url, code="too_large") == "The page is over 98 kB."
    settings.FETCH_MAX_BYTES = 5 * 1024 * 1024
    local_site.page("/six", "x" * (6 * 1024 * 1024))
    assert refused(local_site.url("/six"), code="too_large") == "The page is over 5 MB."


def test_a_gzipped_page_under_the_limit_is_kept_decompressed(local_site):
    url = local_site.gzipped("/zipped", PAGE.encode())

    assert fetch(url).body == PAGE.encode()


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        (
            "application/pdf",
            "The address gives a PDF document (application/pdf), not a web page or plain text.",
        ),
        ("image/png", "The address gives an image (image/png), not a web page or plain text."),
        ("", "The address gives no content type, not a web page or plain text."),
    ],
)
def test_only_html_and_plain_text_are_accepted(local_site, content_type, message):
    local_site.page("/file", b"%PDF-1.7", content_type=content_type)

    assert refused(local_site.url("/file"), code="content_type") == message


def test_plain_text_is_accepted_and_a_caller_may_ask_for_other_types(local_site):
    local_site.page("/notes.txt", "Notes.", content_type="text/plain; charset=iso-8859-1")
    local_site.page("/data.json", "{}", content_type="application/ld+json")

    assert fetch(local_site.url("/notes.txt")).charset == "iso-8859-1"
    assert fetch(local_site.url("/data.json"), accept=("application/ld+json",)).body == b"{}"


def test_a_site_that_does_not_answer_or_drips_is_cut_off_in_time(local_site, settings):
    settings.FETCH_READ_TIMEOUT = 0.3
    settings.FETCH_TOTAL_TIMEOUT = 0.8
    local_site.page("/silent", PAGE, delay=1)
    local_site.page("/drip", "x" * 400, drip=0.05)  # 25 pieces, 1.25 s in all

    assert refused(local_site.url("/silent"), code="timeout") == (
        "The site stopped answering for more than 0.3 seconds."
    )
    assert refused(local_site.url("/drip"), code="timeout") == (
        "The site took longer than 0.8 seconds to send the page."
    )


def test_a_proxy_from_the_environment_is_not_used(local_site, monkeypatch):
    proxy = LocalSite("127.0.0.1").start()
    try:
        monkeypatch.setenv("HTTP_PROXY", proxy.origin)
        monkeypatch.setenv("http_proxy", proxy.origin)
        url = local_site.page("/story", PAGE)

        assert fetch(url).body == PAGE.encode()
        assert proxy.requests == []
    finally:
        proxy.stop()
