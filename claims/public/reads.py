"""Serving the read model: the stored bytes, with the links that carry the request's address
spliced in. No row is built here: a public read is one query for the rows (and the count or
cursor its page needs) and string joins."""

import hashlib

import orjson
from django.urls import reverse

from .models import PublicArticle, PublicClaim, PublicOutlet, PublicSource

# The public's names for what it filters and orders by, and the read model's columns holding
# them: the one mapping the API's filters use (claims.api.filters).
PUBLIC_COLUMNS = {
    PublicClaim: {
        "article": "article_id",
        "outlet": "outlet_id",
        "state": "state",
        "claimant": "claimant",
        "updated_since": "updated_at",
    },
    PublicArticle: {"outlet": "outlet_id", "slug": "slug", "updated_since": "updated_at"},
    PublicSource: {"kind": "kind", "outlet": "outlet_id", "on_record": "on_record"},
    PublicOutlet: {},
}
MARKER = 999999999


def _root(request) -> str:
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


class ClaimLinks:
    """The links of a claim's representation, from templates made once per request: each is the
    links object's JSON cut where the claim's id goes, so that a row's links are one join."""

    def __init__(self, request):
        self.root = _root(request)
        self.paths = {
            name: reverse(view, args=[MARKER])
            for name, view in (
                ("status_page", "claims:claim"),
                ("admin", "admin:claims_claim_change"),
                ("history", "api:claim-history"),
                ("claimreview", "api:claim-claimreview"),
            )
        }
        self.pieces = {
            in_force: self._cut(self._links(str(MARKER), in_force=in_force))
            for in_force in (True, False)
        }

    def _links(self, pk: str, *, in_force: bool) -> dict:
        return {
            name: self.root + path.replace(str(MARKER), pk)
            if in_force or name != "claimreview"
            else None
            for name, path in self.paths.items()
        }

    @staticmethod
    def _cut(links: dict) -> list[bytes] | None:
        pieces = orjson.dumps(links).split(str(MARKER).encode())
        # The marker once in each link; None when the request's own address holds it too.
        return pieces if len(pieces) == sum(v is not None for v in links.values()) + 1 else None

    def __call__(self, pk: int, *, in_force: bool) -> bytes:
        pieces = self.pieces[in_force]
        if pieces is None:
            return orjson.dumps(self._links(str(pk), in_force=in_force))
        return (b"%d" % pk).join(pieces)


def with_links(api: str, links: bytes) -> bytes:
    """A stored representation (an object without its links) with its links as the last key."""
    return api.encode()[:-1] + b',"links":' + links + b"}"


def claim_documents(rows, request) -> list[bytes]:
    """Rows with ``id``, ``in_force`` and ``api``, as the API serves them."""
    links = ClaimLinks(request)
    return [with_links(r["api"], links(r["id"], in_force=r["in_force"])) for r in rows]


def article_documents(rows, request) -> list[bytes]:
    root = _root(request)
    page = root + reverse("claims:article", args=["slug"]).replace("slug", "{}")
    claims = root + reverse("api:claim-list") + "?article={}"
    return [
        with_links(
            r["api"],
            orjson.dumps({"status_page": page.format(r["slug"]), "claims": claims.format(r["id"])}),
        )
        for r in rows
    ]


def documents(rows) -> list[bytes]:
    return [r["api"].encode() for r in rows]


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def claimreview_document(pk: int, tail: str, base_url: str, *, context: bool = True) -> bytes:
    """A stored ClaimReview with its head: its context (unless in a feed), type, @id and url."""
    url = base_url.rstrip("/") + reverse("claims:claim", args=[pk])
    head = b'{"@context":"https://schema.org",' if context else b"{"
    return (
        head
        + b'"@type":"ClaimReview","@id":'
        + orjson.dumps(url + "#claimreview")
        + b',"url":'
        + orjson.dumps(url)
        + b","
        + tail.encode()[1:]
    )
