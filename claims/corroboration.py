"""Independence of sources: evidence counted by distinct origin and by line of reporting, and the
state that the count suggests.

Terms. Every piece of evidence is followed through ``derived_from`` to its **origins** (the
sources it rests on that rest on nothing: a document, an official's remarks, an unnamed person),
read from the provenance closure table (``sources.provenance``). A piece of evidence says which of
its source's origins **carry its stance** for this claim (by default all of them): a report that
quotes the letter and the denials supports a claim through the letter only. An origin is *on
record* unless it is an unnamed or anonymous source, and *primary* when it is on record and is
itself the statement, remarks, document or record rather than a report of it.

A piece of evidence may also say that the cited source's **own reporting** carries its stance
(Reuters saw the ship aground itself; the tonnage it quotes is Lloyd's List's estimate): the
cited source then counts as an origin of its own, on record as the source is, and heads a line of
reporting of its own, beside the origins the evidence names, or alone when it names none. Its
relays rest on it and join its line; an agency's own reporting and another agency's are two lines.

**One origin never counts on both sides.** An origin that carries support and contradiction (the
same remarks cited for and against) counts on neither, with a warning, until the desk says which
way it carries (by narrowing the evidence's origins).

**Lines of reporting.** The sources cited on one side are grouped by the nearest source they
share: relays of one wire report are one line, named after that report, with the relays under it
("Reuters' report on the letter (3 relays)"). A cited source that shares nothing is a line of its
own. In the seed, the five reports of Reuters' and AFP's confirming the letter are two lines,
AFP's report (NRK, UrduPoint) and Reuters' report (The Daily Beast, Defence Blog, Mediaite): two
agencies, not five confirmations.

**The suggested state**, in order (S and C: the origins carrying support and contradiction, once
the origins on both sides are set aside):

1. Nothing carries support or contradiction: **unverified** (**in progress** when origins on both
   sides were set aside: the desk must say which way they carry).
2. Both S and C hold an on-record origin: **disputed**. Seed: "the U.S. military has been
   preparing to comply" (the letter for; Milley's and Esper's remarks against).
3. Otherwise the side with an on-record origin is weighed by what the claim is about (it suggests
   **confirmed** for support, **refuted** for contradiction; short of the rule, **in progress**):

   a. *What someone said or announced* is borne out by the record of their saying it: one
      primary on-record origin is enough. Seed: Esper told reporters there was "no decision to
      leave Iraq" (his remarks, relayed by Military Times, Military.com and Mediaite). Without
      such a record it needs what an event needs.
   b. *An event* needs independent lines: at least two lines of reporting resting on at least
      two distinct origins, one on record. One line, even an official's own statement, is not
      enough. Seed: the letter leaked on Monday (Military Times' and UrduPoint's own reporting:
      two lines) is confirmed; the drone strike (the Pentagon's statement and RT relaying it:
      one line) is not.
   c. *What reporters or agencies did* needs their reports: a line of reporting headed by an
      on-record report (which puts the claim on the record whoever the report's own sources
      were). The origins they reported on never confirm it alone. Seed: "Reuters and
      AFP confirmed the authenticity of the letter" is weighed on Reuters' and AFP's reports,
      through the agencies' own sources; the letter cannot confirm that they confirmed it.
4. Only unnamed origins: **unverifiable**. Seed: the claims that rest on the four unnamed people
   of The National Interest.

Unnamed origins count towards independence but never carry a claim alone. Context evidence is
shown but never counted. The suggestion informs a person; it never sets a state. Warnings say
where a state is stronger than its evidence, where an origin stands on both sides and where
evidence names origins its source no longer rests on; the lines of reporting and the shared
origins say which cited sources count once.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sources.models import SourceKind
from sources.provenance import Node, Origin, ProvenanceGraph, provenance_graph

from .models import Claim, ClaimAbout, ConfirmationState, Evidence, EvidenceOrigin, Stance

# States that assert something about the evidence, and the suggestions that bear them out.
_BORNE_OUT_BY = {
    ConfirmationState.CONFIRMED: {ConfirmationState.CONFIRMED},
    ConfirmationState.REFUTED: {ConfirmationState.REFUTED},
    ConfirmationState.PARTLY_CONFIRMED: {
        ConfirmationState.CONFIRMED,
        ConfirmationState.PARTLY_CONFIRMED,
        ConfirmationState.DISPUTED,
        ConfirmationState.IN_PROGRESS,  # one on-record line supports the core
    },
}
# The kinds of source that are a reporter's or an agency's own report.
REPORT_KINDS = frozenset({SourceKind.NEWS_REPORT, SourceKind.SOCIAL_MEDIA})


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


@dataclass(frozen=True)
class Line:
    """One line of reporting: the nearest source its cited sources share (its head), and the
    cited sources that relay it."""

    head: Node
    head_cited: bool  # the head is itself one of the cited sources
    relays: tuple[str, ...]  # titles of the other cited sources in the line
    origins: tuple[Origin, ...]

    @property
    def on_record(self) -> bool:
        return any(o.on_record for o in self.origins)

    @property
    def primary(self) -> bool:
        return any(o.is_primary_on_record for o in self.origins)

    @property
    def is_report(self) -> bool:
        return self.head.on_record and self.head.kind in REPORT_KINDS

    def __str__(self) -> str:
        n = len(self.relays)
        return f"{self.head.title} ({n} relay{'s' if n != 1 else ''})" if n else self.head.title

    def as_dict(self) -> dict:
        return {
            "source": {
                "id": self.head.id,
                "title": self.head.title,
                "kind": self.head.kind,
                "on_record": self.head.on_record,
            },
            "cited": self.head_cited,
            "relays": list(self.relays),
            "origins": [o._asdict() for o in self.origins],
        }


def _join(items) -> str:
    items = list(items)
    if not items:
        return ""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def describe_lines(lines: tuple[Line, ...]) -> str:
    """ "2 independent lines of reporting: A (3 relays) and B (2 relays), both resting on C"."""
    if not lines:
        return ""
    if len(lines) == 1:
        return f"1 line of reporting: {lines[0]}"
    text = f"{len(lines)} independent lines of reporting: {_join(str(line) for line in lines)}"
    common = set.intersection(*(set(line.origins) for line in lines))
    if common:
        every = "both" if len(lines) == 2 else "all"
        titles = _join(f"“{o.title}”" for o in sorted(common, key=lambda o: o.id))
        text += f", {every} resting on {titles}"
    return text


@dataclass(frozen=True)
class Assessment:
    supporting: tuple[Origin, ...]
    contradicting: tuple[Origin, ...]
    suggestion: ConfirmationState
    reason: str
    shared: tuple[SharedOrigin, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    stronger_than_evidence: bool = False
    supporting_lines: tuple[Line, ...] = ()
    contradicting_lines: tuple[Line, ...] = ()
    on_both_sides: tuple[Origin, ...] = ()

    @property
    def supporting_count(self) -> int:
        return len(self.supporting)

    @property
    def contradicting_count(self) -> int:
        return len(self.contradicting)

    @property
    def supporting_summary(self) -> str:
        return describe_lines(self.supporting_lines)

    @property
    def contradicting_summary(self) -> str:
        return describe_lines(self.contradicting_lines)


@dataclass(frozen=True)
class CitedSource:
    source_id: int
    title: str
    stance: str
    origins: tuple[int, ...] = ()  # the origins named as carrying the stance; () for all
    # The source's own reporting carries the stance: the source counts as an origin of its own,
    # beside the named origins (or alone: then () means none of its upstream origins).
    own_reporting: bool = False


def _rule(about: str, origins: set[Origin], lines: tuple[Line, ...]) -> str:
    """ "strong" when the side meets the rule for what the claim is about, else "weak"."""
    primary = any(o.is_primary_on_record for o in origins)
    independent = len(lines) >= 2 and len(origins) >= 2
    if about == ClaimAbout.SAID:
        return "strong" if primary or independent else "weak"
    if about == ClaimAbout.REPORTING:
        return "strong" if any(line.is_report for line in lines) else "weak"
    return "strong" if independent else "weak"


_WEAK = {
    ClaimAbout.SAID: "no record of the saying itself and fewer than two independent lines: find the record (the statement, remarks or document).",
    ClaimAbout.EVENT: "a single line of reporting: an event needs an independent line.",
    ClaimAbout.REPORTING: "no report by the reporters or agencies themselves: find their reports.",
}
_STRONG = {
    ClaimAbout.SAID: "by the record of the saying",
    ClaimAbout.EVENT: "by independent lines of reporting",
    ClaimAbout.REPORTING: "by the reports themselves",
}


def suggest(
    supporting: set[Origin],
    contradicting: set[Origin],
    about: str = ClaimAbout.EVENT,
    supporting_lines: tuple[Line, ...] = (),
    contradicting_lines: tuple[Line, ...] = (),
    set_aside: bool = False,
) -> tuple[ConfirmationState, str]:
    """The suggested state, with the reason in words (see the module's rules)."""
    about = ClaimAbout(about)

    def on_record(origins: set[Origin], lines: tuple[Line, ...]) -> bool:
        # What a reporter or an agency did is on the record in their report, whoever their
        # own sources were.
        reports = about == ClaimAbout.REPORTING and any(line.is_report for line in lines)
        return reports or any(o.on_record for o in origins)

    named_s = on_record(supporting, supporting_lines)
    named_c = on_record(contradicting, contradicting_lines)
    if not supporting and not contradicting:
        if set_aside:
            return ConfirmationState.IN_PROGRESS, (
                "Its only origins are cited on both sides: say which way each carries."
            )
        return ConfirmationState.UNVERIFIED, "No supporting or contradicting evidence yet."
    if named_s and named_c:
        return (
            ConfirmationState.DISPUTED,
            "Independent on-record origins both support and contradict it.",
        )
    if named_s or named_c:
        origins, lines = (
            (supporting, supporting_lines) if named_s else (contradicting, contradicting_lines)
        )
        verb = "Supported" if named_s else "Contradicted"
        if _rule(about, origins, lines) == "strong":
            state = ConfirmationState.CONFIRMED if named_s else ConfirmationState.REFUTED
            against = "contradicted by none" if named_s else "supported by none"
            return state, f"{verb} {_STRONG[about]}, {against} on the record."
        return ConfirmationState.IN_PROGRESS, f"{verb} on the record, but by {_WEAK[about]}"
    return ConfirmationState.UNVERIFIABLE, "Only unnamed sources: nothing on the record."


def _lines(
    members: list[tuple[CitedSource, dict[int, int], set[Origin]]], nodes: dict[int, Node]
) -> tuple[Line, ...]:
    """Group the cited sources of one side by the nearest source they share."""
    if len(members) == 1:  # the common case in a list: one source, its own line
        item, _, origins = members[0]
        head = nodes.get(item.source_id) or Node(item.source_id, item.title, "", True, "", True)
        return (Line(head, True, (), tuple(sorted(origins, key=lambda o: o.id))),)
    count: dict[int, int] = defaultdict(int)
    for _, lineage, _ in members:
        for ancestor in lineage:
            count[ancestor] += 1
    heads: dict[int, list[tuple[CitedSource, set[Origin]]]] = defaultdict(list)
    for item, lineage, origins in members:
        shared = [a for a in lineage if count[a] >= 2]
        # Nearest first; between sources as near, the one shared by more; then the oldest.
        head = min(shared, key=lambda a: (lineage[a], -count[a], a)) if shared else item.source_id
        heads[head].append((item, origins))
    lines = []
    for head_id, group in heads.items():
        head = nodes.get(head_id)
        if head is None:  # a source with no closure row (never saved through the models)
            first = group[0][0]
            head = Node(first.source_id, first.title, "", True, "", True)
        # What the line rests on: the origins all its sources share (its head's, as a rule).
        origins = set.intersection(*(set(o) for _, o in group)) or set().union(
            *(o for _, o in group)
        )
        relays = tuple(item.title for item, _ in group if item.source_id != head_id)
        head_cited = any(item.source_id == head_id for item, _ in group)
        lines.append(Line(head, head_cited, relays, tuple(sorted(origins, key=lambda o: o.id))))
    # The line with most relays first, then by its head's title.
    return tuple(sorted(lines, key=lambda line: (-len(line.relays), line.head.title)))


def _node(nodes: dict[int, Node], item: CitedSource, source_id: int) -> Node:
    """The node of a source on the cited source's lineage; the cited source itself may have none
    (never saved through the models: no closure row), and then stands as an on-record origin."""
    found = nodes.get(source_id)
    if found is None and source_id == item.source_id:
        return Node(item.source_id, item.title, "", True, "", True)
    return nodes[source_id]


def assess(
    state: str,
    cited: Iterable[CitedSource],
    graph: ProvenanceGraph,
    about: str = ClaimAbout.EVENT,
) -> Assessment:
    """Assess one claim from its cited sources and their provenance (no queries)."""
    cited = list(cited)
    nodes = graph.nodes
    warnings: list[str] = []
    carried: dict[str, list[tuple[CitedSource, dict[int, int], set[Origin]]]] = defaultdict(list)
    titles_by_origin: dict[Origin, list[str]] = defaultdict(list)
    sides: dict[str, dict[Origin, list[str]]] = defaultdict(lambda: defaultdict(list))
    for item in cited:
        if item.stance == Stance.CONTEXT:
            continue
        lineage = graph.ancestry.get(item.source_id) or {item.source_id: 0}
        all_origins = graph.origin_ids(item.source_id)
        if item.origins or item.own_reporting:
            named = set(item.origins)
            carrying = named & all_origins
            if named - all_origins:
                warnings.append(
                    f"The evidence from “{item.title}” names origins its source no longer rests "
                    "on: it counts through "
                    + (
                        "its own reporting and the others only."
                        if item.own_reporting
                        else "the others only"
                        + ("." if carrying else ", which leaves none: it counts on neither side.")
                    )
                )
            lineage = graph.carrying(item.source_id, carrying)
            if item.own_reporting:
                # Its own reporting: the cited source is an origin of its own, the head of its
                # own line (the relays that rest on it join that line).
                lineage[item.source_id] = 0
                carrying = carrying | {item.source_id}
        else:
            carrying = all_origins
        origins = {_node(nodes, item, a).as_origin() for a in carrying}
        carried[item.stance].append((item, lineage, origins))
        for origin in origins:
            sides[item.stance][origin].append(item.title)
            if item.title not in titles_by_origin[origin]:
                titles_by_origin[origin].append(item.title)

    both = set(sides[Stance.SUPPORTS]) & set(sides[Stance.CONTRADICTS])
    for origin in sorted(both, key=lambda o: o.id):
        warnings.append(
            f"“{origin.title}” carries both support (through "
            f"{_join(f'“{t}”' for t in sides[Stance.SUPPORTS][origin])}) and contradiction "
            f"(through {_join(f'“{t}”' for t in sides[Stance.CONTRADICTS][origin])}): it counts "
            "on neither side until the desk says which way it carries."
        )
    both_ids = {o.id for o in both}
    side_lines: dict[str, tuple[Line, ...]] = {}
    for stance in (Stance.SUPPORTS, Stance.CONTRADICTS):
        members = []
        for item, lineage, origins in carried[stance]:
            kept = origins - both
            if not kept:
                continue
            members.append((item, {a: d for a, d in lineage.items() if a not in both_ids}, kept))
        side_lines[stance] = _lines(members, nodes)
    supporting = set(sides[Stance.SUPPORTS]) - both
    contradicting = set(sides[Stance.CONTRADICTS]) - both
    suggestion, reason = suggest(
        supporting,
        contradicting,
        about,
        side_lines[Stance.SUPPORTS],
        side_lines[Stance.CONTRADICTS],
        set_aside=bool(both),
    )

    shared = tuple(
        SharedOrigin(origin, tuple(titles))
        for origin, titles in sorted(titles_by_origin.items(), key=lambda kv: kv[0].id)
        if len(titles) >= 2 and origin not in both
    )
    state = ConfirmationState(state)
    stronger = state in _BORNE_OUT_BY and suggestion not in _BORNE_OUT_BY[state]
    if state == ConfirmationState.CONFIRMED and len(supporting) == 1 and stronger:
        (only,) = supporting
        warnings.insert(0, f"Confirmed on a single origin: “{only.title}”.")
    if stronger:
        warnings.append(
            f"The state ({state.label}) is stronger than its evidence, which suggests {suggestion.label.lower()}."
        )
    return Assessment(
        supporting=tuple(sorted(supporting, key=lambda o: o.id)),
        contradicting=tuple(sorted(contradicting, key=lambda o: o.id)),
        suggestion=suggestion,
        reason=reason,
        shared=shared,
        warnings=tuple(warnings),
        stronger_than_evidence=stronger,
        supporting_lines=side_lines[Stance.SUPPORTS],
        contradicting_lines=side_lines[Stance.CONTRADICTS],
        on_both_sides=tuple(sorted(both, key=lambda o: o.id)),
    )


def named_origins(evidence_ids) -> dict[int, tuple[int, ...]]:
    """The origins each piece of evidence names as carrying its stance (one query; evidence that
    names none is absent: all its source's origins carry it)."""
    found: dict[int, list[int]] = defaultdict(list)
    for evidence_id, origin_id in (
        EvidenceOrigin.objects.filter(evidence_id__in=evidence_ids)
        .order_by("origin_id")
        .values_list("evidence_id", "origin_id")
    ):
        found[evidence_id].append(origin_id)
    return {e: tuple(o) for e, o in found.items()}


def graph_for(source_ids, narrowed_source_ids) -> ProvenanceGraph:
    """The provenance a page's assessments need: the lineages of every cited source (one join on
    the closure table) and the links among the lineages of the sources whose evidence names its
    origins (one more; they say which part of a lineage carries the stance)."""
    return provenance_graph(source_ids, links_for=narrowed_source_ids)


def assess_claims(claims: Iterable[Claim]) -> dict[int, Assessment]:
    """Assess a page of claims in four queries, whatever its size and the depth of provenance:
    the claims' evidence, the origins it names, the lineages of every cited source and the links
    among those that name origins (joins on the closure table)."""
    claims = list(claims)
    if not claims:
        return {}
    rows = list(
        Evidence.objects.filter(claim__in=[c.pk for c in claims])
        .order_by("id")
        .values_list("id", "claim_id", "source_id", "source__title", "stance", "own_reporting")
    )
    named = named_origins([r[0] for r in rows])
    graph = graph_for(
        {row[2] for row in rows},
        {source_id for e, _, source_id, *_ in rows if e in named},
    )
    cited: dict[int, list[CitedSource]] = defaultdict(list)
    for evidence_id, claim_id, source_id, title, stance, own in rows:
        cited[claim_id].append(
            CitedSource(source_id, title, stance, named.get(evidence_id, ()), own_reporting=own)
        )
    return {c.pk: assess(c.state, cited[c.pk], graph, c.about) for c in claims}


def assess_claim(claim: Claim) -> Assessment:
    return assess_claims([claim])[claim.pk]
