"""Public reads as a server answers them under load, against the same bytes from memory.

gunicorn (2 workers, as ``make run`` serves) runs ``bench.served_wsgi``: the app, and the very
bytes each page answered, held in memory (``/__memory__/<path>``). Four connections read each
page as fast as the server answers, for a bounded number of seconds and requests, then the same
bytes from memory; the figure is the ratio of the two throughputs (the claims list of 100 for an
anonymous reader, a claim page, the big article's page and the ClaimReview feed). The public's
pages and lists are stored as served (claims.public): the target is 0.25x of the limit.
"""

import http.client
import os
import socket
import subprocess
import sys
import threading
import time

from claims.models import PublicArticle, PublicClaim

from .harness import Result

CONNECTIONS = 4
# How long each throughput is read (BENCH_SERVED_SECONDS: CI's smoke run reads for one).
SECONDS = float(os.environ.get("BENCH_SERVED_SECONDS", "4"))
MAX_REQUESTS = 20_000
TARGET = 0.25


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": "localhost"})
        response = conn.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        return size
    finally:
        conn.close()


def throughput(port: int, path: str, *, seconds: float = SECONDS) -> float:
    """Requests a second over ``CONNECTIONS`` connections, for ``seconds`` (bounded in count)."""
    done = [0] * CONNECTIONS
    stop = time.perf_counter() + seconds
    budget = MAX_REQUESTS // CONNECTIONS
    errors = []

    def reader(i):
        try:
            while time.perf_counter() < stop and done[i] < budget:
                _get(port, path)
                done[i] += 1
        except Exception as error:
            errors.append(error)

    start = time.perf_counter()
    threads = [threading.Thread(target=reader, args=(i,)) for i in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return sum(done) / (time.perf_counter() - start)


def _wait_until_up(port: int, server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped: see its output above")
        try:
            _get(port, "/healthz")
            return
        except (OSError, RuntimeError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def run(dataset, *, repeat: int) -> list[Result]:
    claim = PublicClaim.objects.filter(in_force=True).order_by("id").values_list("id", flat=True)
    article = PublicArticle.objects.filter(slug=dataset.big_article_slug).values_list(
        "slug", flat=True
    )
    pages = [
        ("anonymous claims list of 100", "/api/v1/claims/?page_size=100"),
        ("claim page", f"/claims/{claim.first()}/"),
        ("article page (the big one)", f"/articles/{article.first() or dataset.big_article_slug}/"),
        ("ClaimReview feed", "/api/v1/claimreview/"),
    ]
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "API_ANON_RATE": "100000000/min",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
    }
    server = subprocess.Popen(  # noqa: S603 -- this interpreter, our own module
        [
            sys.executable, "-m", "gunicorn", "bench.served_wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning",
        ],
        env=env,
    )  # fmt: skip
    results = []
    try:
        _wait_until_up(port, server)
        rounds = max(1, min(repeat, 3))
        for name, path in pages:
            for _ in range(CONNECTIONS * 2):  # both workers hold the bytes, and are warm
                _get(port, path)
                _get(port, "/__memory__" + path)
            served = memory = 0.0
            for _ in range(rounds):  # alternated, so that a slower moment weighs on both
                served += throughput(port, path)
                memory += throughput(port, "/__memory__" + path)
            ratio = served / memory
            size = _get(port, path)
            results.append(
                Result(
                    "served", f"{name}: served / from memory", ratio, "x", f"≥ {TARGET}x",
                    ratio >= TARGET,
                    f"{served / rounds:,.0f} vs {memory / rounds:,.0f} req/s, {size:,} bytes, "
                    f"gunicorn 2 workers, {CONNECTIONS} connections",
                )
            )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results
