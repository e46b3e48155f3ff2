"""Writes to outlets, sources and their provenance: one function per user intent, each checking
the author's permission, validating and saving (``common.writes`` refuses saves from elsewhere)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from common.writes import service

from .models import Outlet, Provenance, Source
from .provenance import check_no_cycle


def _require(author, permission: str, doing: str) -> None:
    if author is None or not author.is_active or not author.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {doing}.")


@service
@transaction.atomic
def save_provenance(*, link: Provenance, author) -> Provenance:
    """Save a provenance link (new or changed), refusing any loop with its path."""
    # Lock both rows (in id order, so two callers cannot deadlock) so that "A rests on B" and
    # "B rests on A", saved at the same moment, cannot each pass the loop check.
    _require(author, "sources.change_source", "change the provenance of sources")
    ids = [link.source_id, link.rests_on_id]
    list(Source.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    check_no_cycle([(link.source_id, link.rests_on_id)])
    link.full_clean()
    link.save()
    return link


def add_provenance(*, source: Source, rests_on: Source, author, note: str = "") -> Provenance:
    """Record that ``source`` rests on ``rests_on``."""
    return save_provenance(
        link=Provenance(source=source, rests_on=rests_on, note=note), author=author
    )


@service
@transaction.atomic
def remove_provenance(*, link: Provenance, author) -> None:
    """Record that a source no longer rests on another."""
    _require(author, "sources.change_source", "change the provenance of sources")
    link.delete()


@service
@transaction.atomic
def save_source(*, source: Source, author, derived_from: list[Source] | None = None) -> Source:
    """Validate and save a source; when ``derived_from`` is given, make its provenance exactly
    that list (links added through save_provenance, so no loop gets in)."""
    adding = source.pk is None
    _require(author, "sources.add_source" if adding else "sources.change_source", "edit sources")
    source.full_clean()
    source._history_user = author
    source.save()
    if derived_from is not None:
        wanted = {parent.pk for parent in derived_from}
        for link in Provenance.objects.filter(source=source).exclude(rests_on__in=wanted):
            link.delete()
        have = set(Provenance.objects.filter(source=source).values_list("rests_on_id", flat=True))
        for parent in derived_from:
            if parent.pk not in have:
                save_provenance(link=Provenance(source=source, rests_on=parent), author=author)
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
