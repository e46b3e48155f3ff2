"""Who may see what: the public sees published verdicts and what hangs on them; the desk
(staff: fact-checkers, editors, admins) sees everything, drafts included."""

from django.db.models import Exists, OuterRef, Q

from sources.models import Outlet, Source
from sources.provenance import with_ancestors

from .models import (
    Article,
    Claim,
    Evidence,
    ReviewState,
)


def is_desk_member(user) -> bool:
    """Staff of the desk (fact-checkers, editors, admins): they see drafts and review states."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


# -- what each person may see: the public sees published verdicts and what hangs on them ---------


def visible_claims(user):
    return Claim.objects.all() if is_desk_member(user) else Claim.objects.published()


def visible_articles(user):
    if is_desk_member(user):
        return Article.objects.all()
    return Article.objects.filter(Exists(Claim.objects.published().filter(article=OuterRef("pk"))))


def visible_evidence(user):
    if is_desk_member(user):
        return Evidence.objects.all()
    return Evidence.objects.filter(claim__review_state=ReviewState.PUBLISHED)


def _public_source_ids():
    """The sources cited by published claims and everything they rest on: a join on the
    provenance closure table (sources.provenance), as a subquery."""
    cited = Evidence.objects.filter(claim__review_state=ReviewState.PUBLISHED).values("source_id")
    return with_ancestors(cited)


def visible_sources(user):
    if is_desk_member(user):
        return Source.objects.all()
    return Source.objects.filter(pk__in=_public_source_ids())


def visible_outlets(user):
    if is_desk_member(user):
        return Outlet.objects.all()
    return Outlet.objects.filter(
        Q(pk__in=Source.objects.filter(pk__in=_public_source_ids()).values("outlet_id"))
        | Q(pk__in=visible_articles(user).values("outlet_id"))
    )
