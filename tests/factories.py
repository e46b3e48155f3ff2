import factory
from django.contrib.auth import get_user_model

from claims.models import Article, Claim, ClaimAbout, Evidence, Stance
from sources.models import Outlet, OutletKind, Source, SourceKind

ARTICLE_TEXT = (
    "The minister said the bridge would open in May. Critics said it would not open before June. "
    "Officials counted 1,200 workers on the site."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    kind = OutletKind.NEWSPAPER
    homepage = factory.Sequence(lambda n: f"https://outlet{n}.example.org/")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source {n}")
    kind = SourceKind.NEWS_REPORT
    outlet = factory.SubFactory(OutletFactory)
    url = factory.Sequence(lambda n: f"https://news.example.org/story/{n}")
    on_record = True


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"headline-number-{n}")
    byline = "A. Reporter"
    outlet = factory.SubFactory(OutletFactory)
    url = factory.Sequence(lambda n: f"https://paper.example.org/{n}")
    text = ARTICLE_TEXT


class ClaimFactory(factory.django.DjangoModelFactory):
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


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    stance = Stance.SUPPORTS
