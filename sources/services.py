"""Writes to outlets and sources that carry rules."""

from django.db import transaction

from .models import Provenance, Source
from .provenance import check_no_cycle


@transaction.atomic
def save_provenance(*, link: Provenance) -> Provenance:
    """Save a provenance link (new or changed), refusing any loop with its path."""
    # Lock both rows (in id order, so two callers cannot deadlock) so that "A rests on B" and
    # "B rests on A", saved at the same moment, cannot each pass the loop check.
    ids = [link.source_id, link.rests_on_id]
    list(Source.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    check_no_cycle([(link.source_id, link.rests_on_id)])
    link.full_clean()
    link.save()
    return link


def add_provenance(*, source: Source, rests_on: Source, note: str = "") -> Provenance:
    """Record that ``source`` rests on ``rests_on``."""
    return save_provenance(link=Provenance(source=source, rests_on=rests_on, note=note))


@transaction.atomic
def save_source(*, source: Source, author=None, derived_from: list[Source] | None = None) -> Source:
    """Validate and save a source; when ``derived_from`` is given, make its provenance exactly
    that list (links added through save_provenance, so no loop gets in)."""
    source.full_clean()
    source._history_user = author
    source.save()
    if derived_from is not None:
        wanted = {parent.pk for parent in derived_from}
        Provenance.objects.filter(source=source).exclude(rests_on__in=wanted).delete()
        have = set(Provenance.objects.filter(source=source).values_list("rests_on_id", flat=True))
        for parent in derived_from:
            if parent.pk not in have:
                save_provenance(link=Provenance(source=source, rests_on=parent))
    return source


def save_outlet(*, outlet, author=None):
    """Validate (a unique name, whatever its case; an http(s) homepage) and save an outlet."""
    outlet.full_clean()
    outlet.save()
    return outlet
