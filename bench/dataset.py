"""The benchmark dataset: newsroom scale, built straight into the database with bulk inserts.

By default 10,000 articles of 10 claims (100,000 claims), three evidence rows a claim, 30,000
sources of which most rest on others (provenance up to several levels deep), 200 outlets, and
one large article of 200 claims and 600 evidence rows for the article page. Built once and kept:
a marker article names the sizes, so a second run with the same sizes reuses it.

Bulk inserts skip the services (and so the history): this data is for reading, and every rule
the database enforces still holds (anchors match their offsets, addresses are http(s), one
evidence row per claim and source, published claims are dated verdicts).
"""

import random
from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from claims import public
from claims.independence import refresh_all
from claims.models import (
    Article,
    ArticleVersion,
    Claim,
    ConfirmationState,
    Evidence,
    PublicClaim,
    PublishedEvidence,
    PublishedVersion,
    ReviewState,
    Stance,
    StoredIndependence,
    VersionKind,
)
from claims.public.freeze import freeze_many, outlet_fields
from sources.models import Outlet, OutletKind, Provenance, Source, SourceKind
from sources.provenance import rebuild_closure

BATCH = 5000
VERDICTS = [s for s in ConfirmationState if s.is_verdict]


@dataclass(frozen=True)
class Sizes:
    articles: int = 10_000
    claims_per_article: int = 10
    evidence_per_claim: int = 3
    sources: int = 30_000
    outlets: int = 200
    big_article_claims: int = 200

    @property
    def marker(self) -> str:
        return "bench-marker-" + "-".join(str(v) for v in asdict(self).values())


@dataclass(frozen=True)
class Dataset:
    sizes: Sizes
    big_article_slug: str = "bench-big-article"
    author_username: str = "bench"


def ensure(sizes: Sizes, *, log=print) -> Dataset:
    """Build the dataset unless the database already holds one of these sizes."""
    dataset = Dataset(sizes)
    if Article.objects.filter(slug=sizes.marker).exists():
        log(f"dataset: reusing {sizes}")
        _store_independence(log)
        _store_public(log)
        # A migration since the build may have rebuilt a table (SQLite does, to add a column)
        # and lost its statistics: fresh ones, so that the planner sees the data as it is.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return dataset
    log(f"dataset: building {sizes} (once; later runs reuse it)")
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)  # the data migrations' groups, after the flush
    _build(sizes, dataset)
    _store_independence(log)
    _store_public(log)
    # Fresh statistics, as a running database would have: without them PostgreSQL's planner
    # guesses at the row counts of a table it has just seen filled.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return dataset


def _store_public(log) -> None:
    """What an approval freezes beside the versions (the cited sources, as they stand) and the
    read model built from them (manage.py refresh_public), once, as after a bulk load."""
    missing = PublishedVersion.objects.filter(frozen_sources={}).exclude(
        kind=VersionKind.WITHDRAWAL
    )
    if not missing.exists() and PublicClaim.objects.exists():
        return
    log("dataset: freezing the published versions' sources and building the read model (once)")
    with transaction.atomic():
        ids = list(missing.values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            cited: dict[int, set[int]] = {pk: set() for pk in batch}
            for version_id, source_id in PublishedEvidence.objects.filter(
                version_id__in=batch
            ).values_list("version_id", "source_id"):
                cited[version_id].add(source_id)
            frozen = freeze_many(cited)
            rows = [PublishedVersion(pk=pk, frozen_sources=frozen[pk]) for pk in batch]
            PublishedVersion._base_manager.bulk_update(rows, ["frozen_sources"], batch_size=500)
        public.rebuild()


def _store_independence(log) -> None:
    """The dataset is bulk-loaded around the services, so it stores each claim's independence
    block as a deployment does after a bulk load (manage.py refresh_independence); a dataset
    built before the blocks were stored gets them here, once."""
    if StoredIndependence.objects.count() < Claim.objects.count():
        log("dataset: storing every claim's independence block (once)")
        with transaction.atomic():
            refresh_all()


@transaction.atomic
def _build(sizes: Sizes, dataset: Dataset) -> None:
    rng = random.Random(20200106)
    now = timezone.now()
    author = get_user_model().objects.create_user(username=dataset.author_username)

    outlets = Outlet.objects.bulk_create(
        [
            Outlet(
                name=f"Bench outlet {n}",
                kind=rng.choice(OutletKind.values),
                homepage=f"https://outlet{n}.example.org/",
            )
            for n in range(sizes.outlets)
        ],
        batch_size=BATCH,
    )
    source_kinds = SourceKind.values
    sources = Source.objects.bulk_create(
        [
            Source(
                title=f"Bench source {n}",
                kind=(kind := rng.choice(source_kinds)),
                outlet=rng.choice(outlets),
                author=f"Reporter {n % 997}",
                url=f"https://news{n % 50}.example.org/story/{n}",
                on_record=kind != SourceKind.UNNAMED_HUMAN,
            )
            for n in range(sizes.sources)
        ],
        batch_size=BATCH,
    )
    # Provenance points from later sources to earlier ones, so it can never loop; about two in
    # three sources rest on one or two others, which makes chains several levels deep.
    links = []
    for index in range(100, len(sources)):
        if rng.random() < 0.66:
            parents = {
                rng.randrange(max(0, index - 2000), index) for _ in range(rng.choice((1, 1, 2)))
            }
            links += [Provenance(source=sources[index], rests_on=sources[p]) for p in parents]
    Provenance.objects.bulk_create(links, batch_size=BATCH)
    # Bulk inserts skip the services that keep the provenance closure table: rebuild it.
    rebuild_closure()

    articles, claim_specs = [], []
    plan = [(f"bench-article-{n}", sizes.claims_per_article) for n in range(sizes.articles)]
    plan += [(dataset.big_article_slug, sizes.big_article_claims), (sizes.marker, 0)]
    for n, (slug, claim_count) in enumerate(plan):
        sentences = [
            f"Sentence {k} of article {n} says that figure {rng.randrange(10**6)} is right."
            for k in range(max(claim_count, 3))
        ]
        text = " ".join(sentences)
        articles.append(
            Article(
                headline=f"Bench article {n}: what figure {n} says",
                slug=slug,
                byline=f"Reporter {n % 997}",
                outlet=rng.choice(outlets),
                url=f"https://paper.example.org/{n}",
                published_on=(now - timezone.timedelta(days=n % 3650)).date(),
                text=text,
            )
        )
        offset = 0
        spans = []
        for sentence in sentences:
            spans.append((offset, sentence))
            offset += len(sentence) + 1
        claim_specs.append(spans[:claim_count])
    articles = Article.objects.bulk_create(articles, batch_size=BATCH)

    claims = []
    for article, spans in zip(articles, claim_specs, strict=True):
        for start, sentence in spans:
            state = rng.choice(list(ConfirmationState))
            published = state.is_verdict and rng.random() < 0.6
            claims.append(
                Claim(
                    article=article,
                    wording=f"Claim: {sentence}",
                    quote=sentence,
                    quote_start=start,
                    quote_end=start + len(sentence),
                    claimant="" if rng.random() < 0.7 else f"Official {rng.randrange(300)}",
                    state=state,
                    rationale=f"Rationale for {sentence}" if state.is_verdict else "",
                    review_state=ReviewState.PUBLISHED
                    if published
                    else rng.choice([ReviewState.DRAFT, ReviewState.IN_REVIEW])
                    if state.is_verdict
                    else ReviewState.DRAFT,
                    published_at=now if published else None,
                    first_published_at=now if published else None,
                )
            )
    claims = Claim.objects.bulk_create(claims, batch_size=BATCH)

    stances = [Stance.SUPPORTS, Stance.SUPPORTS, Stance.CONTRADICTS, Stance.CONTEXT]
    evidence = []
    for claim in claims:
        for source in rng.sample(sources, sizes.evidence_per_claim):
            evidence.append(
                Evidence(
                    claim=claim, source=source, stance=rng.choice(stances), excerpt="", note=""
                )
            )
        if len(evidence) >= BATCH * 4:
            Evidence.objects.bulk_create(evidence, batch_size=BATCH)
            evidence = []
    Evidence.objects.bulk_create(evidence, batch_size=BATCH)
    _publish(author, now)


def _publish(author, now) -> None:
    """What the public reads: a first approved version of every published claim, with its
    evidence and its article, as an editor's approval would freeze them."""
    published = list(
        Claim.objects.filter(review_state=ReviewState.PUBLISHED).select_related("article__outlet")
    )
    article_versions = {}
    for claim in published:
        article = claim.article
        if article.pk not in article_versions:
            article_versions[article.pk] = ArticleVersion(
                article=article,
                number=1,
                headline=article.headline,
                byline=article.byline,
                outlet_id=article.outlet_id,
                url=article.url,
                published_on=article.published_on,
                text=article.text,
                slug=article.slug,
                frozen_outlet=outlet_fields(article.outlet),
                approved_by=author,
                approved_at=now,
            )
    ArticleVersion.objects.bulk_create(article_versions.values(), batch_size=BATCH)
    versions = PublishedVersion.objects.bulk_create(
        (
            PublishedVersion(
                claim=claim,
                number=1,
                kind=VersionKind.APPROVAL,
                article_version=article_versions[claim.article_id],
                wording=claim.wording,
                quote=claim.quote,
                quote_start=claim.quote_start,
                quote_end=claim.quote_end,
                claimant=claim.claimant,
                state=claim.state,
                rationale=claim.rationale,
                approved_by=author,
                approved_at=now,
            )
            for claim in published
        ),
        batch_size=BATCH,
    )
    by_claim = {v.claim_id: v for v in versions}
    PublishedEvidence.objects.bulk_create(
        (
            PublishedEvidence(
                version=by_claim[e.claim_id],
                evidence_id=e.pk,
                source_id=e.source_id,
                stance=e.stance,
                excerpt=e.excerpt,
                note=e.note,
            )
            for e in Evidence.objects.filter(claim__review_state=ReviewState.PUBLISHED)
        ),
        batch_size=BATCH,
    )
    for claim in published:
        claim.live_version = by_claim[claim.pk]
    Claim.objects.bulk_update(published, ["live_version"], batch_size=BATCH)
    articles = [Article(pk=pk, live_version=version) for pk, version in article_versions.items()]
    Article.objects.bulk_update(articles, ["live_version"], batch_size=BATCH)
