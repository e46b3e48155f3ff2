"""The fact-checkers' admin, through the test client, as a fact-checker meets it."""

import pytest
from django.urls import reverse

from claims.models import Claim, ConfirmationState
from matching.services import link_same_claim
from sources.services import add_provenance
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    desk_author,
)

pytestmark = pytest.mark.django_db

MANAGEMENT = {
    "evidence-TOTAL_FORMS": "0",
    "evidence-INITIAL_FORMS": "0",
    "evidence-MIN_NUM_FORMS": "0",
    "evidence-MAX_NUM_FORMS": "1000",
}


def claim_form(article, **overrides):
    data = {
        "article": article.pk,
        "wording": "The bridge opens in May.",
        "quote": "the bridge would open in May",
        "occurrence": "",
        "claimant": "The minister",
        "about": "said",
        "state": "unverified",
        "rationale": "",
        "assignee": "",
        **MANAGEMENT,
    }
    data.update(overrides)
    return data


def test_a_claim_about_what_was_said_is_recorded_so_and_its_record_bears_it_out(
    client_for, fact_checker
):
    # "What the claim is about" was missing from the page: every claim made in the admin was
    # about an event, and the transcript of a saying alone counted as a single line of reporting.
    article = ArticleFactory()
    transcript = SourceFactory(title="Transcript of the briefing", kind="press_briefing")
    client = client_for(fact_checker)
    add = client.get(reverse("admin:claims_claim_add")).content.decode()
    assert 'name="about"' in add
    response = client.post(
        reverse("admin:claims_claim_add"),
        claim_form(
            article,
            state="confirmed",
            rationale="The minister's words are in the briefing's transcript.",
            **{
                **MANAGEMENT,
                "evidence-TOTAL_FORMS": "1",
                "evidence-0-source": transcript.pk,
                "evidence-0-stance": "supports",
                "evidence-0-excerpt": "The bridge will open in May.",
                "evidence-0-note": "",
            },
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim = Claim.objects.get()
    assert claim.about == "said"
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "stronger than its evidence" not in page
    assert "Reason to publish a verdict stronger than its evidence" not in page


def test_adding_a_claim_finds_its_passage_in_the_text(client_for, fact_checker):
    article = ArticleFactory()
    client = client_for(fact_checker)
    response = client.post(reverse("admin:claims_claim_add"), claim_form(article))
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim = Claim.objects.get()
    assert article.text[claim.quote_start : claim.quote_end] == "the bridge would open in May"
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "<mark>the bridge would open in May</mark>" in page  # the passage shown in its context


def test_a_passage_not_in_the_text_gets_a_clear_error(client_for, fact_checker):
    article = ArticleFactory()
    response = client_for(fact_checker).post(
        reverse("admin:claims_claim_add"), claim_form(article, quote="the bridge opened in April")
    )
    assert response.status_code == 200
    assert "This passage does not stand in the article text" in response.content.decode()
    assert not Claim.objects.exists()


def test_a_passage_that_stands_twice_offers_a_choice_of_occurrence(client_for, fact_checker):
    article = ArticleFactory(text="It would open in May. Critics said it would open in May too.")
    client = client_for(fact_checker)
    response = client.post(
        reverse("admin:claims_claim_add"), claim_form(article, quote="open in May")
    )
    page = response.content.decode()
    assert "This passage stands 2 times in the article text" in page
    assert '<select name="occurrence"' in page
    assert "2: …" in page or "2: It" in page or "would [open in May] too." in page

    response = client.post(
        reverse("admin:claims_claim_add"), claim_form(article, quote="open in May", occurrence="2")
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.quote_start == article.text.rindex("open in May")


def test_a_verdict_without_a_rationale_is_refused_in_words(client_for, fact_checker):
    article = ArticleFactory()
    response = client_for(fact_checker).post(
        reverse("admin:claims_claim_add"), claim_form(article, state="confirmed")
    )
    assert (
        "A verdict needs a rationale: say why the claim is “Confirmed”."
        in response.content.decode()
    )


def test_editing_the_article_text_marks_anchors_broken(client_for, fact_checker):
    claim = ClaimFactory()
    article = claim.article
    client = client_for(fact_checker)
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "byline": article.byline,
        "outlet": article.outlet_id,
        "url": article.url,
        "published_on": "",
        "text": article.text.replace(
            "the bridge would open in May", "the bridge might open in May"
        ),
    }
    response = client.post(
        reverse("admin:claims_article_change", args=[article.pk]), data, follow=True
    )
    assert "no longer match the article text" in response.content.decode()
    page = client.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
    assert "⚠ broken" in page  # in the article's own table of claims
    claim.refresh_from_db()
    assert claim.quote == "the bridge would open in May"  # kept, not moved or lost

    listing = client.get(
        reverse("admin:claims_claim_changelist"), {"anchor": "broken"}
    ).content.decode()
    assert "⚠ broken" in listing
    assert claim.wording in listing
    claim_page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "The closest passage now: “the bridge might open in May”" in claim_page.content.decode()


def test_editing_the_article_text_above_its_claims_keeps_them_anchored(client_for, fact_checker):
    claim = ClaimFactory()
    article = claim.article
    client = client_for(fact_checker)
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "byline": article.byline,
        "outlet": article.outlet_id,
        "url": article.url,
        "published_on": "",
        "text": "On Monday, " + article.text,
    }
    response = client.post(
        reverse("admin:claims_article_change", args=[article.pk]), data, follow=True
    )
    page = response.content.decode()
    assert "no longer match" not in page
    assert "1 claim moved with its passage" in page
    article.refresh_from_db()
    claim.refresh_from_db()
    assert claim.quote_start == article.text.index(claim.quote) == len("On Monday, ") + 18


def test_claim_list_shows_each_state_as_a_named_coloured_label(client_for, fact_checker):
    ClaimFactory(state=ConfirmationState.DISPUTED, rationale="Sources conflict.")
    page = client_for(fact_checker).get(reverse("admin:claims_claim_changelist")).content.decode()
    assert '<span class="state state--disputed"' in page
    assert ">Disputed</span>" in page
    assert "css/states.css" in page


@pytest.mark.parametrize(
    "term", ["bridge", "Headline number", "Wire story on the bridge", "Agence Exemple"]
)
def test_claim_search_covers_wording_quote_headline_source_and_outlet(
    client_for, fact_checker, term
):
    evidence = EvidenceFactory(
        source=SourceFactory(title="Wire story on the bridge", outlet__name="Agence Exemple")
    )
    ClaimFactory(quote="Critics said it would not open before June", wording="Unrelated wording")
    page = client_for(fact_checker).get(reverse("admin:claims_claim_changelist"), {"q": term})
    assert evidence.claim.wording in page.content.decode()


def test_claim_filters(client_for, fact_checker, editor):
    mine = ClaimFactory(assignee=fact_checker, claimant="The minister", state="in_progress")
    other = ClaimFactory(quote="Critics said it would not open before June")
    client = client_for(fact_checker)
    url = reverse("admin:claims_claim_changelist")
    for params, shown, hidden in [
        ({"state__exact": "in_progress"}, mine, other),
        ({"article": str(other.article_id)}, other, mine),
        ({"article__outlet__id__exact": str(mine.article.outlet_id)}, mine, other),
        ({"claimant": "The minister"}, mine, other),
        ({"claimant": "__article__"}, other, mine),
        ({"assignee__id__exact": str(fact_checker.pk)}, mine, other),
    ]:
        page = client.get(url, params).content.decode()
        assert shown.wording in page, params
        assert hidden.wording not in page, params


def _rows(model_factory, n):
    for _ in range(n):
        model_factory()


@pytest.mark.parametrize(
    ("url_name", "make_rows", "queries"),
    [
        # Every admin page also counts the person's queues for its navigation (one query) and
        # their unread notifications (one query).
        # session, user, count (the filtered total), rows with their joins, each list filter
        # (assignee users, recent articles, outlets of claims, claimants), and the independence
        # of the page's claims: their evidence, the origins it names, then every cited source's
        # lineage (a join on the provenance closure table); the queue counts.
        (
            "admin:claims_claim_changelist",
            lambda: EvidenceFactory(claim=ClaimFactory(article=ArticleFactory())),
            13,
        ),
        # session, user, count, rows with claim and broken-anchor counts, date range and years
        # of the date hierarchy.
        ("admin:claims_article_changelist", ArticleFactory, 8),
        # session, user, count, rows with claim, source and outlet.
        ("admin:claims_evidence_changelist", EvidenceFactory, 6),
        # session, user, count, rows with outlet and provenance counts, date range, years.
        ("admin:sources_source_changelist", SourceFactory, 8),
        # session, user, full count, filtered count (outlets are few: the full count is kept),
        # rows with source counts.
        ("admin:sources_outlet_changelist", SourceFactory, 7),
    ],
)
def test_changelists_run_a_fixed_number_of_queries(
    client_for, admin_user, django_assert_num_queries, url_name, make_rows, queries
):
    client = client_for(admin_user)
    make_rows()
    with django_assert_num_queries(queries):
        assert client.get(reverse(url_name)).status_code == 200
    for _ in range(30):
        make_rows()
    with django_assert_num_queries(queries):
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:claims_claim_add",
        "admin:claims_article_add",
        "admin:sources_source_add",
        "admin:sources_outlet_add",
        "admin:claims_evidence_add",
    ],
)
def test_add_pages_open_for_fact_checkers(client_for, fact_checker, url_name):
    assert client_for(fact_checker).get(reverse(url_name)).status_code == 200


def test_change_pages_run_a_fixed_number_of_queries(
    client_for, admin_user, django_assert_num_queries
):
    claim = ClaimFactory()
    for _ in range(3):
        EvidenceFactory(claim=claim)
    client = client_for(admin_user)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    # session, user, claim (with its anchor status), its evidence with sources and outlets,
    # the origins each piece of evidence names, the claim's article (for the passage in
    # context), the article autocomplete's label, the independence panel (evidence, the origins
    # it names, lineages from the provenance closure table), the timeline (state changes, review
    # events, published versions), whether it may be deleted (state changes? review events?
    # comments? anchor events?), the history button's content type (cached after the first
    # request); the desk timeline's anchor events, comments, field history, evidence history
    # and its sources' titles; the queue counts and the unread notifications in the header;
    # the "same claim as" links (to desk claims, to other desks' fact-checks).
    client.get(url)
    with django_assert_num_queries(26):
        assert client.get(url).status_code == 200
    for _ in range(10):
        EvidenceFactory(claim=claim)
    for _ in range(3):
        link_same_claim(claim=claim, other=ClaimFactory(), author=admin_user)
    with django_assert_num_queries(26):
        assert client.get(url).status_code == 200


def test_source_change_page_runs_a_fixed_number_of_queries(
    client_for, admin_user, django_assert_num_queries
):
    source = SourceFactory()
    client = client_for(admin_user)
    url = reverse("admin:sources_source_change", args=[source.pk])
    for _ in range(2):
        add_provenance(author=desk_author(), source=source, rests_on=SourceFactory())
    client.get(url)  # warms the content-type cache that the first admin page fills
    # session, user, source, its provenance with the sources it rests on, the source's outlet
    # (for its title), the outlet autocomplete's label, its snapshots; the queue counts and the
    # unread notifications in the header.
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    for _ in range(8):
        add_provenance(author=desk_author(), source=source, rests_on=SourceFactory())
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url_name", ["admin:claims_claim_changelist", "admin:claims_claim_add"])
def test_outsiders_and_anonymous_visitors_are_kept_out(client, client_for, outsider, url_name):
    url = reverse(url_name)
    assert client.get(url).status_code == 302  # to the sign-in page
    response = client_for(outsider).get(url)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_evidence_is_narrowed_to_the_origins_that_carry_it(client_for, fact_checker):
    """In the claim's page, a piece of evidence names which of its source's origins carry its
    stance; an origin the source does not rest on is refused with a sentence."""
    from claims.models import Evidence

    claim = ClaimFactory(claimant="The minister")
    letter, denial = SourceFactory(title="Letter"), SourceFactory(title="Denial")
    report = SourceFactory(title="Report")
    add_provenance(author=desk_author(), source=report, rests_on=letter)
    add_provenance(author=desk_author(), source=report, rests_on=denial)
    evidence = EvidenceFactory(claim=claim, source=report)
    client = client_for(fact_checker)
    url = reverse("admin:claims_claim_change", args=[claim.pk])

    def post(*origins):
        data = claim_form(
            claim.article,
            claimant=claim.claimant,
            quote_start=claim.quote_start,
            quote_end=claim.quote_end,
            version=claim.version,
            **{
                "evidence-TOTAL_FORMS": "1",
                "evidence-INITIAL_FORMS": "1",
                "evidence-0-id": evidence.pk,
                "evidence-0-claim": claim.pk,
                "evidence-0-source": report.pk,
                "evidence-0-stance": "supports",
                "evidence-0-excerpt": "",
                "evidence-0-note": "",
                "evidence-0-carried_by": [o.pk for o in origins],
            },
        )
        return client.post(url, data)

    page = client.get(url).content.decode()
    assert "carried by origins" in page
    refused = post(SourceFactory(title="Unrelated"))
    assert refused.status_code == 200
    assert "“Unrelated” is not an origin of “Report”: its origins are" in refused.content.decode()
    assert not Evidence.objects.get(pk=evidence.pk).origins.exists()
    saved = post(letter)
    assert saved.status_code == 302
    assert list(Evidence.objects.get(pk=evidence.pk).origins.all()) == [letter]


def test_evidence_names_its_sources_own_reporting_in_the_claim_page(client_for, fact_checker):
    """Ticking "carried by its own reporting" saves through the service: the report counts as an
    origin of its own, instead of the estimate it relays (no origin named beside it)."""
    from claims.corroboration import assess_claim
    from claims.models import Evidence

    claim = ClaimFactory(claimant="")
    estimate = SourceFactory(title="Lloyd's List's estimate")
    report = SourceFactory(title="Reuters' report")
    add_provenance(author=desk_author(), source=report, rests_on=estimate)
    client = client_for(fact_checker)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    page = client.get(url).content.decode()
    assert "Carried by its own reporting" in page
    data = claim_form(
        claim.article,
        quote_start=claim.quote_start,
        quote_end=claim.quote_end,
        version=claim.version,
        **{
            "evidence-TOTAL_FORMS": "1",
            "evidence-INITIAL_FORMS": "0",
            "evidence-0-claim": claim.pk,
            "evidence-0-source": report.pk,
            "evidence-0-stance": "supports",
            "evidence-0-excerpt": "",
            "evidence-0-note": "Reuters' reporter saw the ship aground.",
            "evidence-0-own_reporting": "on",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    evidence = Evidence.objects.get(claim=claim)
    assert evidence.own_reporting is True
    assert not evidence.origins.exists()
    assert [o.title for o in assess_claim(claim).supporting] == ["Reuters' report"]
    import re

    page = client.get(url).content.decode()
    assert re.search(r'<input[^>]*name="evidence-0-own_reporting"[^>]*checked', page)


def test_a_violated_constraint_is_said_beside_its_field_not_only_at_the_top(
    client_for, fact_checker, admin_user
):
    """A rule over several fields (one claim per passage; one evidence per source; an outlet's
    name whatever its case) used to be said only in the red box at the top of the form."""
    claim = ClaimFactory()
    client = client_for(fact_checker)
    twin = client.post(
        reverse("admin:claims_claim_add"),
        claim_form(
            claim.article,
            quote=claim.quote,
            quote_start=claim.quote_start,
            quote_end=claim.quote_end,
        ),
    )
    form = twin.context["adminform"].form
    assert form.errors["quote"] == ["Another claim is already anchored to exactly this passage."]
    assert not form.non_field_errors()
    assert '<ul class="errorlist" id="id_quote_error">' in twin.content.decode()

    source = EvidenceFactory(claim=claim).source
    evidence = client.post(
        reverse("admin:claims_evidence_add"),
        {"claim": claim.pk, "source": source.pk, "stance": "supports", "excerpt": "", "note": ""},
    )
    assert "already linked to this claim" in str(
        evidence.context["adminform"].form.errors["source"]
    )

    from tests.factories import OutletFactory

    OutletFactory(name="Reuters")
    outlet = client_for(admin_user).post(
        reverse("admin:sources_outlet_add"), {"name": "REUTERS", "kind": "agency", "homepage": ""}
    )
    assert outlet.context["adminform"].form.errors["name"] == [
        "An outlet with this name already exists."
    ]
