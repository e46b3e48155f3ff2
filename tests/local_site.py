"""A real HTTP server on a loopback address, run by the tests in a thread of their own process.

The fetcher (common/fetch.py) reaches it over a real socket, as it would reach a newspaper's
site: status lines, headers, redirects, chunked and compressed bodies, slow answers. Each route
says what the server answers; ``requests`` records what it was asked (path and headers), so a
test can show that an address the fetcher refused was never even asked.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait before the status line (a site that does not answer).
    delay: float = 0.0
    # Send the body in pieces, this many seconds apart (a site that drips).
    drip: float = 0.0
    # Send this many bytes of "x" in chunks, without a Content-Length (an endless page).
    endless: int = 0
    # Send no Content-Length even for a fixed body.
    chunked: bool = False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # the test output stays readable
        pass

    def do_GET(self):
        site: LocalSite = self.server.site
        site.requests.append((self.path, dict(self.headers)))
        route = site.routes.get(self.path)
        if route is None:
            route = Route(b"not here", status=404, headers={"Content-Type": "text/plain"})
        if route.delay:
            time.sleep(route.delay)
        try:
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if route.endless or route.chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self._send_chunks(route)
            else:
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                if route.drip:
                    for at in range(0, len(route.body), 16):
                        self.wfile.write(route.body[at : at + 16])
                        self.wfile.flush()
                        time.sleep(route.drip)
                else:
                    self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the fetcher hung up, as it should on a page it refuses

    def _send_chunks(self, route: Route):
        def chunk(data: bytes):
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

        if route.endless:
            piece, sent = b"x" * 65536, 0
            while sent < route.endless:
                chunk(piece)
                sent += len(piece)
        else:
            chunk(route.body)
        self.wfile.write(b"0\r\n\r\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class _Server6(_Server):
    address_family = socket.AF_INET6


class LocalSite:
    """``LocalSite("127.0.0.1")``: serving from ``start()`` until ``stop()``."""

    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        server_class = _Server6 if ":" in host else _Server
        self._server: TCPServer = server_class((host, 0), _Handler)
        self._server.site = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> LocalSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def url(self, path: str) -> str:
        return self.origin + path

    def page(self, path: str, body: bytes | str, *, content_type="text/html; charset=utf-8", **kw):
        """Serve ``body`` at ``path``; returns its address."""
        if isinstance(body, str):
            body = body.encode()
        headers = {"Content-Type": content_type} if content_type else {}
        headers.update(kw.pop("headers", {}))
        self.routes[path] = Route(body, headers=headers, **kw)
        return self.url(path)

    def redirect(self, path: str, location: str, *, status: int = 302) -> str:
        self.routes[path] = Route(status=status, headers={"Location": location})
        return self.url(path)

    def gzipped(self, path: str, body: bytes, *, content_type="text/html") -> str:
        self.routes[path] = Route(
            gzip.compress(body, compresslevel=9),
            headers={"Content-Type": content_type, "Content-Encoding": "gzip"},
        )
        return self.url(path)

    def asked(self) -> list[str]:
        return [path for path, _ in self.requests]
