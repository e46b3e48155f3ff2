"""What ``make run`` (and ``make dev``) serve: the web server and the background worker, together.

    python -m ops.serve --bind 127.0.0.1:8000 [--dev] [--password-file var/first-admin-password]

Starts the web server (gunicorn with ``tracker/gunicorn.conf.py``, or Django's development
server with ``--dev``) and one task worker (``manage.py db_worker``: fetching, archiving and
email run there, never inside a request), each in its own process group so that Ctrl-C reaches
them once, from here. A worker that dies is started again (after a pause, so a worker that
cannot start does not spin); when the web server stops, the worker is stopped too and this
exits with the web server's status. Once the server answers ``/healthz`` this prints where the
app is and, when ``prepare`` has just made the first account, its password: last and alone,
after every install and start-up line, and only this once (the file is deleted).

No Django here: this only starts and watches processes (a start-up of Django costs a second).
"""

import argparse
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKER_RESTART_PAUSE = 5.0
READY_TIMEOUT = 120.0


def web_command(bind: str, *, dev: bool) -> list[str]:
    if dev:
        return [sys.executable, "manage.py", "runserver", bind]
    return [str(BIN / "gunicorn"), "-c", "tracker/gunicorn.conf.py", "--bind", bind, "tracker.wsgi"]


def worker_command(*, dev: bool) -> list[str]:
    # Every queue: the app's tasks name theirs (email, fetch) so that a larger desk can run
    # workers per queue on other machines (README, "Background work").
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*"]
    return [*command, "--reload"] if dev else command


def start(command: list[str]) -> subprocess.Popen:
    # A process group of its own: a terminal's Ctrl-C reaches this supervisor only, which stops
    # each child once (a second SIGINT makes the task worker abandon the task it is running).
    return subprocess.Popen(command, cwd=BASE_DIR, process_group=0)  # noqa: S603


def wait_until_ready(url: str, web: subprocess.Popen) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline and web.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own http URL)
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    return False


def announce(base_url: str, password_file: Path | None) -> None:
    lines = [
        f"Claim Tracker is serving: {base_url}/ (status pages), {base_url}/admin/ (workspace), "
        f"{base_url}/api/docs/ (API). Ctrl-C to stop.",
    ]
    if password_file is not None and password_file.exists():
        username, password = password_file.read_text().split("\n")[:2]
        password_file.unlink()
        lines += [
            "",
            "The first account, shown this once only (change it in the admin once signed in):",
            f"    username: {username}",
            f"    password: {password}",
        ]
    print("\n" + "\n".join(lines) + "\n", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bind", default="127.0.0.1:8000")
    parser.add_argument("--dev", action="store_true", help="Django's development server")
    parser.add_argument("--password-file", type=Path)
    args = parser.parse_args(argv)

    host, _, port = args.bind.rpartition(":")
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]") else host  # noqa: S104
    base_url = f"http://{shown_host}:{port}"

    stopping = False
    web = start(web_command(args.bind, dev=args.dev))
    worker = start(worker_command(dev=args.dev))

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        for child in (web, worker):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    if wait_until_ready(f"{base_url}/healthz", web):
        announce(base_url, args.password_file)

    while web.poll() is None:
        if worker.poll() is not None and not stopping:
            print(
                f"The task worker stopped (status {worker.returncode}); starting it again in "
                f"{WORKER_RESTART_PAUSE:.0f} s.",
                file=sys.stderr,
                flush=True,
            )
            time.sleep(WORKER_RESTART_PAUSE)
            if not stopping:
                worker = start(worker_command(dev=args.dev))
        time.sleep(0.5)
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    return 0 if stopping else web.returncode


if __name__ == "__main__":
    sys.exit(main())
