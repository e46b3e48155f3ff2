"""Claims ranked by similarity, as querysets the admin and the API filter and page further."""

from django.db.models import Case, IntegerField, Q, Value, When

from .engine import CLAIM, EXTERNAL, PUBLIC, ranked_documents
from .models import ClaimLink, FactCheckLink

# A search shows the most similar claims, not every claim that shares a word.
MAX_SEARCH_RESULTS = 100


def claims_ranked_by_similarity(queryset, text: str, *, limit: int = MAX_SEARCH_RESULTS, also=None):
    """The claims of ``queryset`` among the ``limit`` most similar to ``text``, annotated with
    ``match_rank`` (0 is the most similar): order by it to list them best first. ``also``: a
    queryset of further claims to include, ranked after the similar ones."""
    ranked = [pk for _, pk, _ in ranked_documents(text, limit=limit, kinds=(CLAIM,))]
    return _ranked(queryset, ranked, also)


def public_claims_ranked_by_similarity(queryset, text: str, *, limit: int = MAX_SEARCH_RESULTS):
    """The read model's claims (``PublicClaim`` rows of ``queryset``) among the ``limit`` whose
    published wording and quote are most similar to ``text``, annotated with ``match_rank``:
    the public's search, which never reads a working copy."""
    ranked = [pk for _, pk, _ in ranked_documents(text, limit=limit, kinds=(PUBLIC,))]
    return _ranked(queryset, ranked)


def fact_checks_ranked_by_similarity(queryset, text: str, *, limit: int = MAX_SEARCH_RESULTS):
    """Other desks' fact-checks (``ExternalFactCheck`` rows of ``queryset``) among the ``limit``
    whose claim reviewed is most similar to ``text``, annotated with ``match_rank``."""
    ranked = [pk for _, pk, _ in ranked_documents(text, limit=limit, kinds=(EXTERNAL,))]
    return _ranked(queryset, ranked)


def _ranked(queryset, ranked: list[int], also=None):
    wanted = Q(pk__in=ranked)
    if also is not None:
        wanted |= Q(pk__in=also.values("pk"))
    return queryset.filter(wanted).annotate(
        match_rank=Case(
            *[When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ranked)],
            default=Value(len(ranked)),
            output_field=IntegerField(),
        )
    )


def links_of(claim_id: int) -> dict:
    """The claim's "same claim as" links, by what they link it to: ``{(CLAIM, claim id) or
    (EXTERNAL, fact-check id): link}``, with the linked claim or fact-check loaded (two queries)."""
    links = {}
    for link in (
        ClaimLink.objects.filter(Q(claim_a_id=claim_id) | Q(claim_b_id=claim_id))
        .select_related("claim_a__article", "claim_b__article")
        .order_by("created_at", "id")
    ):
        link.other_claim = link.claim_b if link.claim_a_id == claim_id else link.claim_a
        links[(CLAIM, link.other_claim.pk)] = link
    for link in (
        FactCheckLink.objects.filter(claim_id=claim_id)
        .select_related("fact_check")
        .order_by("created_at", "id")
    ):
        links[(EXTERNAL, link.fact_check_id)] = link
    return links
