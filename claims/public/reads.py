"""Serving the read model: the stored bytes, with the links that carry the request's address
spliced in. No row is built here: a public read is one query for the rows (and the count or
cursor its page needs) and string joins."""

import functools
import hashlib

import orjson
from django.db.models import ExpressionWrapper, F, IntegerField
from django.urls import get_script_prefix, get_urlconf, reverse

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


class ById:
    """Bytes that hold an object's id (or several times), made once and cut where the id goes:
    each object's are then one join. ``make(id_text)`` builds them for one id; the cut is kept
    only when joining gives exactly what ``make`` does (not so when the request's own address
    holds the marker), and ``make`` is called for each id otherwise."""

    def __init__(self, make):
        self.make = make
        pieces = make(str(MARKER)).split(str(MARKER).encode())
        self.pieces = pieces if b"1".join(pieces) == make("1") else None

    def __call__(self, pk: int) -> bytes:
        if self.pieces is None:
            return self.make(str(pk))
        return (b"%d" % pk).join(self.pieces)


class ClaimLinks:
    """The links of a claim's representation, made once for an address the API is read at
    (``ById``; ``for_request``)."""

    @classmethod
    def for_request(cls, request) -> "ClaimLinks":
        return _claim_links(_root(request), get_script_prefix(), get_urlconf())

    def __init__(self, root: str):
        paths = {
            name: reverse(view, args=[MARKER])
            for name, view in (
                ("status_page", "claims:claim"),
                ("admin", "admin:claims_claim_change"),
                ("history", "api:claim-history"),
                ("claimreview", "api:claim-claimreview"),
            )
        }

        def links(pk: str, *, in_force: bool) -> bytes:
            return orjson.dumps(
                {
                    name: root + path.replace(str(MARKER), pk)
                    if in_force or name != "claimreview"
                    else None
                    for name, path in paths.items()
                }
            )

        self.in_force = ById(lambda pk: links(pk, in_force=True))
        self.withdrawn = ById(lambda pk: links(pk, in_force=False))

    def __call__(self, pk: int, *, in_force: bool) -> bytes:
        return (self.in_force if in_force else self.withdrawn)(pk)


@functools.lru_cache(maxsize=64)
def _claim_links(root: str, script_prefix: str, urlconf) -> ClaimLinks:
    """The links for one address (scheme and host, which ALLOWED_HOSTS bounds) and URL
    configuration: made once, not at every read of a list (five ``reverse`` calls and four
    encodings a request)."""
    return ClaimLinks(root)


def with_links(api: str, links: bytes) -> bytes:
    """A stored representation (an object without its links) with its links as the last key."""
    return api.encode()[:-1] + b',"links":' + links + b"}"


# A claim row's ``in_force``, read as a number under another name (``values(**IN_FORCE)``):
# SQLite's boolean converter, run on every row, was a sixth of a list's time, and the links
# only ask whether it is true.
IN_FORCE = {"in_force_number": ExpressionWrapper(F("in_force"), output_field=IntegerField())}


def claim_documents(rows, request) -> list[bytes]:
    """Rows with ``id``, ``api`` and ``IN_FORCE``, as the API serves them."""
    links = ClaimLinks.for_request(request)
    return [with_links(r["api"], links(r["id"], in_force=r["in_force_number"])) for r in rows]


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


class ClaimReviewDocuments:
    """Stored ClaimReviews (``tail``: all but their head) with their head: their context (unless
    in a feed), type, @id and url. The head is made once for the base URL (``ById``): the feed
    writes thousands."""

    def __init__(self, base_url: str, *, context: bool = True):
        root, path = base_url.rstrip("/"), reverse("claims:claim", args=[MARKER])
        opening = b'{"@context":"https://schema.org",' if context else b"{"

        def head(pk: str) -> bytes:
            url = root + path.replace(str(MARKER), pk)
            return (
                opening
                + b'"@type":"ClaimReview","@id":'
                + orjson.dumps(url + "#claimreview")
                + b',"url":'
                + orjson.dumps(url)
                + b","
            )

        self.head = ById(head)

    def __call__(self, pk: int, tail: str) -> bytes:
        return self.head(pk) + tail.encode()[1:]


def claimreview_document(pk: int, tail: str, base_url: str, *, context: bool = True) -> bytes:
    """One stored ClaimReview with its head (``ClaimReviewDocuments``)."""
    return ClaimReviewDocuments(base_url, context=context)(pk, tail)
