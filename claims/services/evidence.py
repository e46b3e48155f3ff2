"""Evidence: part of the claim it bears on. Each change goes through the claim's own write, so it
locks the claim, bumps its version and, for a published claim, puts it back in review."""

from django.contrib.auth.models import AbstractBaseUser

from sources.models import Source

from ..models import Claim, Evidence, Stance
from .claims import edit_claim
from .evidence_changes import EvidenceChange


def add_evidence(
    *,
    claim: Claim,
    source: Source,
    stance: Stance | str,
    author: AbstractBaseUser,
    excerpt: str = "",
    note: str = "",
    origins: list[Source] | None = None,
    own_reporting: bool = False,
    expected_version: int | None = None,
) -> Evidence:
    """Link a source to a claim with its stance; one link per claim and source. ``origins``
    names the source's origins that carry the stance (none named: all of them, or none when
    ``own_reporting``: the source's own reporting carries it, as an origin of its own)."""
    values = {
        "source": source,
        "stance": stance,
        "excerpt": excerpt,
        "note": note,
        "own_reporting": own_reporting,
    }
    if origins:
        values["origins"] = list(origins)
    edit_claim(
        claim=claim,
        author=author,
        expected_version=expected_version,
        evidence=[EvidenceChange("add", values=values)],
    )
    return Evidence.objects.get(claim_id=claim.pk, source_id=source.pk)


def change_evidence(
    *,
    evidence: Evidence,
    author: AbstractBaseUser,
    origins: list[Source] | None = None,
    expected_version: int | None = None,
) -> Evidence:
    """Save a change to a piece of evidence (its source, stance, excerpt, note and whether its
    source's own reporting carries the stance, and, when ``origins`` is given, the origins that
    carry it: an empty list means all, or none beside its own reporting)."""
    claim = Claim(pk=evidence.claim_id)
    values = None if origins is None else {"origins": list(origins)}
    edit_claim(
        claim=claim,
        author=author,
        expected_version=expected_version,
        evidence=[EvidenceChange("change", evidence=evidence, values=values)],
    )
    return evidence


def remove_evidence(
    *, evidence: Evidence, author: AbstractBaseUser, expected_version: int | None = None
) -> None:
    """Unlink a source from a claim (its field history keeps what it said)."""
    edit_claim(
        claim=Claim(pk=evidence.claim_id),
        author=author,
        expected_version=expected_version,
        evidence=[EvidenceChange("remove", evidence=evidence)],
    )
