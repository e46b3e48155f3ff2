"""A source's provenance leads back to its origins and never round to itself."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.writes import writing_outside_services
from sources.models import Provenance
from sources.provenance import find_cycle
from sources.services import add_provenance
from tests.factories import SourceFactory, desk_author

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    """letter <- reuters <- daily_beast (the Daily Beast rests on Reuters, which rests on the letter)."""
    letter = SourceFactory(title="Leaked letter", outlet=None)
    reuters = SourceFactory(title="Reuters report")
    beast = SourceFactory(title="Daily Beast copy")
    add_provenance(author=desk_author(), source=reuters, rests_on=letter)
    add_provenance(author=desk_author(), source=beast, rests_on=reuters)
    return letter, reuters, beast


def test_a_source_cannot_rest_on_itself(chain):
    letter, _, _ = chain
    with pytest.raises(ValidationError, match="cannot rest on itself"):
        add_provenance(author=desk_author(), source=letter, rests_on=letter)
    with pytest.raises(IntegrityError), transaction.atomic(), writing_outside_services():
        Provenance.objects.create(source=letter, rests_on=letter)


def test_a_longer_loop_is_refused_with_the_path_that_would_close_it(chain):
    letter, _, beast = chain
    with pytest.raises(ValidationError) as caught:
        add_provenance(author=desk_author(), source=letter, rests_on=beast)
    assert caught.value.messages == [
        "This would make a loop of sources resting on each other: "
        "“Leaked letter” → “Daily Beast copy” → “Reuters report” → “Leaked letter”. "
        "A source's provenance must lead back to its origins, never round to itself."
    ]
    assert not Provenance.objects.filter(source=letter).exists()


def test_shared_origins_are_not_loops(chain):
    letter, _, beast = chain
    # A diamond: the Daily Beast also cites the letter directly. Two paths, one origin, no loop.
    add_provenance(author=desk_author(), source=beast, rests_on=letter)
    assert Provenance.objects.filter(source=beast).count() == 2


def test_the_same_link_twice_is_refused_in_words(chain):
    letter, reuters, _ = chain
    with pytest.raises(ValidationError, match="already recorded as resting on that one"):
        add_provenance(author=desk_author(), source=reuters, rests_on=letter)


def test_cycle_search_costs_one_query_per_level(django_assert_num_queries):
    sources = SourceFactory.create_batch(6, outlet=None)
    with writing_outside_services():
        for child, parent in itertools.pairwise(sources):
            Provenance.objects.create(source=child, rests_on=parent)
    # Asking whether the top may rest on the bottom walks up from the bottom, one query per
    # level: the parents of sources[0], [1], [2], [3] and [4], where the top closes the loop.
    with django_assert_num_queries(5):
        cycle = find_cycle([(sources[5].pk, sources[0].pk)])
    assert cycle == [s.pk for s in [sources[5], *sources]]


# -- the closure table ---------------------------------------------------------------------------


def test_the_closure_table_kept_by_the_services_equals_a_rebuild(admin_client):
    """Every way provenance changes (the services, the admin's inline, the API's derived_from)
    keeps the closure table in the same transaction; a rebuild from the links finds nothing to
    change, and `rebuild_provenance --check` agrees."""
    from io import StringIO

    from django.core.management import call_command

    from sources.provenance import closure_rows, rebuild_closure
    from sources.services import remove_provenance, save_source

    sources = [SourceFactory(title=f"S{n}") for n in range(8)]
    a, b, c, d, e, f, g, h = sources
    add_provenance(author=desk_author(), source=b, rests_on=a)
    add_provenance(author=desk_author(), source=c, rests_on=b)
    add_provenance(author=desk_author(), source=d, rests_on=c)
    add_provenance(
        author=desk_author(), source=d, rests_on=a
    )  # two paths from d to a: the shortest counts
    add_provenance(author=desk_author(), source=e, rests_on=d)
    save_source(source=f, derived_from=[e, g], author=desk_author())
    remove_provenance(link=Provenance.objects.get(source=c, rests_on=b), author=desk_author())
    add_provenance(author=desk_author(), source=c, rests_on=h)
    save_source(source=f, derived_from=[g], author=desk_author())
    # The admin's provenance inline: e now rests on b instead of d.
    link = Provenance.objects.get(source=e, rests_on=d)
    response = admin_client.post(
        f"/admin/sources/source/{e.pk}/change/",
        {
            "title": e.title, "kind": e.kind, "on_record": "on", "author": "", "url": "",
            "archived_url": "", "published_on": "", "accessed_on": "", "notes": "",
            "provenance-TOTAL_FORMS": "1", "provenance-INITIAL_FORMS": "1",
            "provenance-MIN_NUM_FORMS": "0", "provenance-MAX_NUM_FORMS": "1000",
            "provenance-0-id": str(link.pk), "provenance-0-source": str(e.pk),
            "provenance-0-rests_on": str(b.pk), "provenance-0-note": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content[:2000]

    maintained = closure_rows()
    assert (d.pk, a.pk, 1) in maintained
    assert (e.pk, a.pk, 2) in maintained
    assert not any(row[:2] == (e.pk, d.pk) for row in maintained)
    assert (c.pk, h.pk, 1) in maintained
    assert not any(row[:2] == (c.pk, a.pk) for row in maintained)
    assert all((s.pk, s.pk, 0) in maintained for s in sources)
    out = StringIO()
    call_command("rebuild_provenance", "--check", stdout=out)
    assert "checked" in out.getvalue()
    rebuild_closure()
    assert closure_rows() == maintained


def test_the_check_reports_a_closure_table_out_of_step(chain):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from sources.models import SourceAncestor

    letter, _, beast = chain
    SourceAncestor.objects.filter(source=beast, ancestor=letter).delete()
    with pytest.raises(CommandError, match="1 row\\(s\\) missing"):
        call_command("rebuild_provenance", "--check")
    call_command("rebuild_provenance")
    assert SourceAncestor.objects.filter(source=beast, ancestor=letter, depth=2).exists()


def test_origins_are_a_join_whatever_the_depth(django_assert_num_queries):
    from sources.provenance import origins_of

    chain = [SourceFactory(title=f"Level {n}") for n in range(13)]
    for lower, upper in itertools.pairwise(chain):
        add_provenance(author=desk_author(), source=lower, rests_on=upper)
    with django_assert_num_queries(1):
        found = origins_of([chain[0].pk, chain[5].pk])
    assert [o.title for o in found[chain[0].pk]] == ["Level 12"]
    assert [o.title for o in found[chain[5].pk]] == ["Level 12"]
