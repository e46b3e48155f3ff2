"""Independence of sources: counting evidence by distinct origin, and what the count suggests.

Two sources that rest on the same origin are one source, not two: a wire report and the papers
that reprint it are one. Every piece of evidence is followed through ``derived_from`` to its
origins (``sources.provenance.origins_of``), and a claim's support and contradiction are counted
by distinct origin.

The rules for the suggested state, in order (S: the origins of the supporting evidence,
C: those of the contradicting evidence; an origin is *on record* unless it is an unnamed or
anonymous source, and *primary* when it is on record and is itself the statement, document or
record rather than a report of it):

1. No supporting or contradicting evidence: **unverified**.
2. Both S and C hold an on-record origin: **disputed** (credible sources conflict).
3. S holds an on-record origin, C none: **confirmed** when S has a primary origin or at least two
   independent origins; otherwise **in progress** (one origin: find a second).
4. C holds an on-record origin, S none: **refuted** on the same terms; otherwise **in progress**.
5. Evidence only from unnamed sources: **unverifiable**.

Unnamed origins count towards independence (two origins, one of them unnamed, are two) but never
carry a claim alone. Context evidence is shown but never counted.

The suggestion informs a person; it never sets a state. Warnings say where a state is stronger
than its evidence, where a confirmation rests on a single origin, and which cited sources share
an origin (and so count once).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sources.provenance import Origin, origins_of

from .models import Claim, ConfirmationState, Evidence, Stance

# States that assert something about the evidence, and the suggestions that bear them out.
_BORNE_OUT_BY = {
    ConfirmationState.CONFIRMED: {ConfirmationState.CONFIRMED},
    ConfirmationState.REFUTED: {ConfirmationState.REFUTED},
    ConfirmationState.PARTLY_CONFIRMED: {
        ConfirmationState.CONFIRMED,
        ConfirmationState.PARTLY_CONFIRMED,
        ConfirmationState.DISPUTED,
        ConfirmationState.IN_PROGRESS,  # one on-record origin supports the core
    },
}


@dataclass(frozen=True)
class SharedOrigin:
    origin: Origin
    source_titles: tuple[str, ...]

    def __str__(self) -> str:
        others = [t for t in self.source_titles if t != self.origin.title]
        names = _join(f"“{t}”" for t in others)
        if len(others) < len(self.source_titles):  # the origin itself is cited too
            verb = "rests" if len(others) == 1 else "rest"
            return f"{names} {verb} on “{self.origin.title}”, which is cited too: they count once."
        return f"{names} share origin “{self.origin.title}”: they count once."


def _join(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class Assessment:
    supporting: tuple[Origin, ...]
    contradicting: tuple[Origin, ...]
    suggestion: ConfirmationState
    reason: str
    shared: tuple[SharedOrigin, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    stronger_than_evidence: bool = False

    @property
    def supporting_count(self) -> int:
        return len(self.supporting)

    @property
    def contradicting_count(self) -> int:
        return len(self.contradicting)


@dataclass(frozen=True)
class CitedSource:
    source_id: int
    title: str
    stance: str


def _strong(origins: set[Origin]) -> bool:
    return any(o.is_primary_on_record for o in origins) or (
        len(origins) >= 2 and any(o.on_record for o in origins)
    )


def suggest(supporting: set[Origin], contradicting: set[Origin]) -> tuple[ConfirmationState, str]:
    """The suggested state for these origins, with the reason in words (see the module's rules)."""
    named_s = any(o.on_record for o in supporting)
    named_c = any(o.on_record for o in contradicting)
    if not supporting and not contradicting:
        return ConfirmationState.UNVERIFIED, "No supporting or contradicting evidence yet."
    if named_s and named_c:
        return (
            ConfirmationState.DISPUTED,
            "Independent on-record origins both support and contradict it.",
        )
    if named_s:
        if _strong(supporting):
            return ConfirmationState.CONFIRMED, (
                "Supported by a primary on-record origin or by two or more independent origins, contradicted by none."
            )
        return (
            ConfirmationState.IN_PROGRESS,
            "Supported by a single on-record origin: find a second, independent one.",
        )
    if named_c:
        if _strong(contradicting):
            return ConfirmationState.REFUTED, (
                "Contradicted by a primary on-record origin or by two or more independent origins, supported by none."
            )
        return (
            ConfirmationState.IN_PROGRESS,
            "Contradicted by a single on-record origin: find a second, independent one.",
        )
    return ConfirmationState.UNVERIFIABLE, "Only unnamed sources: nothing on the record."


def assess(
    state: str, cited: Iterable[CitedSource], origins: dict[int, list[Origin]]
) -> Assessment:
    """Assess one claim from its cited sources and their origins (no queries)."""
    cited = list(cited)
    by_stance: dict[str, set[Origin]] = defaultdict(set)
    sources_by_origin: dict[Origin, list[str]] = defaultdict(list)
    for item in cited:
        if item.stance == Stance.CONTEXT:
            continue
        for origin in origins.get(item.source_id, []):
            by_stance[item.stance].add(origin)
            if item.title not in sources_by_origin[origin]:
                sources_by_origin[origin].append(item.title)
    supporting, contradicting = by_stance[Stance.SUPPORTS], by_stance[Stance.CONTRADICTS]
    suggestion, reason = suggest(supporting, contradicting)

    shared = tuple(
        SharedOrigin(origin, tuple(titles))
        for origin, titles in sorted(sources_by_origin.items(), key=lambda kv: kv[0].id)
        if len(titles) >= 2
    )
    state = ConfirmationState(state)
    stronger = state in _BORNE_OUT_BY and suggestion not in _BORNE_OUT_BY[state]
    warnings = []
    if state == ConfirmationState.CONFIRMED and len(supporting) == 1 and stronger:
        (only,) = supporting
        warnings.append(f"Confirmed on a single origin: “{only.title}”.")
    if stronger:
        warnings.append(
            f"The state ({state.label}) is stronger than its evidence, which suggests {suggestion.label.lower()}."
        )
    warnings.extend(str(s) for s in shared)
    return Assessment(
        supporting=tuple(sorted(supporting, key=lambda o: o.id)),
        contradicting=tuple(sorted(contradicting, key=lambda o: o.id)),
        suggestion=suggestion,
        reason=reason,
        shared=shared,
        warnings=tuple(warnings),
        stronger_than_evidence=stronger,
    )


def assess_claims(claims: Iterable[Claim]) -> dict[int, Assessment]:
    """Assess a page of claims in two queries, whatever its size and the depth of provenance:
    the claims' evidence (none when it is prefetched with its sources), then the origins of
    every cited source (one recursive query)."""
    claims = list(claims)
    if not claims:
        return {}
    if all("evidence" in getattr(c, "_prefetched_objects_cache", {}) for c in claims):
        # The evidence is already loaded (with its sources): only the origins cost a query.
        rows = [
            (c.pk, e.source_id, e.source.title, e.stance) for c in claims for e in c.evidence.all()
        ]
    else:
        rows = list(
            Evidence.objects.filter(claim__in=[c.pk for c in claims])
            .order_by("id")
            .values_list("claim_id", "source_id", "source__title", "stance")
        )
    origins = origins_of({source_id for _, source_id, _, _ in rows})
    cited: dict[int, list[CitedSource]] = defaultdict(list)
    for claim_id, source_id, title, stance in rows:
        cited[claim_id].append(CitedSource(source_id, title, stance))
    return {c.pk: assess(c.state, cited[c.pk], origins) for c in claims}


def assess_claim(claim: Claim) -> Assessment:
    return assess_claims([claim])[claim.pk]
