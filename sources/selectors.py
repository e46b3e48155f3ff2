"""Reads of sources that pages outside the app make."""

from .models import SnapshotStatus, SourceSnapshot


def latest_snapshots(source_ids) -> dict[int, SourceSnapshot]:
    """Each source's newest archived snapshot, without its bytes: one query (``source_ids`` may
    be a subquery)."""
    newest: dict[int, SourceSnapshot] = {}
    for snapshot in (
        SourceSnapshot.objects.filter(source_id__in=source_ids, status=SnapshotStatus.ARCHIVED)
        .defer("content")
        .order_by("source_id", "-fetched_at", "-pk")
    ):
        newest.setdefault(snapshot.source_id, snapshot)
    return newest
