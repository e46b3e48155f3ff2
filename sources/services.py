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
