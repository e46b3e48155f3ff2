"""Notification email goes out from the real worker process (``manage.py db_worker``), never from
the request that caused it: through the console backend by default, and through SMTP with
``EMAIL_HOST``. A mail server that is down delays the email and loses nothing: the attempt is
recorded and the task comes back later, and the email goes out once the server answers."""

import socket
import socketserver
import threading
from email import message_from_bytes
from email.policy import default as default_policy

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import EmailStatus, Notification
from notifications.tasks import retry_delay
from tests.factories import ClaimFactory


def comment_in_the_admin(client, claim, body):
    response = client.post(reverse("admin:claims_claim_comment", args=[claim.pk]), {"body": body})
    assert response.status_code == 302


def test_the_worker_sends_the_email_through_the_console_backend(
    run_task_worker, client_for, fact_checker, editor
):
    claim = ClaimFactory()
    comment_in_the_admin(client_for(editor), claim, "@fiona.factchecker which letter is it?")

    # The request only wrote the notification and enqueued its email.
    assert mail.outbox == []
    notification = Notification.objects.get(recipient=fact_checker)
    assert notification.email_status == EmailStatus.PENDING

    output = run_task_worker()

    (message,) = console_emails(output)
    assert message["To"] == "fiona.factchecker@example.org"
    assert (
        message["Subject"]
        .strip()
        .startswith(f"[Claim Tracker] eddie.editor mentioned you on claim #{claim.pk}")
    )
    body = message.get_content()
    assert "which letter is it?" in body
    assert f"http://127.0.0.1:8000/admin/notifications/notification/{notification.pk}/open/" in body
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert notification.emailed_at is not None
    assert notification.email_attempts == 1
    # Sent once: the worker, run again, has nothing left to send.
    assert console_emails(run_task_worker()) == []


def console_emails(output: str) -> list:
    """The emails the console backend wrote among a worker's output (each ends with a line of
    79 dashes)."""
    found = []
    for chunk in output.split("-" * 79):
        start = chunk.find("Content-Type: ")
        if start != -1:
            found.append(message_from_bytes(chunk[start:].strip().encode(), policy=default_policy))
    return found


class SMTPSink(socketserver.ThreadingTCPServer):
    """The smallest SMTP server that accepts mail: enough for smtplib, in a thread here."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SMTPSession)
        self.messages: list[bytes] = []

    @property
    def port(self) -> int:
        return self.server_address[1]


class SMTPSession(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ready")
        data = None
        while line := self.rfile.readline():
            if data is not None:
                if line in (b".\r\n", b".\n"):
                    self.server.messages.append(b"".join(data))
                    data = None
                    self.reply("250 queued")
                else:
                    data.append(line[1:] if line.startswith(b"..") else line)
                continue
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self.reply("250 sink")
            elif command == b"DATA":
                data = []
                self.reply("354 go on")
            elif command == b"QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL FROM, RCPT TO, RSET, NOOP
                self.reply("250 ok")


def closed_port() -> int:
    """A local port nothing listens on (the connection is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp(port: int) -> dict[str, str]:
    return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_TIMEOUT": "5"}


def test_a_mail_server_that_is_down_delays_the_email_and_loses_nothing(
    run_task_worker, client_for, fact_checker, editor
):
    claim = ClaimFactory()
    comment_in_the_admin(client_for(editor), claim, "@fiona.factchecker the AFP date, please.")
    notification = Notification.objects.get(recipient=fact_checker)

    # The server is down: the attempt fails, is recorded, and the email waits for a retry.
    before = timezone.now()
    run_task_worker(env=smtp(closed_port()))
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.PENDING
    assert notification.emailed_at is None
    assert notification.email_attempts == 1
    assert "ConnectionRefusedError" in notification.email_error
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs == {"args": [notification.pk], "kwargs": {}}
    assert retry.run_after >= before + retry_delay(1)
    # The notification never depended on the mail: it is in her list all along.
    page = client_for(fact_checker).get("/admin/notifications/notification/").content.decode()
    assert "the AFP date, please." in page

    # The server is back, and the retry's time has come.
    sink = SMTPSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    try:
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        run_task_worker(env=smtp(sink.port))
    finally:
        sink.shutdown()
        sink.server_close()

    (raw,) = sink.messages
    message = message_from_bytes(raw, policy=default_policy)
    assert message["To"] == "fiona.factchecker@example.org"
    assert message["Subject"].strip().startswith("[Claim Tracker] eddie.editor mentioned you on")
    assert "the AFP date, please." in message.get_content()
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert notification.emailed_at is not None
    assert notification.email_attempts == 2
    assert notification.email_error == ""
