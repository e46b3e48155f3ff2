"""A page kept as it was seen: the exact bytes a fetch (or an upload) gave, their SHA-256, where
and when they came from, and how the kept copy is served back.

The fields are an abstract model that the apps' own records use (a source's snapshot, an
article's original). A kept copy is someone else's page: it is served only with
:func:`stored_copy_response`, as a download or in a sandbox (``Content-Security-Policy:
sandbox``, no script, nothing loaded from anywhere), never as a live page of the app, where its
scripts would run with the desk's session.
"""

from __future__ import annotations

import hashlib
import re

from django.db import models
from django.http import HttpResponse

from .fetch import Fetched, media_type_of, size_label

# The stored copy in a sandbox: a unique origin (no cookies, no storage of the app's), no
# script, no form, no plug-in, nothing fetched (images, fonts, frames), its own inline styles
# allowed so that the page still reads.
SANDBOX_POLICY = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)


class StoredCopy(models.Model):
    requested_url = models.URLField(
        "address asked for", max_length=2000, blank=True, editable=False
    )
    final_url = models.URLField(
        "final address",
        max_length=2000,
        blank=True,
        editable=False,
        help_text="Where the page was read, after every redirect.",
    )
    http_status = models.PositiveSmallIntegerField("HTTP status", null=True, editable=False)
    content_type = models.CharField(max_length=200, blank=True, editable=False)
    content = models.BinaryField(default=b"", editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    fetched_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        abstract = True

    def keep_fetched(self, fetched: Fetched) -> None:
        self.keep_bytes(fetched.body, fetched.content_type)
        self.requested_url, self.final_url = fetched.url, fetched.final_url
        self.http_status, self.fetched_at = fetched.status, fetched.fetched_at

    def keep_bytes(self, content: bytes, content_type: str) -> None:
        self.content, self.content_type = bytes(content), content_type
        self.sha256 = hashlib.sha256(self.content).hexdigest()
        self.size = len(self.content)

    @property
    def short_sha256(self) -> str:
        return f"{self.sha256[:4]}…" if self.sha256 else ""

    @property
    def size_label(self) -> str:
        return size_label(self.size)

    @property
    def media_type(self) -> str:
        return media_type_of(self.content_type)


def _download_name(stem: str, media_type: str) -> str:
    extension = {"text/html": "html", "application/xhtml+xml": "xhtml", "text/plain": "txt"}
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "copy"
    return f"{safe}.{extension.get(media_type, 'bin')}"


def stored_copy_response(copy: StoredCopy, *, name: str, download: bool) -> HttpResponse:
    """The kept bytes, exactly: as an attachment (``download``) or to read in the browser, in a
    sandbox with nothing of the app's origin, and either way with a policy that runs nothing."""
    content = bytes(copy.content)
    if download:
        response = HttpResponse(content, content_type="application/octet-stream")
        disposition = "attachment"
    else:
        # Shown as what it is (HTML in a sandbox, text as text): never sniffed into anything else.
        shown = (
            copy.content_type if copy.media_type in ("text/html", "text/plain") else "text/plain"
        )
        response = HttpResponse(content, content_type=shown)
        disposition = "inline"
    response["Content-Disposition"] = (
        f'{disposition}; filename="{_download_name(name, copy.media_type)}"'
    )
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response
