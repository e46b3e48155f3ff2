import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims import anchors, independence, public
from claims.models import (
    Article,
    Claim,
    ClaimAbout,
    ConfirmationState,
    Evidence,
    PublishedEvidence,
    PublishedVersion,
    ReviewState,
    Stance,
    VersionKind,
)
from claims.public.freeze import freeze_sources
from common.writes import writing_outside_services
from sources.models import Outlet, OutletKind, Source, SourceKind

PASSWORD = "correct horse battery staple"  # every UserFactory user's, for tests that sign in

ARTICLE_TEXT = (
    "The minister said the bridge would open in May. Critics said it would not open before June. "
    "Officials counted 1,200 workers on the site."
)


class DomainFactory(factory.django.DjangoModelFactory):
    """Test data is built directly, on purpose: everything else writes through the services."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with writing_outside_services():
            return super()._create(model_class, *args, **kwargs)


def desk_author():
    """An account allowed to write anything, for tests that call the services directly."""
    user, _ = get_user_model().objects.get_or_create(
        username="test-desk-author", defaults={"is_staff": True, "is_superuser": True}
    )
    return user


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


def desk_user(username: str, group: str | None, *, staff: bool = True, **fields):
    """A user in one of the role groups the migrations made ("Fact-checkers", "Editors"), or in
    none; staff (a desk member) unless said otherwise."""
    user = UserFactory(username=username, is_staff=staff, **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


class OutletFactory(DomainFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    kind = OutletKind.NEWSPAPER
    homepage = factory.Sequence(lambda n: f"https://outlet{n}.example.org/")


class SourceFactory(DomainFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source {n}")
    kind = SourceKind.NEWS_REPORT
    outlet = factory.SubFactory(OutletFactory)
    url = factory.Sequence(lambda n: f"https://news.example.org/story/{n}")
    on_record = True


class ArticleFactory(DomainFactory):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"headline-number-{n}")
    byline = "A. Reporter"
    outlet = factory.SubFactory(OutletFactory)
    url = factory.Sequence(lambda n: f"https://paper.example.org/{n}")
    text = ARTICLE_TEXT


class ClaimFactory(DomainFactory):
    """A claim anchored to ``quote`` in its article's text (found there, like the admin does)."""

    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    quote = "the bridge would open in May"
    wording = factory.LazyAttribute(lambda c: f"Claim: {c.quote}")
    quote_start = factory.LazyAttribute(lambda c: c.article.text.index(c.quote))
    quote_end = factory.LazyAttribute(lambda c: c.quote_start + len(c.quote))
    # What someone said: a primary on-record origin bears it out alone (claims.corroboration).
    # Tests of the rules for events and reporting say so.
    about = ClaimAbout.SAID
    quote_prefix = factory.LazyAttribute(
        lambda c: anchors.selector_context(c.article.text, c.quote_start, c.quote_end)[0]
    )
    quote_suffix = factory.LazyAttribute(
        lambda c: anchors.selector_context(c.article.text, c.quote_start, c.quote_end)[1]
    )


class EvidenceFactory(DomainFactory):
    """Evidence for a claim; for a claim already public, frozen into its live version too (test
    data built in any order reads as if the evidence was there at approval). The claim's stored
    independence follows, as the services keep it."""

    class Meta:
        model = Evidence
        skip_postgeneration_save = True

    @factory.post_generation
    def frozen(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            freeze_evidence(obj)
        if create:
            independence.refresh([obj.claim_id])

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    stance = Stance.SUPPORTS


def make_public(
    claim: Claim,
    state: ConfirmationState = ConfirmationState.CONFIRMED,
    *,
    rationale: str | None = None,
    author=None,
    refresh: bool = True,
) -> Claim:
    """Straight to a published verdict, without the review (data for reading tests): the working
    copy gets the verdict and a first published version freezes it, with its evidence and its
    article, as an editor's approval would. ``refresh=False`` leaves the stored blocks and the
    read model to one ``refresh_published`` for many claims."""
    from claims import services

    with writing_outside_services():
        claim = Claim.objects.select_related("article", "live_version").get(pk=claim.pk)
        claim.state = state
        claim.rationale = rationale or f"Why it is {ConfirmationState(state).label.lower()}."
        services.publish_working_copy(claim, author or desk_author(), kind=VersionKind.APPROVAL)
        claim.review_state = ReviewState.PUBLISHED
        claim.save()
    if refresh:
        refresh_published([claim])
    return claim


def refresh_published(claims) -> None:
    """The stored independence blocks and the read model of claims made public by
    ``make_public(..., refresh=False)``, at once (each refresh rewrites the article's claims)."""
    ids = [c.pk for c in claims]
    independence.refresh(ids)
    public.refresh(claims=ids)


def freeze_evidence(evidence: Evidence) -> None:
    """Test data: put evidence added after a claim was made public into its live version too,
    as if it had been there when the verdict was approved."""
    live = Claim.objects.filter(pk=evidence.claim_id).values_list("live_version", flat=True)[0]
    if live is None:
        return
    with writing_outside_services():
        PublishedEvidence.objects.create(
            version_id=live,
            evidence_id=evidence.pk,
            source_id=evidence.source_id,
            stance=evidence.stance,
            excerpt=evidence.excerpt,
            note=evidence.note,
            own_reporting=evidence.own_reporting,
        )
    # The sources frozen with the version, as if they had been cited at approval (the versions'
    # base manager: the append-only one refuses updates, as it should everywhere else).
    cited = PublishedEvidence.objects.filter(version_id=live).values_list("source_id", flat=True)
    PublishedVersion._base_manager.filter(pk=live).update(frozen_sources=freeze_sources(cited))
    public.refresh(claims=[evidence.claim_id])
