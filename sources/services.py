"""Writes to outlets, sources and their provenance: one function per user intent, each checking
the author's permission, validating and saving (``common.writes`` refuses saves from elsewhere).

Every change of provenance (``derived_from``) goes through here, so that the closure table
(``SourceAncestor``) changes in the same transaction as the links it is computed from, and so
that ``signals.lineage_changed`` tells what is computed from lineages (claims' independence) in
that transaction too.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from common.writes import service

from .models import Outlet, Provenance, Source
from .provenance import check_no_cycle, closes_a_loop, lock_provenance, refresh_closure
from .signals import lineage_changed

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
    return source


@service
@transaction.atomic
def save_outlet(*, outlet: Outlet, author) -> Outlet:
    """Validate (a unique name, whatever its case; an http(s) homepage) and save an outlet."""
    adding = outlet.pk is None
    _require(author, "sources.add_outlet" if adding else "sources.change_outlet", "edit outlets")
    outlet.full_clean()
    outlet.save()
    return outlet
