"""Who may see what, decided here and nowhere else.

The desk (staff: fact-checkers, editors, admins) sees working copies, drafts and who did what.
Everyone else (anonymous readers, and tokens of accounts that are not on the desk) sees what an
editor approved and nothing more: each claim's live ``PublishedVersion``, the article as its
``ArticleVersion`` froze it, the evidence as it stood at approval, the sources they rest on, and
the desk's name and roles instead of its staff's names (unless ``PUBLIC_BYLINES`` is on).

The public projections below build unsaved ``Claim``/``Article`` objects from the frozen
versions, so the pages and the ClaimReview render one shape whoever reads; claims.public renders
the read model with them when an editor approves. They are never saved (``common.writes`` would
refuse).
"""

from django.conf import settings
from django.db.models import F

from sources.models import Source
from sources.provenance import with_ancestors

from .models import (
    Article,
    ArticleVersion,
    Claim,
    Evidence,
    PublishedEvidence,
    PublishedVersion,
    ReviewState,
    VersionKind,
)


def is_desk_member(user) -> bool:
    """Staff of the desk (fact-checkers, editors, admins): they see drafts and review states."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


# -- names: the public sees the desk ----------------------------------------------------------


def desk_name() -> str:
    return settings.PUBLISHER_NAME


def public_person(user, *, role: str) -> str:
    """How the public is told who did something: the desk and the role ("an editor of Claim
    Tracker"), or the person's name where the desk publishes bylines (``PUBLIC_BYLINES``)."""
    if settings.PUBLIC_BYLINES and user is not None:
        return user.get_full_name() or user.get_username()
    return f"{role} of {desk_name()}"


def desk_person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


# A version loaded from a seed file was reviewed by the desk outside the tracker, on the day the
# file gives; no editor approved it here, and the public is not told one did.
SEED_FILE_BYLINE = "the desk's review, loaded from its seed file"


def version_byline(version: PublishedVersion) -> str:
    if version.kind == VersionKind.IMPORT:
        return SEED_FILE_BYLINE
    return public_person(version.approved_by, role="an editor")


def version_approver(version: PublishedVersion) -> str | None:
    """Who approved a version, for the API: the desk's role, or None for one loaded from a seed
    file (its ``kind`` says so), which no one approved here."""
    if version.kind == VersionKind.IMPORT:
        return None
    return version_byline(version)


# -- what each person may see -------------------------------------------------------------------


def visible_claims(user):
    """Desk: every claim. Public: claims with a published version (withdrawn ones included:
    they keep a public notice)."""
    return Claim.objects.all() if is_desk_member(user) else Claim.objects.published()


def visible_articles(user):
    if is_desk_member(user):
        return Article.objects.all()
    return Article.objects.filter(
        live_version__isnull=False,
        pk__in=Claim.objects.live().values("live_version__article_version__article_id"),
    )


def visible_evidence(user):
    """Desk: the working evidence rows. Public: the evidence frozen in live verdicts."""
    if is_desk_member(user):
        return Evidence.objects.all()
    return PublishedEvidence.objects.filter(
        version__claim__live_version=F("version"),
    ).exclude(version__kind=VersionKind.WITHDRAWAL)


def _public_source_ids():
    """The sources cited by live published verdicts and everything they rest on: a join on the
    provenance closure table (sources.provenance), as a subquery."""
    return with_ancestors(visible_evidence(None).values("source_id"))


def visible_sources(user):
    if is_desk_member(user):
        return Source.objects.all()
    return Source.objects.filter(pk__in=_public_source_ids())


# -- public projections: unsaved objects built from the frozen versions --------------------------

# What a queryset of claims needs selected to project them (one join chain, no extra query).
PUBLIC_CLAIM_RELATED = ("live_version__article_version__article__live_version__outlet",)


def public_article(version: ArticleVersion, article: Article | None = None) -> Article:
    """The article as the public reads it (its approved version), unsaved."""
    # The dashboard defers the text it never shows: don't load it here either.
    text = "" if "text" in version.get_deferred_fields() else version.text
    projected = Article(
        pk=version.article_id,
        slug=article.slug if article is not None else "",
        headline=version.headline,
        byline=version.byline,
        outlet=version.outlet,
        url=version.url,
        published_on=version.published_on,
        text=text,
        live_version=version,
    )
    if article is not None:
        projected.created_at, projected.updated_at = article.created_at, version.approved_at
    return projected


def public_claim(claim: Claim, *, article: Article | None = None) -> Claim:
    """The claim as the public reads it: its live version's wording, anchor, state and rationale,
    in the article as the public reads it now (its latest approved version: ``article``, or the
    one of the article the claim was approved in). Unsaved."""
    live = claim.live_version
    if article is None:
        approved_in = live.article_version.article
        article = public_article(approved_in.live_version, approved_in)
    projected = Claim(
        pk=claim.pk,
        article=article,
        **live.claim_content(),
        review_state=ReviewState.PUBLISHED,
        first_published_at=claim.first_published_at,
        published_at=live.approved_at,
        version=live.number,
        live_version=live,
        created_at=claim.created_at,
        updated_at=live.approved_at,
    )
    text = projected.article.text
    if text[live.quote_start : live.quote_end] != live.quote and text.count(live.quote) == 1:
        # The article's public text changed since this claim's approval: the passage moved.
        projected.quote_start = text.index(live.quote)
        projected.quote_end = projected.quote_start + len(live.quote)
    projected.anchor_intact = text[projected.quote_start : projected.quote_end] == live.quote
    return projected
