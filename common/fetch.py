"""Fetching a web address that a user gave, without letting it reach into the newsroom's network.

One function, :func:`fetch`, for every caller (article intake, source snapshots, other desks'
ClaimReview pages). It answers a :class:`Fetched` (the bytes, their SHA-256, the final address,
the status, the media type, when) or raises :class:`FetchError`, whose message is a sentence a
person can act on ("The site answered 403 (Forbidden).", "The page is over 5 MB.", "That address
is on a private network (10.0.0.7).") and whose ``code`` is stable for programs.

The rules, in the order they apply to the address asked for and to every redirect:

1. ``http`` or ``https`` only, no user name or password in the address, a port of
   ``FETCH_ALLOWED_PORTS`` (80 and 443 by default);
2. every address the host name resolves to is checked (:func:`refusal`), and the fetch is
   refused when any of them is loopback, private, link-local, carrier-grade NAT
   (100.64.0.0/10), multicast, reserved, unspecified or otherwise not public, in IPv4 and IPv6
   alike, IPv4-mapped IPv6 (``::ffff:10.0.0.1``) judged as the IPv4 address it carries;
3. the connection goes to the address that was checked: the name is resolved once per hop and
   the socket is opened to that IP, with the name kept for ``Host``, SNI and the certificate,
   so a DNS answer that changes between a check and a connection (DNS rebinding) cannot turn it;
4. at most :data:`MAX_REDIRECTS` redirects, each one checked as above;
5. time limits on connecting, on each read, and on the whole fetch (``FETCH_*_TIMEOUT``);
6. the body is streamed and cut at ``max_bytes`` (``FETCH_MAX_BYTES``, 5 MB by default),
   decompressed size counted, so a huge or endless body is refused, never loaded;
7. only the media types asked for (HTML and plain text by default).

The pinned connection and the first address check are ``requests-hardened``'s
(``IPFilterAdapter``: it resolves the name once, refuses a private or loopback first address and
connects to that IP). Read in its source (1.3.0, ``requests_hardened/ip_filter.py``), it checks
only the *first* address of the answer, with ``is_private``, ``is_multicast`` and a list of
extra networks (100.64.0.0/10, 192.0.0.0/24, 6to4, NAT64, ...), after unwrapping IPv4-mapped
addresses; it does not look at ``is_reserved`` or site-local, so IPv4-compatible ``::127.0.0.1``
and ``fec0::/10`` pass it. What it lacks is added here, in one place: the resolver it calls is
given :func:`_checked_getaddrinfo`, which checks every address of the answer with
:func:`refusal` before requests-hardened pins the first. The test suite fetches from a real
server on 127.0.0.1 only when ``FETCH_ALLOW_LOCAL_TEST_SERVER`` is on (exactly that address;
never on in production).
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from requests_hardened import Config, HTTPSession
from requests_hardened import ip_filter as hardened_ip_filter

MAX_REDIRECTS = 5
HTML_OR_TEXT = ("text/html", "application/xhtml+xml", "text/plain")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 64 * 1024
# What a background fetch records when something other than the fetch's own checks stopped it
# (a bug): the task's result keeps the traceback.
UNEXPECTED_FAILURE = "The fetch failed unexpectedly; the worker's log has the details."

# Networks Python's properties do not cover on every version: ``is_private`` is False for
# carrier-grade NAT (shared address space, RFC 6598), which routes to a provider's or a cloud's
# internal workloads. requests-hardened's own extra list (6to4 relays, NAT64, segment routing,
# ORCHIDv2, the ranges CPython 3.11 before 3.11.10 misses) is added to it.
CARRIER_GRADE_NAT = ipaddress.ip_network("100.64.0.0/10")
EXTRA_REFUSED_NETWORKS = (CARRIER_GRADE_NAT, *hardened_ip_filter.EXTRA_BLOCKED_NET_RANGES)

TEST_SERVER_ADDRESS = ipaddress.ip_address("127.0.0.1")


class FetchError(Exception):
    """A fetch that did not give a page. ``str(error)`` is a sentence for a person; ``code`` is
    stable for programs (``scheme``, ``address``, ``port``, ``private_address``,
    ``unknown_host``, ``connection``, ``timeout``, ``tls``, ``redirects``, ``status``,
    ``content_type``, ``too_large``, ``broken_body``)."""

    def __init__(self, message: str, *, code: str, url: str = ""):
        super().__init__(message)
        self.code = code
        self.url = url


@dataclass(frozen=True)
class Fetched:
    """What a fetch gave: the exact bytes, as the site sent them (after its transfer encoding
    is undone), and where and when they came from."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    fetched_at: datetime
    redirects: tuple[str, ...] = field(default=())

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def size(self) -> int:
        return len(self.body)

    @property
    def media_type(self) -> str:
        return media_type_of(self.content_type)

    @property
    def charset(self) -> str | None:
        for parameter in self.content_type.split(";")[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"').lower()
        return None


def media_type_of(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def size_label(size: int) -> str:
    """5242880 -> "5 MB", 1572864 -> "1.5 MB", 48211 -> "47 kB", 512 -> "512 bytes" (binary
    units, as the limit is set)."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} kB"
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"


# ---------------------------------------------------------------------------------------------
# Addresses


def refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why the tracker must not connect to ``ip`` (the words that follow "is on"), or None for
    a public address. The one place that decides."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        # ::ffff:10.0.0.1 reaches 10.0.0.1: judge what it carries (Python calls every mapped
        # address private, which would hide which rule refused it).
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "this server itself (loopback)"
    if ip.is_unspecified:
        return "no network (an unspecified address)"
    if ip.is_link_local:
        return "a link-local network"
    if ip.is_multicast:
        return "a multicast group"
    if ip in CARRIER_GRADE_NAT:
        return "a carrier-grade NAT network (100.64.0.0/10)"
    if ip.is_private or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local):
        return "a private network"
    if ip.is_reserved or any(ip in network for network in EXTRA_REFUSED_NETWORKS):
        return "a reserved range"
    if not ip.is_global:
        return "a network that is not public"
    return None


def _allowed_test_address(ip) -> bool:
    return bool(getattr(settings, "FETCH_ALLOW_LOCAL_TEST_SERVER", False)) and (
        ip == TEST_SERVER_ADDRESS
    )


def check_address(host: str, ip_text: str) -> None:
    """Refuse ``ip_text`` (an address ``host`` resolved to) unless it is public."""
    ip = ipaddress.ip_address(ip_text.split("%", 1)[0])  # a scope id (fe80::1%eth0) is no part
    if _allowed_test_address(ip):
        return
    why = refusal(ip)
    if why is None:
        return
    where = f"That address ({ip})" if host == str(ip) else f"{host} resolves to {ip}, which"
    raise FetchError(
        f"{where} is on {why}; the tracker fetches only public web addresses.",
        code="private_address",
    )


def resolve(host: str, port: int, family: int, type: int) -> list:
    """The DNS answer for ``host``: every address it resolves to (``socket.getaddrinfo``).

    The one resolution of each hop of a fetch. The tests replace this function, and only it, to
    give the fetcher a DNS answer of their own (there is no DNS server to ask here)."""
    return socket.getaddrinfo(host, port, family=family, type=type)


def _checked_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    """requests-hardened's resolver: the answer of :func:`resolve`, with every address in it
    checked (requests-hardened checks the first and connects to it)."""
    try:
        answer = resolve(host, port, family, type)
    except socket.gaierror as error:
        raise FetchError(
            f"No site answers to the name {host}: it does not resolve to any address.",
            code="unknown_host",
        ) from error
    if not answer:
        raise FetchError(f"{host} resolves to no address.", code="unknown_host")
    for *_, socket_address in answer:
        check_address(host, socket_address[0])
    return answer


class _ResolverWithChecks:
    """Stands for the ``socket`` module inside requests-hardened's ``ip_filter``: everything is
    the real module's except ``getaddrinfo``, which checks every address of the answer."""

    getaddrinfo = staticmethod(_checked_getaddrinfo)

    def __getattr__(self, name):
        return getattr(socket, name)


# requests-hardened resolves with ``socket.getaddrinfo`` looked up in its module at each call:
# handing it this stand-in makes its one resolution the one every address of is checked.
hardened_ip_filter.socket = _ResolverWithChecks()


# ---------------------------------------------------------------------------------------------
# Web addresses


def _allowed_ports() -> frozenset[int]:
    return frozenset(getattr(settings, "FETCH_ALLOWED_PORTS", (80, 443)))


def check_url(url: str) -> None:
    """Refuse an address the fetcher never asks for (scheme, credentials, port), before any
    name is resolved."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchError(
            "That is not a web address the tracker can read.", code="address", url=url
        ) from error
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(
            "Only http:// and https:// addresses can be fetched.", code="scheme", url=url
        )
    if not parts.hostname:
        raise FetchError("That web address names no site.", code="address", url=url)
    if parts.username is not None or parts.password is not None:
        raise FetchError(
            "Web addresses with a user name or password are not fetched.", code="address", url=url
        )
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    allowed = _allowed_ports()
    if port not in allowed:
        names = " and ".join(str(p) for p in sorted(allowed))
        raise FetchError(
            f"That address uses port {port}; the tracker fetches only from port{'s' if len(allowed) != 1 else ''} {names}.",
            code="port",
            url=url,
        )


# ---------------------------------------------------------------------------------------------
# Fetching


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def _session() -> requests.Session:
    session = HTTPSession(
        Config(
            ip_filter_enable=True,
            # Loopback gets past requests-hardened only for the test server; check_address has
            # already refused every loopback address but exactly 127.0.0.1 by then.
            ip_filter_allow_loopback_ips=bool(
                getattr(settings, "FETCH_ALLOW_LOCAL_TEST_SERVER", False)
            ),
            never_redirect=True,  # each redirect is followed here, and checked like the first
            default_timeout=(
                _setting("FETCH_CONNECT_TIMEOUT", 5),
                _setting("FETCH_READ_TIMEOUT", 10),
            ),
            user_agent_override=getattr(settings, "FETCH_USER_AGENT", "ClaimTracker"),
        )
    )
    # No HTTP(S)_PROXY from the environment (a proxy would make the connection, and its own
    # resolution, out of reach of the checks) and no .netrc credentials.
    session.trust_env = False
    return session


def _explain_status(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return f"The site answered {status}."
    return f"The site answered {status} ({phrase})."


def _describe_media_type(media_type: str) -> str:
    names = {
        "application/pdf": "a PDF document",
        "application/json": "JSON data",
        "application/octet-stream": "a file of unknown kind",
    }
    if media_type in names:
        return f"{names[media_type]} ({media_type})"
    for prefix, name in (("image/", "an image"), ("video/", "a video"), ("audio/", "a sound")):
        if media_type.startswith(prefix):
            return f"{name} ({media_type})"
    return media_type or "no content type"


def fetch(url: str, *, accept=HTML_OR_TEXT, max_bytes: int | None = None) -> Fetched:
    """Fetch ``url`` with every check above and answer what the site sent; raise
    :class:`FetchError` with a sentence otherwise.

    ``accept``: the media types the caller can read (HTML and plain text by default; a page of
    another type is refused before its body is read). ``max_bytes``: the largest body kept
    (``FETCH_MAX_BYTES`` by default); a longer one is cut off and refused.
    """
    max_bytes = int(max_bytes or getattr(settings, "FETCH_MAX_BYTES", 5 * 1024 * 1024))
    total = _setting("FETCH_TOTAL_TIMEOUT", 30)
    connect, read = _setting("FETCH_CONNECT_TIMEOUT", 5), _setting("FETCH_READ_TIMEOUT", 10)
    deadline = time.monotonic() + total
    accept = tuple(media_type.lower() for media_type in accept)
    asked, current, redirects = url, url.strip(), []
    with _session() as session:
        while True:
            check_url(current)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _too_slow(total, asked)
            prepared = session.prepare_request(
                requests.Request(
                    "GET",
                    current,
                    headers={
                        "Accept": ", ".join((*accept, "*/*;q=0.1")),
                        "Accept-Encoding": "gzip, deflate",
                    },
                )
            )
            response = _send(session, prepared, (min(connect, remaining), min(read, remaining)))
            with response:
                location = response.headers.get("Location")
                if response.status_code in REDIRECT_STATUSES and location:
                    if len(redirects) == MAX_REDIRECTS:
                        raise FetchError(
                            f"The address redirected more than {MAX_REDIRECTS} times; the "
                            "tracker stopped following it.",
                            code="redirects",
                            url=asked,
                        )
                    current = urljoin(current, location.strip())
                    redirects.append(current)
                    continue
                return _read(response, asked, redirects, accept, max_bytes, deadline, total)


def _too_slow(total: float, url: str) -> FetchError:
    return FetchError(
        f"The site took longer than {total:g} seconds to send the page.", code="timeout", url=url
    )


def _send(session, prepared, timeout) -> requests.Response:
    url = prepared.url
    try:
        return session.send(prepared, stream=True, timeout=timeout, allow_redirects=False)
    except FetchError as error:
        error.url = error.url or url
        raise
    except hardened_ip_filter.InvalidIPAddress as error:  # cannot pass check_address; kept safe
        raise FetchError(
            f"That address ({error}) is not public; the tracker fetches only public web addresses.",
            code="private_address",
            url=url,
        ) from error
    except requests.exceptions.SSLError as error:
        raise FetchError(
            "The site's HTTPS certificate could not be verified.", code="tls", url=url
        ) from error
    except requests.exceptions.ConnectTimeout as error:
        raise FetchError(
            f"The site did not answer within {timeout[0]:g} seconds.", code="timeout", url=url
        ) from error
    except requests.exceptions.ReadTimeout as error:
        raise FetchError(
            f"The site stopped answering for more than {timeout[1]:g} seconds.",
            code="timeout",
            url=url,
        ) from error
    except requests.exceptions.InvalidURL as error:
        raise FetchError(
            "That is not a web address the tracker can read.", code="address", url=url
        ) from error
    except requests.exceptions.RequestException as error:
        raise FetchError(
            "The site could not be reached (the connection was refused or cut).",
            code="connection",
            url=url,
        ) from error


def _read(response, asked, redirects, accept, max_bytes, deadline, total) -> Fetched:
    fetched_at = datetime.now(UTC)
    status = response.status_code
    if not 200 <= status < 300:
        raise FetchError(_explain_status(status), code="status", url=asked)
    content_type = response.headers.get("Content-Type", "").strip()
    media_type = media_type_of(content_type)
    if media_type not in accept:
        raise FetchError(
            f"The address gives {_describe_media_type(media_type)}, not a web page or plain text.",
            code="content_type",
            url=asked,
        )
    too_large = FetchError(
        f"The page is over {size_label(max_bytes)}.", code="too_large", url=asked
    )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    body, size = [], 0
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise too_large
            if time.monotonic() > deadline:
                raise _too_slow(total, asked)
            body.append(chunk)
    except requests.exceptions.ConnectionError as error:
        # A read timeout while streaming arrives as a ConnectionError wrapping urllib3's.
        raise FetchError(
            "The site stopped sending the page before it was complete.",
            code="broken_body",
            url=asked,
        ) from error
    except (
        requests.exceptions.ChunkedEncodingError,
        requests.exceptions.ContentDecodingError,
    ) as error:
        raise FetchError(
            "The site's answer was cut off or garbled.", code="broken_body", url=asked
        ) from error
    return Fetched(
        url=asked,
        final_url=response.url,
        status=status,
        content_type=content_type,
        body=b"".join(body),
        fetched_at=fetched_at,
        redirects=tuple(redirects),
    )
