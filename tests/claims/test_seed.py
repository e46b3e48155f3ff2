"""The seed article loads whole, anchors every claim exactly, and loads only once."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from claims import public
from claims.models import Article, Claim, ConfirmationState, Evidence
from claims.seed import read_article_text
from sources.models import Outlet, Provenance, Source

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR) / "seeds"
SLUG = "washington-failed-to-brief-anti-isis-partners-iraq-exit-plan"


@pytest.fixture
def seeded(load_seed_copy):
    """What ``load_seed`` writes (run once per session; see tests/seed_snapshot.py)."""
    load_seed_copy()
    return Article.objects.get(slug=SLUG)


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Outlet, Source, Provenance, Article, Claim, Evidence)
    ]


def test_the_loader_writes_what_the_other_tests_get_a_copy_of(seed_rows):
    """The loader itself, run here on an empty database: the same rows, table by table, as the
    once-a-session copy the other tests read (tests/seed_snapshot.py)."""
    from django.apps import apps

    # Tables, not models: a proxy (accounts.DeskMember) reads its concrete model's rows.
    tables = [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]
    before = {model: model._base_manager.count() for model in tables}
    call_command("load_seed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    added = {
        model: model._base_manager.count() - before[model]
        for model in tables
        if model._base_manager.count() != before[model]
    }
    assert added == {model: len(rows) for model, rows in seed_rows.items()}
    assert Claim.objects.count() >= 12
    # What the public reads was written with the verdicts the file publishes: a rebuild of the
    # read model from their frozen versions changes nothing.
    assert public.differences() == []


def test_loading_twice_changes_nothing(seeded):
    before = snapshot()
    call_command("load_seed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before


def test_the_article_is_the_shipped_text(seeded):
    assert (
        seeded.headline
        == "Washington Failed to Brief Key Anti-ISIS Partners on Iraq Emergency Exit Plan"
    )
    assert seeded.byline == "Matthew Petti"
    assert seeded.text == read_article_text(SEEDS / "000_bcdf47439b586c98.txt")
    assert seeded.text.startswith("The U.S. military has been making preparations")
    assert "Read the original article" not in seeded.text


def test_every_claim_is_anchored_exactly(seeded):
    claims = list(Claim.objects.filter(article=seeded).with_anchor_status())
    assert len(claims) >= 12
    for claim in claims:
        assert claim.anchor_intact, claim
        assert seeded.text[claim.quote_start : claim.quote_end] == claim.quote


def test_states_are_honest_not_all_confirmed(seeded):
    states = dict(Claim.objects.filter(article=seeded).values_list("quote", "state"))
    assert len(set(states.values())) >= 4

    def by_quote(fragment):
        return next(s for q, s in states.items() if fragment in q)

    # What rests on four unnamed people alone is not confirmed.
    assert by_quote("had never discussed the possibility") == ConfirmationState.UNVERIFIABLE
    assert by_quote("had not previously discussed with partners") == ConfirmationState.UNVERIFIABLE
    assert by_quote("making preparations to comply") == ConfirmationState.DISPUTED
    assert by_quote("sovereign decision to order our departure") == ConfirmationState.CONFIRMED
    assert by_quote("confirmed the authenticity") == ConfirmationState.PARTLY_CONFIRMED


def test_the_claims_the_brief_names_are_there(seeded):
    quotes = " | ".join(Claim.objects.filter(article=seeded).values_list("quote", flat=True))
    for fragment in [
        "preparations to comply",
        "January 2",
        "never discussed the possibility",
        "four different people",
        "suspended its counter-ISIS operations",
        "Adil Abdul-Mahdi",
        "repositioning forces over the coming days",
        "We respect your sovereign decision to order our departure",
        "leaked to social media on Monday",
        "confirmed the authenticity",
        "unsigned draft",
        "did not deny its authenticity",
        "decision to leave Iraq",
    ]:
        assert fragment in quotes, fragment


def test_rationales_note_what_a_careful_fact_checker_notes(seeded):
    def rationale(fragment):
        return Claim.objects.get(article=seeded, quote__contains=fragment).rationale

    assert "3 January" in rationale("January 2")
    assert "Seely" in rationale("repositioning forces")


def test_provenance_collapses_circular_reporting(seeded):
    """R1, R2 and R11 rest on one Reuters report; R3 and R4 on one AFP report; no relay rests on
    another relay."""
    reuters = Source.objects.get(outlet__name="Reuters", kind="news_report")
    afp = Source.objects.get(outlet__name="AFP", kind="news_report")
    relays = {
        reuters: ["thedailybeast.com", "defence-blog.com", "mediaite.com"],
        afp: ["nrk.no", "urdupoint.com"],
    }
    every_relay = [Source.objects.get(url__contains=a) for group in relays.values() for a in group]
    for report, addresses in relays.items():
        for address in addresses:
            relay = Source.objects.get(url__contains=address)
            assert Provenance.objects.filter(source=relay, rests_on=report).exists(), address
            assert not Provenance.objects.filter(source=relay, rests_on__in=every_relay).exists()


def test_the_seed_counts_no_origin_on_both_sides_and_no_state_beyond_its_evidence(seeded):
    from claims.corroboration import assess_claims

    claims = list(Claim.objects.filter(article=seeded))
    for claim in claims:
        assessment = assess_claims([claim])[claim.pk]
        assert not assessment.on_both_sides, claim
        assert not assessment.stronger_than_evidence, (claim, assessment.reason)


def test_the_review_corrections_are_in_the_seed(seeded):
    def claim(fragment):
        return Claim.objects.get(article=seeded, quote__contains=fragment)

    # The copy of the letter that circulated was unsigned: no evidence says it was signed by him.
    assert not Evidence.objects.filter(note__icontains="signed by Seely").exists()
    # The Pentagon's statement records the place; what is not shown is "drone" and "on the road
    # to" (the seed's own review, issue 17).
    strike = claim("January 2").rationale
    assert "names neither the place" not in strike
    # Milley's excerpt is not "a mistake" offered for "unsigned draft ... coordination".
    milley = claim("unsigned draft").evidence.get(source__kind="press_briefing")
    assert milley.excerpt == ""
    # The prime minister's two statements are two dated sources.
    statements = Source.objects.filter(outlet__name="Office of the Prime Minister of Iraq")
    assert sorted(str(s.published_on) for s in statements) == ["2020-01-07", "2020-01-10"]
    # The coalition's stated reason is evidence against the article's causal framing.
    framing = Claim.objects.get(article=seeded, quote__endswith="in the wake of")
    assert framing.evidence.filter(
        stance="contradicts", source__title__startswith="Operation Inherent Resolve statement"
    ).exists()
    assert "did not follow" not in framing.rationale
    # The headline's claim and Esper's seeking out reporters are claims.
    assert Claim.objects.filter(article=seeded, wording__contains="emergency exit plan").exists()
    assert claim("sought out reporters").state == ConfirmationState.PARTLY_CONFIRMED
    # The preparations claim cites no page for what its address alone says.
    preparing = claim("making preparations to comply")
    assert "address" not in preparing.rationale
    assert not preparing.evidence.filter(
        stance="supports", note__contains="as its address"
    ).exists()


def test_the_seed_sets_final_states_only():
    """The seed states each claim's final state, rationale and review state: no invented
    history (earlier verdicts, review comments, send-backs, override reasons)."""
    import tomllib

    data = tomllib.loads((SEEDS / "iraq-exit-plan.toml").read_text())
    for entry in data["claim"]:
        assert not {"earlier", "sent_back", "review_comment", "override_reason"} & set(entry)


def test_no_address_is_invented(seeded):
    """Every source and article address comes from the evidence notes shipped beside the seed."""
    notes = (SEEDS / "evidence-notes.md").read_text()
    known = set(re.findall(r"https?://[^\s|)]+", notes))
    addresses = list(Source.objects.exclude(url="").values_list("url", flat=True))
    addresses.append(seeded.url)
    assert addresses
    for address in addresses:
        assert address in known, address
    # The leaked letter has no known public address, so it has none here.
    assert Source.objects.get(kind="document").url == ""


def test_every_state_and_source_kind_in_use_is_valid(seeded):
    assert set(Claim.objects.values_list("state", flat=True)) <= set(ConfirmationState.values)
    assert Source.objects.count() >= 26  # P1-P8 and R1-R18 at least
    assert Evidence.objects.filter(claim__article=seeded).count() >= 30
    assert Source.objects.filter(on_record=False).exists()


def test_a_bad_seed_file_is_refused_with_where_and_why(tmp_path):
    (tmp_path / "a.txt").write_text("Head\n\nBy\n\nThe body says one thing.\n")
    (tmp_path / "bad.toml").write_text(
        '[article]\nslug = "s"\nheadline = "Head"\ntext_file = "a.txt"\n\n'
        '[[claim]]\nquote = "not in the body"\nwording = "w"\n'
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"claim 1 .*does not stand in the article text"):
        call_command("load_seed", str(tmp_path / "bad.toml"))
    assert not Article.objects.filter(slug="s").exists()  # nothing half-loaded


@pytest.mark.parametrize(
    ("desk", "message"),
    [
        ("", r"claim 1 .*needs the date of the desk's review"),
        ("[desk]\nreviewed_on = 2999-01-01\n", r"cannot be dated in the future"),
        ('[desk]\nreviewed_on = "yesterday"\n', r"desk: reviewed_on is a date"),
        ("[desk]\nreviewed_by = 2020-01-01\n", r"desk: unknown key\(s\) reviewed_by"),
    ],
)
def test_a_published_verdict_needs_the_day_the_desk_reviewed_it(tmp_path, desk, message):
    """A seed file that publishes must say when its desk reviewed the verdicts: the load date
    is not that day, and no editor approved them in the tracker."""
    (tmp_path / "a.txt").write_text("Head\n\nBy\n\nThe body says one thing.\n")
    (tmp_path / "s.toml").write_text(
        desk + '[article]\nslug = "s"\nheadline = "Head"\ntext_file = "a.txt"\n\n'
        '[[claim]]\nquote = "The body says one thing."\nwording = "w"\nstate = "confirmed"\n'
        'rationale = "r"\nreview_state = "published"\n'
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("load_seed", str(tmp_path / "s.toml"), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Article.objects.filter(slug="s").exists()


def test_the_seed_history_states_only_what_happened(seeded):
    """Each claim has one event, "loaded from the seed file", by the seed account: no staged
    state changes, review steps, comments or corrections."""
    from claims.models import PublishedVersion, ReviewEvent, ReviewState, StateChange, VersionKind

    claims = Claim.objects.filter(article=seeded)
    review_states = set(claims.values_list("review_state", flat=True))
    assert review_states == {ReviewState.DRAFT, ReviewState.IN_REVIEW, ReviewState.PUBLISHED}
    assert not StateChange.objects.filter(claim__article=seeded).exists()
    events = ReviewEvent.objects.filter(claim__article=seeded)
    assert events.count() == claims.count()
    for event in events.select_related("author", "claim"):
        assert event.action == "import"
        assert event.author.username == "seed"
        assert event.comment == "Loaded from the seed file seeds/iraq-exit-plan.toml."
        assert (event.state, event.to_review_state) == (
            event.claim.state,
            event.claim.review_state,
        )
    versions = PublishedVersion.objects.filter(claim__article=seeded)
    assert set(versions.values_list("kind", flat=True)) == {VersionKind.IMPORT}
    assert set(versions.values_list("correction", flat=True)) == {""}
    published = claims.filter(review_state=ReviewState.PUBLISHED)
    assert versions.count() == published.count()
    assert set(published.values_list("live_version__number", flat=True)) == {1}
    assert not claims.exclude(review_state=ReviewState.PUBLISHED).filter(live_version__isnull=False)


def test_the_seed_author_cannot_sign_in(seeded):
    from django.contrib.auth import get_user_model

    seed = get_user_model().objects.get(username="seed")
    assert not seed.has_usable_password()


# -- the fact-checker's review of the seed against the notes (issue 17) ---------------------------

PUBLIC_WORDS_THAT_MEAN_NOTHING_TO_A_READER = ("the notes", "our record", "our notes", "we have")


def _claim(seeded, fragment):
    return Claim.objects.get(article=seeded, quote__contains=fragment)


def _assessment(claim):
    from claims.corroboration import assess_claims

    return assess_claims([claim])[claim.pk]


def test_the_strike_is_placed_where_the_pentagon_placed_it(seeded):
    strike = _claim(seeded, "January 2")
    assert strike.state == ConfirmationState.PARTLY_CONFIRMED
    assert "in a strike near Baghdad International Airport" in strike.rationale
    assert "drone" in strike.rationale
    assert "on the road to the airport" in strike.rationale
    assert "those two details are not shown" in strike.rationale
    statement = Source.objects.get(title__startswith="U.S. Department of Defense statement")
    assert "It records the strike near Baghdad International Airport" in statement.notes
    assert "names neither the place" not in statement.notes
    note = strike.evidence.get(source=statement).note
    assert "near Baghdad International Airport" in note
    assert "place" not in note


def test_a_statement_made_after_the_article_is_not_a_second_line_for_it(seeded):
    decision = _claim(seeded, "a decision by Iraq’s outgoing prime minister")
    later = Source.objects.get(title__contains="withdrawal mechanism (10 January)")
    assert decision.evidence.get(source=later).stance == "context"
    assessment = _assessment(decision)
    assert [line.head.title for line in assessment.supporting_lines] == [
        "Iraqi Council of Representatives resolution on the presence of foreign forces"
    ]
    assert later.pk not in {origin.id for origin in assessment.supporting}
    assert "after the article" in decision.rationale


def test_the_leak_rests_on_two_lines_not_on_the_reports_sources_for_the_letter(seeded):
    """Military Times and UrduPoint/Sputnik record the leak in their own reporting; the sources
    they cite for the letter (a defense official; AFP and an NBC News source) say nothing of it."""
    leak = _claim(seeded, "leaked to social media on Monday")
    assessment = _assessment(leak)
    assert assessment.suggestion == ConfirmationState.CONFIRMED == leak.state
    assert [line.relays for line in assessment.supporting_lines] == [(), ()]
    assert sorted(o.title for o in assessment.supporting) == [
        "US forces preparing to withdraw from Iraq",
        "US-Led Coalition Informs Iraq It Will Leave Country - Letter",
    ]
    supporting = leak.evidence.filter(stance="supports")
    assert {(e.source.url.split("/")[2], e.own_reporting) for e in supporting} == {
        ("www.airforcetimes.com", True),
        ("www.urdupoint.com", True),
    }
    assert not any(e.origins.exists() for e in supporting)


def test_the_agencies_are_credited_as_the_notes_credit_them(seeded):
    agencies = _claim(seeded, "Reuters and Agence France Presse")
    assert agencies.state == ConfirmationState.PARTLY_CONFIRMED
    # AFP's U.S. and Iraqi sources are NRK's report of it (R3), not UrduPoint's (R4).
    assert "AFP, as NRK relays it, said both U.S. and Iraqi" in agencies.rationale
    assert "Sputnik via UrduPoint, said" not in agencies.rationale
    assessment = _assessment(agencies)
    # Reuters' relays weigh against "both U.S. and Iraqi sources": the suggestion bears out
    # "Partly confirmed" rather than "Confirmed".
    assert assessment.suggestion == ConfirmationState.DISPUTED
    assert not assessment.stronger_than_evidence
    for relay in ("thedailybeast.com", "defence-blog.com", "mediaite.com"):
        assert agencies.evidence.get(source__url__contains=relay).stance == "contradicts"
    # The letter is what the agencies confirmed, not one of the origins of their confirming it.
    letter = Source.objects.get(kind="document")
    counted = {origin.id for origin in assessment.supporting + assessment.contradicting}
    assert letter.pk not in counted
    assert {Source.objects.get(pk=pk).title for pk in counted} == {
        "U.S. and Iraqi defence representatives (via AFP)",
        "Reuters' Iraqi military source",
    }
    # One agency's word is one origin: "1 independent origin for, 1 against".
    assert (assessment.supporting_count, assessment.contradicting_count) == (1, 1)


def test_what_the_notes_do_not_record_is_not_confirmed(seeded):
    enraged = _claim(seeded, "enraged political leaders")
    assert enraged.state == ConfirmationState.PARTLY_CONFIRMED
    assert '"enraged"' in enraged.rationale
    assert "none of the sources cited here records either" in enraged.rationale


def test_claims_of_one_shape_are_about_the_same_thing(seeded):
    """The strike and the suspension: an actor's own statement of what it did, relayed once."""
    strike = _claim(seeded, "January 2")
    pause = Claim.objects.get(
        article=seeded, quote="the coalition has suspended its counter-ISIS operations inside Iraq"
    )
    assert strike.about == pause.about == "event"
    for claim in (strike, pause):
        assessment = _assessment(claim)
        assert len(assessment.supporting_lines) == 1
        assert claim.state == ConfirmationState.PARTLY_CONFIRMED
        assert not assessment.stronger_than_evidence


def test_public_text_speaks_of_the_sources_not_of_the_notes(seeded):
    texts = []
    for claim in Claim.objects.filter(article=seeded).published():
        texts += [claim.wording, claim.rationale]
        texts += [t for e in claim.evidence.all() for t in (e.note, e.excerpt, e.source.title)]
    for text in texts:
        for words in PUBLIC_WORDS_THAT_MEAN_NOTHING_TO_A_READER:
            assert words not in text.lower(), text


def test_no_outlet_is_invented_or_idle(seeded):
    """The notes give no outlet's homepage, and every outlet publishes a source or the article."""
    assert set(Outlet.objects.values_list("homepage", flat=True)) == {""}
    for outlet in Outlet.objects.all():
        assert outlet.sources.exists() or Article.objects.filter(outlet=outlet).exists(), outlet
    assert not Outlet.objects.filter(name__in=["AP", "CNN", "Sputnik"]).exists()


def test_the_seed_publishes_what_its_desk_decided(seeded):
    claims = Claim.objects.filter(article=seeded)
    # The headline's claim and the claims that rest on the four unnamed people alone are decided
    # (unverifiable on the public record): published.
    decided = claims.filter(state=ConfirmationState.UNVERIFIABLE)
    assert decided.filter(wording__contains="emergency exit plan").exists()
    assert decided.filter(evidence__source__kind="unnamed_human").count() >= 5
    assert set(decided.values_list("review_state", flat=True)) == {"published"}
    # Kept back: what the notes leave open.
    open_ = claims.exclude(review_state="published")
    assert sorted(open_.values_list("review_state", "state")) == [
        ("draft", ConfirmationState.UNVERIFIED),
        ("in_review", ConfirmationState.PARTLY_CONFIRMED),
    ]
    assert open_.get(review_state="in_review").quote.endswith(
        "sought out reporters at the Pentagon"
    )


def test_seed_verdicts_say_they_were_loaded_and_when_the_desk_reviewed_them(seeded, client):
    import datetime as dt
    import tomllib

    from claims.models import ArticleVersion, PublishedVersion

    reviewed_on = tomllib.loads((SEEDS / "iraq-exit-plan.toml").read_text())["desk"]["reviewed_on"]
    assert isinstance(reviewed_on, dt.date)
    versions = PublishedVersion.objects.filter(claim__article=seeded)
    dates = {v.approved_at.date() for v in versions}
    dates |= {c.first_published_at.date() for c in Claim.objects.filter(article=seeded).published()}
    dates |= set(
        ArticleVersion.objects.filter(article=seeded).values_list("approved_at__date", flat=True)
    )
    assert dates == {reviewed_on}
    # The public is told what happened, not that an editor approved it.
    claim = _claim(seeded, "unsigned draft")
    page = client.get(f"/claims/{claim.pk}/").text
    day = f"{reviewed_on.day} {reviewed_on:%B %Y}"
    assert "Loaded from the desk's seed file: reviewed by the desk on <time datetime=" in page
    assert f">{day}</time>" in page
    assert "the desk&#x27;s review, loaded from its seed file" in page
    assert "Only verdicts an editor has approved" not in page
    assert "approved by one of its editors, or loaded from its seed file" in page
    history = client.get(f"/api/v1/claims/{claim.pk}/history/").json()
    [version] = history["versions"]
    assert (version["kind"], version["approved_by"]) == ("import", None)
    assert version["approved_at"].startswith(reviewed_on.isoformat())


def test_the_claimreview_of_what_milley_said_is_the_articles_statement(seeded, client):
    import json

    claim = _claim(seeded, "unsigned draft")
    review = json.loads(client.get(f"/api/v1/claims/{claim.pk}/claimreview/").content)
    assert review["claimReviewed"].startswith("Gen. Mark Milley told reporters")
    assert review["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "The National Interest",
    }
    assert "Milley" not in json.dumps(review["itemReviewed"]["author"])


def test_a_seed_file_names_a_reports_own_reporting(tmp_path):
    """`own_reporting = true` on a piece of evidence: the report counts as an origin of its own
    (instead of, or beside, the `origins` named); anything but true or false is refused."""
    from django.core.management.base import CommandError

    from claims.corroboration import assess_claim

    (tmp_path / "a.txt").write_text("Head\n\nBy\n\nThe ship ran aground at dawn.\n")
    seed = (
        '[article]\nslug = "ship"\nheadline = "Head"\ntext_file = "a.txt"\n\n'
        '[[source]]\nkey = "E"\ntitle = "The estimate"\nkind = "dataset"\n\n'
        '[[source]]\nkey = "R"\ntitle = "The agency\'s report"\nkind = "news_report"\n'
        'rests_on = ["E"]\n\n'
        '[[claim]]\nquote = "The ship ran aground"\nwording = "The ship ran aground."\n'
        'about = "event"\n\n'
        '[[claim.evidence]]\nsource = "R"\nstance = "supports"\nown_reporting = {own}\n'
    )
    (tmp_path / "bad.toml").write_text(seed.replace("{own}", '"yes"'))
    with pytest.raises(CommandError, match="evidence 1: own_reporting is true or false"):
        call_command("load_seed", str(tmp_path / "bad.toml"))
    (tmp_path / "ship.toml").write_text(seed.replace("{own}", "true"))
    call_command("load_seed", str(tmp_path / "ship.toml"))
    claim = Claim.objects.get(article__slug="ship")
    assert claim.evidence.get().own_reporting is True
    assert [o.title for o in assess_claim(claim).supporting] == ["The agency's report"]
