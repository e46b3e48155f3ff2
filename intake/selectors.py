"""What intake reads: the article a copy already is, the outlet a site belongs to."""

from django.db.models import Q

from claims.models import Article
from sources.models import Outlet

from .extraction import site_host
from .models import ArticleIntake


def existing_article(
    intake: ArticleIntake, *, text: str | None = None, url: str = ""
) -> Article | None:
    """The article already in the tracker that this intake is a copy of: the same address (its
    canonical address, the one asked for, the final one, or ``url``: the one the desk is about
    to save), the same extracted text (by hash, through the originals kept), or exactly the
    same text (the intake's, or ``text``: the one the desk is about to save). One query.

    The exact-text comparison reads every article's text (no index can serve it); an intake is
    a rare action, not a page, and the articles typed in by hand have no other way to be
    recognised."""
    addresses = {a for a in (intake.canonical_url, intake.requested_url, intake.final_url) if a}
    text = intake.text if text is None else text
    match = Q(url__in=addresses) if addresses else Q(pk__in=[])
    if intake.text_sha256:
        match |= Q(
            pk__in=ArticleIntake.objects.originals()
            .filter(text_sha256=intake.text_sha256)
            .values("article_id")
        )
    if text:
        match |= Q(text=text)
    return Article.objects.filter(match).order_by("pk").first()


def outlet_for_site(host: str, site_name: str = "") -> Outlet | None:
    """The outlet whose homepage is on this site (``www.`` or not), else the one of this name
    (whatever its case). One query."""
    host = host.lower().removeprefix("www.")
    if not host and not site_name:
        return None
    match = Q(pk__in=[])
    if host:
        match |= Q(homepage__icontains=host)
    if site_name:
        match |= Q(name__iexact=site_name)
    candidates = list(Outlet.objects.filter(match))
    for outlet in candidates:
        if outlet.homepage and site_host(outlet.homepage) == host:
            return outlet
    for outlet in candidates:
        if site_name and outlet.name.lower() == site_name.lower():
            return outlet
    return None


def original_of(article: Article) -> ArticleIntake | None:
    """The intake an article was saved from, without its bytes (one query)."""
    return (
        ArticleIntake.objects.originals().filter(article=article).defer("content", "text").first()
    )
