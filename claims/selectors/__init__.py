"""The reads that pages, the admin and the API go through, by what they read: ``timelines`` (a
claim's history), ``queues`` (the desk's work lists), ``dashboard`` (the status pages' articles
and counts), ``lineages`` (provenance for a page), ``passages`` (a passage before it is saved),
``evidence`` (evidence rows, and what a working copy changes from its public version). Who may
see what is decided in ``claims.visibility``."""

from ..visibility import is_desk_member, visible_articles, visible_claims
from .dashboard import (
    DASHBOARD_PAGE_SIZE,
    DashboardFilters,
    StateCount,
    Totals,
    claim_totals,
    count_name,
    dashboard_articles,
    dashboard_outlets,
    last_activity_expression,
    state_field,
    with_progress,
)
from .evidence import (
    frozen_evidence,
    frozen_evidence_key,
    published_differences,
    working_evidence,
    working_evidence_key,
)
from .lineages import GraphNode, Lineage, lineages_from
from .passages import article_claims_with_anchors, passage_preview
from .queues import (
    QUEUE_LENGTH,
    QUEUE_TITLES,
    desk_queues,
    is_editor,
    is_fact_checker,
    queue_counts,
    queue_querysets,
)
from .timelines import (
    EDIT_FIELDS,
    TIMELINE_ORDER,
    TimelineEntry,
    anchor_entries,
    claim_timeline,
    comment_entries,
    desk_timeline,
    published_versions,
    status_timeline,
    version_entry,
    words,
)

__all__ = [
    "DASHBOARD_PAGE_SIZE",
    "EDIT_FIELDS",
    "QUEUE_LENGTH",
    "QUEUE_TITLES",
    "TIMELINE_ORDER",
    "DashboardFilters",
    "GraphNode",
    "Lineage",
    "StateCount",
    "TimelineEntry",
    "Totals",
    "anchor_entries",
    "article_claims_with_anchors",
    "claim_timeline",
    "claim_totals",
    "comment_entries",
    "count_name",
    "dashboard_articles",
    "dashboard_outlets",
    "desk_queues",
    "desk_timeline",
    "frozen_evidence",
    "frozen_evidence_key",
    "is_desk_member",
    "is_editor",
    "is_fact_checker",
    "last_activity_expression",
    "lineages_from",
    "passage_preview",
    "published_differences",
    "published_versions",
    "queue_counts",
    "queue_querysets",
    "state_field",
    "status_timeline",
    "version_entry",
    "visible_articles",
    "visible_claims",
    "with_progress",
    "words",
    "working_evidence",
    "working_evidence_key",
]
