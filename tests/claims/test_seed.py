"""The seed article loads whole, anchors every claim exactly, and loads only once."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

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
    # The Pentagon's statement, as quoted, gives no place: the rationale does not credit it.
    strike = claim("January 2").rationale
    assert "names neither the place nor the weapon" in strike
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
