"""Writes to outlets, sources and their provenance: one function per user intent, each checking
the author's permission, validating and saving (``common.writes`` refuses saves from elsewhere).

Every change of provenance (``derived_from``) goes through here, so that the closure table
(``SourceAncestor``) changes in the same transaction as the links it is computed from, and so
that ``signals.lineage_changed`` tells what is computed from lineages (claims' independence) in
that transaction too.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from common.fetch import Fetched, FetchError
from common.writes import service

from .models import Outlet, Provenance, SnapshotStatus, Source, SourceSnapshot
from .provenance import check_no_cycle, closes_a_loop, lock_provenance, refresh_closure
from .signals import lineage_changed, sources_edited

# What an origin or a line of reporting shows of a source (sources.provenance.Node).
LINEAGE_FIELDS = ("title", "kind", "on_record")


def _require(author, permission: str, doing: str) -> None:
    if author is None or not author.is_active or not author.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {doing}.")


def _check_link(link: Provenance) -> None:
    # The closure answers "would this close a loop?" in one lookup; the path, for the message,
    # is looked for only when it would.
    if closes_a_loop(link.source_id, link.rests_on_id):
        check_no_cycle([(link.source_id, link.rests_on_id)])


@service
@transaction.atomic
def save_provenance(*, link: Provenance, author) -> Provenance:
    """Save a provenance link (new or changed), refusing any loop with its path, and bring the
    closure table up to date."""
    _require(author, "sources.change_source", "change the provenance of sources")
    # One writer of provenance at a time: "A rests on B" and "B rests on A", saved at the same
    # moment, cannot each pass the loop check, and no closure row is computed from a stale one.
    lock_provenance()
    _check_link(link)
    link.full_clean()
    link.save()
    refresh_closure([link.source_id])
    lineage_changed.send(sender=Provenance, source_ids=[link.source_id])
    sources_edited.send(sender=Provenance, source_ids=[link.source_id], author=author)
    return link


def add_provenance(*, source: Source, rests_on: Source, author, note: str = "") -> Provenance:
    """Record that ``source`` rests on ``rests_on``."""
    return save_provenance(
        link=Provenance(source=source, rests_on=rests_on, note=note), author=author
    )


@service
@transaction.atomic
def remove_provenance(*, link: Provenance, author) -> None:
    """Record that a source no longer rests on another, and bring the closure table up to date."""
    _require(author, "sources.change_source", "change the provenance of sources")
    lock_provenance()
    source_id = link.source_id
    link.delete()
    refresh_closure([source_id])
    lineage_changed.send(sender=Provenance, source_ids=[source_id])
    sources_edited.send(sender=Provenance, source_ids=[source_id], author=author)


@service
@transaction.atomic
def save_source(*, source: Source, author, derived_from: list[Source] | None = None) -> Source:
    """Validate and save a source; when ``derived_from`` is given, make its provenance exactly
    that list (no loop gets in; the closure table follows in the same transaction)."""
    adding = source.pk is None
    _require(author, "sources.add_source" if adding else "sources.change_source", "edit sources")
    source.full_clean()
    before = (
        None if adding else Source.objects.filter(pk=source.pk).values_list(*LINEAGE_FIELDS).first()
    )
    source._history_user = author
    source.save()
    shown_differently = before is not None and before != tuple(
        getattr(source, f) for f in LINEAGE_FIELDS
    )
    relinked = False
    if derived_from is not None:
        lock_provenance()
        wanted = {parent.pk for parent in derived_from}
        removed = False
        for link in Provenance.objects.filter(source=source).exclude(rests_on__in=wanted):
            link.delete()
            removed = True
        have = set(Provenance.objects.filter(source=source).values_list("rests_on_id", flat=True))
        added = False
        for parent in derived_from:
            if parent.pk not in have:
                link = Provenance(source=source, rests_on=parent)
                _check_link(link)
                link.full_clean()
                link.save()
                have.add(parent.pk)
                added = True
        if removed or added:
            refresh_closure([source.pk])
            relinked = True
    if relinked or shown_differently:
        lineage_changed.send(sender=Source, source_ids=[source.pk])
    if not adding:
        sources_edited.send(sender=Source, source_ids=[source.pk], author=author)
    return source


@service
@transaction.atomic
def save_outlet(*, outlet: Outlet, author) -> Outlet:
    """Validate (a unique name, whatever its case; an http(s) homepage) and save an outlet."""
    adding = outlet.pk is None
    _require(author, "sources.add_outlet" if adding else "sources.change_outlet", "edit outlets")
    outlet.full_clean()
    renamed = (
        not adding
        and Outlet.objects.filter(pk=outlet.pk).values_list("name", flat=True).get() != outlet.name
    )
    outlet.save()
    if renamed:  # what the public reads of a source's outlet: its name
        sources_edited.send(
            sender=Outlet,
            source_ids=list(Source.objects.filter(outlet=outlet).values_list("pk", flat=True)),
            author=author,
        )
    return outlet


# ---------------------------------------------------------------------------------------------
# Snapshots: a source's page archived as the tracker saw it (the fetch runs in the worker:
# sources.tasks.archive_source)

# A snapshot still waiting or fetching after this long was lost (a worker stopped mid-task): a
# new request records it as failed and starts again, instead of waiting for it forever.
SNAPSHOT_GIVE_UP_AFTER = timedelta(minutes=10)
PENDING = (SnapshotStatus.QUEUED, SnapshotStatus.FETCHING)


@service
@transaction.atomic
def request_snapshot(*, source: Source, author) -> SourceSnapshot:
    """Archive the source's page now: a snapshot waiting for the background worker, which
    fetches the address (``common.fetch``) and keeps what it got. While one is already waiting
    or fetching, that one is the answer (a second click makes no second fetch)."""
    _require(author, "sources.change_source", "archive sources")
    if not source.url:
        raise ValidationError("This source has no web address to archive.")
    source = Source.objects.select_for_update().get(pk=source.pk)
    pending = SourceSnapshot.objects.filter(source=source, status__in=PENDING).first()
    if pending is not None:
        if pending.requested_at > timezone.now() - SNAPSHOT_GIVE_UP_AFTER:
            return pending
        _finish(
            pending,
            status=SnapshotStatus.FAILED,
            error="The background worker did not finish this fetch; it was asked again.",
        )
    snapshot = SourceSnapshot(source=source, requested_by=author, requested_url=source.url)
    snapshot.save()
    from .tasks import archive_source  # the task module imports these services

    archive_source.enqueue(snapshot.pk)
    return snapshot


def _finish(snapshot: SourceSnapshot, **changes) -> SourceSnapshot:
    for name, value in changes.items():
        setattr(snapshot, name, value)
    snapshot.full_clean(exclude=["source", "requested_by"])
    snapshot.save()
    return snapshot


@service
@transaction.atomic
def start_snapshot(*, snapshot_id: int) -> SourceSnapshot | None:
    """The worker takes a waiting snapshot (None when it is no longer waiting)."""
    snapshot = SourceSnapshot.objects.select_for_update().filter(pk=snapshot_id).first()
    if snapshot is None or snapshot.status != SnapshotStatus.QUEUED:
        return None
    return _finish(snapshot, status=SnapshotStatus.FETCHING)


@service
@transaction.atomic
def finish_snapshot(
    *, snapshot_id: int, fetched: Fetched | None = None, error: FetchError | str | None = None
) -> SourceSnapshot | None:
    """Keep what the fetch gave (the bytes, their hash, the status, the final address, the
    time), or why it failed. A snapshot is finished once: an archived one is never written
    again."""
    snapshot = SourceSnapshot.objects.select_for_update().filter(pk=snapshot_id).first()
    if snapshot is None or snapshot.status != SnapshotStatus.FETCHING:
        return None
    if fetched is None:
        return _finish(snapshot, status=SnapshotStatus.FAILED, error=str(error))
    snapshot.keep_fetched(fetched)
    return _finish(snapshot, status=SnapshotStatus.ARCHIVED, error="")
