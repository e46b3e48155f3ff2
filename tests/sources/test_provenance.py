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
