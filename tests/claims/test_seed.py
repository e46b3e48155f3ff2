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

    tables = apps.get_models(include_auto_created=True)
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
    """R1, R2 and R11 rest on one Reuters report; R3 and R4 on one AFP report."""
    reuters = Source.objects.get(url__contains="thedailybeast.com")
    defence_blog = Source.objects.get(url__contains="defence-blog.com")
    nrk = Source.objects.get(url__contains="nrk.no")
    urdupoint = Source.objects.get(url__contains="urdupoint.com")
    assert Provenance.objects.filter(source=defence_blog, rests_on=reuters).exists()
    afp = Source.objects.get(outlet__name="AFP", kind="news_report")
    assert Provenance.objects.filter(source=nrk, rests_on=afp).exists()
    assert Provenance.objects.filter(source=urdupoint, rests_on=afp).exists()


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
