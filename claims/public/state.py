"""The read model's state (``PublicState``, one row), written with its rows: a generation that
names them (a new random value at every write that changes one: ``claims.public.memory`` keys
what a server answered by it) and the feed's validators (``claims.public.feed``)."""

import uuid

from .feed import STATE_FIELDS, computed_state
from .models import PublicState


def sync_state(*, write: bool, rows_changed: bool) -> list[str]:
    """Store the state the rows give, with a new generation when any row changed (``write``),
    or say how the stored feed state differs from its rows."""
    desired = computed_state()
    stored = PublicState.objects.filter(pk=1).values(*STATE_FIELDS).first()
    same = stored == desired or (stored is None and not desired["count"])
    if write and (rows_changed or not same):
        PublicState.objects.update_or_create(
            pk=1, defaults={**desired, "generation": uuid.uuid4().hex}
        )
    if same:
        return []  # (an empty feed needs no stored state: it is computed at once)
    if stored is None:
        return ["PublicState: missing"]
    differ = [f for f in STATE_FIELDS if stored[f] != desired[f]]
    return [f"PublicState: the feed differs in {', '.join(differ)}"]


def generation() -> str | None:
    """The read model's generation: the same value, the same rows (one lookup). None before the
    read model was first written through ``claims.public.refresh``: nothing to name its rows by."""
    return PublicState.objects.filter(pk=1).values_list("generation", flat=True).first()
