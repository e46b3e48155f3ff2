"""Every write to articles, claims and evidence: one function per user intent.

The admin (forms, inlines, bulk actions), the API, the status pages and the management commands
call these and nothing else (``common.writes`` refuses a save from anywhere else). Each function
is keyword-only and atomic, checks the author's permission itself, validates once (with a
sentence a person can act on), writes once, and names its author: every change has someone and
a reason behind it. A call that changes nothing writes nothing: no version bump, no history row.

Claims carry a version. A write that names the version it was based on (``expected_version``)
is refused with a ConflictError when someone else saved in between, so no edit is overwritten.
The claim's row is locked once for the length of the write (``rows.lock_claim``; on SQLite the
IMMEDIATE transaction holds the write lock).

The public reads published versions only (``PublishedVersion``, ``ArticleVersion``): frozen
copies an editor approved. Changing what a published claim says (its wording, quote, claimant,
article, state or rationale; adding, removing or re-weighing its evidence) changes the working
copy and puts the claim back in review; the public keeps the last approved version until an
editor approves the new one, with a public correction note when the verdict or its reasons
changed.

Every write that changes what a claim's independence is computed from (its state, what it is
about, its evidence, its live version) stores the claim's independence block again, in its
transaction (``claims.independence``).

The modules, by what a person does: ``articles`` (record, change, delete and publish an
article), ``claims`` (record, edit, change the state of and delete a claim), ``evidence`` (add,
change, remove), ``review`` (submit, approve, send back, withdraw, discuss) and ``seed`` (load
verified work from a file); ``rows`` and ``evidence_changes`` are what they share.
"""

from ..permissions import CHANGE_PERMISSION, PUBLISH_PERMISSION
from .articles import BrokenAnchors, delete_article, publish_article, save_article
from .claims import (
    anchor_claim,
    change_state,
    change_state_with_reason,
    create_claim,
    delete_claim,
    describe_changes,
    edit_claim,
    verdict_change_problem,
)
from .evidence import add_evidence, change_evidence, remove_evidence
from .evidence_changes import EvidenceChange, evidence_origins_problem
from .review import (
    add_comment,
    approve,
    publish_working_copy,
    send_back,
    submit_for_review,
    take_review_step,
    withdraw,
)
from .rows import ConflictError
from .seed import import_claim

__all__ = [
    "CHANGE_PERMISSION",
    "PUBLISH_PERMISSION",
    "BrokenAnchors",
    "ConflictError",
    "EvidenceChange",
    "add_comment",
    "add_evidence",
    "anchor_claim",
    "approve",
    "change_evidence",
    "change_state",
    "change_state_with_reason",
    "create_claim",
    "delete_article",
    "delete_claim",
    "describe_changes",
    "edit_claim",
    "evidence_origins_problem",
    "import_claim",
    "publish_article",
    "publish_working_copy",
    "remove_evidence",
    "save_article",
    "send_back",
    "submit_for_review",
    "take_review_step",
    "verdict_change_problem",
    "withdraw",
]
