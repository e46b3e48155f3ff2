"""Changes to a claim's evidence, applied inside the claim's own write (``edit_claim``): each
checks its permission and validates with a sentence; the origins a piece of evidence names must
be origins of its source."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from sources.models import Source
from sources.provenance import origins_of

from ..models import Claim, Evidence, Stance
from .rows import require


@dataclass(frozen=True)
class EvidenceChange:
    """One change to a claim's evidence, applied inside the claim's write.

    ``op`` is "add" (``values``: source, stance, excerpt, note), "change" (``evidence`` with its
    new values set) or "remove" (``evidence``).
    """

    op: str
    evidence: Evidence | None = None
    values: dict | None = None


def apply_evidence_changes(claim: Claim, changes, author) -> bool:
    """Apply evidence changes to the (locked) claim; True when anything changed."""
    changed = False
    for change in changes:
        if change.op == "add":
            require(author, "claims.add_evidence", "add evidence")
            values = dict(change.values or {})
            origins = values.pop("origins", None)
            item = Evidence(claim=claim, **values)
            validate_evidence(item, check_unique=True)
            item._history_user = author
            item.save(force_insert=True)
            if origins:
                name_origins(item, origins)
            changed = True
        elif change.op == "change":
            require(author, "claims.change_evidence", "change evidence")
            item = change.evidence
            stored = Evidence.objects.get(pk=item.pk, claim=claim)
            fields = ("source_id", "stance", "excerpt", "note", "own_reporting")
            origins = (change.values or {}).get("origins")
            same_origins = origins is None or {o.pk for o in origins} == set(
                stored.origins.values_list("pk", flat=True)
            )
            if same_origins and all(getattr(stored, f) == getattr(item, f) for f in fields):
                continue
            item.claim = claim
            validate_evidence(item, check_unique=stored.source_id != item.source_id)
            item._history_user = author
            item.save()
            if origins is not None:
                name_origins(item, origins)
            changed = True
        elif change.op == "remove":
            require(author, "claims.delete_evidence", "remove evidence")
            item = change.evidence
            if item.claim_id != claim.pk:
                raise ValidationError("This evidence belongs to another claim.")
            item._history_user = author
            item.delete()
            changed = True
        else:
            raise ValueError(f"Unknown evidence change {change.op!r}.")
    return changed


def validate_evidence(item: Evidence, *, check_unique: bool) -> None:
    item.full_clean(exclude=["claim", "source"], validate_unique=False, validate_constraints=False)
    if item.stance not in Stance.values:
        raise ValidationError({"stance": f"Choose one of: {', '.join(Stance.values)}."})
    if check_unique and (
        Evidence.objects.filter(claim_id=item.claim_id, source_id=item.source_id)
        .exclude(pk=item.pk)
        .exists()
    ):
        raise ValidationError(
            {"source": "This source is already linked to this claim: edit that evidence instead."},
            code="evidence_taken",
        )


def evidence_origins_problem(source: Source, origins) -> str | None:
    """Why these origins cannot be named for evidence from ``source`` (each must be one of its
    origins), or None."""
    if not origins:
        return None
    allowed = {o.id: o for o in origins_of([source.pk]).get(source.pk, [])}
    wrong = [o for o in origins if o.pk not in allowed]
    if not wrong:
        return None
    names = ", ".join(f"“{o.title}”" for o in wrong)
    known = ", ".join(f"“{o.title}”" for o in allowed.values()) or "none"
    verb = "is not an origin" if len(wrong) == 1 else "are not origins"
    return f"{names} {verb} of “{source.title}”: its origins are {known}."


def name_origins(evidence: Evidence, origins) -> None:
    problem = evidence_origins_problem(evidence.source, origins)
    if problem:
        raise ValidationError({"origins": problem}, code="not_an_origin")
    evidence.origins.set(origins)
