"""The ClaimReview feed: the verdicts it lists, and the state its validators come from, stored
with the read model when an editor's approval (or withdrawal, or the publication of an
article's changes) writes it, so that a read looks it up instead of passing over every verdict.

The state holds a digest of every stored byte the feed lists: its ETag (``feed_etag``) changes
whenever a byte of the feed would, which is what lets a crawler's If-None-Match be answered with
a 304, and a server keep a feed it has written (``claims.public.memory``), without reading
the rows."""

import hashlib

from django.conf import settings
from django.db.models import Count, Max

from .models import PublicClaim, PublicState

STATE_FIELDS = ("count", "last_id", "modified", "claims", "digest")


def feed_claims():
    """The verdicts the feed lists, in its order: in force, with a ClaimReview."""
    return PublicClaim.objects.filter(in_force=True).exclude(claimreview="").order_by("id")


def computed_state() -> dict:
    """The state from the rows: how many, the highest id, the latest change to a verdict or the
    article it reads in (the feed's Last-Modified and dateModified), the latest approval, and
    the digest of the ids and reviews listed. One aggregate and one pass over the reviews: for
    a write, not a read."""
    state = (
        feed_claims()
        .order_by()
        .aggregate(
            count=Count("id"),
            last_id=Max("id"),
            modified=Max("modified_at"),
            claims=Max("updated_at"),
        )
    )
    digest = Digest()
    for pk, tail in feed_claims().values_list("id", "claimreview").iterator(chunk_size=1000):
        digest.add(pk, tail)
    state["digest"] = digest.hexdigest()
    return state


class Digest:
    """The digest of the ids and reviews a feed lists, in its order."""

    def __init__(self):
        self._sha = hashlib.sha256()

    def add(self, pk: int, tail: str) -> None:
        self._sha.update(b"%d\n%s\n" % (pk, tail.encode()))

    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def stored_state() -> dict:
    """The feed's state as stored (one lookup); computed from the rows when none is stored yet
    (a database whose read model was never written since this table came)."""
    stored = PublicState.objects.filter(pk=1).values(*STATE_FIELDS).first()
    return stored if stored is not None else computed_state()


def feed_etag(state: dict, base_url: str, media_type: str) -> str:
    """A strong tag: the same tag, the same bytes (the rows' digest, the host the links carry,
    the media type and the publisher named in every review)."""
    key = repr(
        (
            *(state[f] for f in STATE_FIELDS),
            base_url,
            media_type,
            settings.PUBLISHER_NAME,
            settings.PUBLISHER_URL,
        )
    )
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
