"""Twenty people changing one claim at once, with real concurrent transactions.

Each thread has its own database connection (Django gives every thread one), so these run the
real locking of the database under test: row locks on PostgreSQL, the IMMEDIATE write lock and
busy timeout on SQLite (the suite's SQLite database is a file, as the app's is).
"""

import itertools
import threading

import pytest
from django.db import connection

from claims import services
from claims.models import Claim, ConfirmationState, StateChange
from tests.factories import ClaimFactory

# serialized_rollback: a transactional test empties the tables when it ends; this restores what
# the migrations made (the role groups) for the tests that follow.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.concurrency,
]

THREADS = 20


def run_at_once(work):
    """Run ``work(i)`` in THREADS threads released together; return what each returned or raised."""
    barrier = threading.Barrier(THREADS)
    outcomes = [None] * THREADS

    def runner(i):
        try:
            barrier.wait(timeout=30)
            outcomes[i] = ("ok", work(i))
        except services.ConflictError as error:
            outcomes[i] = ("conflict", error)
        except Exception as error:  # anything else is a failure that the test reports
            outcomes[i] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_twenty_writers_from_one_version_one_wins_and_nineteen_are_told(fact_checker):
    claim = ClaimFactory()
    seen = claim.version

    def work(i):
        return services.change_state(
            claim=Claim(pk=claim.pk),
            to_state=ConfirmationState.IN_PROGRESS,
            rationale=f"Writer {i} starts on it.",
            author=fact_checker,
            expected_version=seen,
        )

    outcomes = run_at_once(work)
    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("error") == 0, [o for o in outcomes if o[0] == "error"]
    assert kinds.count("ok") == 1
    assert kinds.count("conflict") == THREADS - 1
    for kind, error in outcomes:
        if kind == "conflict":
            assert f"was changed by {fact_checker.username}" in str(error)

    claim.refresh_from_db()
    (winner,) = [value for kind, value in outcomes if kind == "ok"]
    assert claim.version == winner.version == seen + 1
    assert claim.state == ConfirmationState.IN_PROGRESS
    (change,) = StateChange.objects.filter(claim=claim)
    assert change.claim_version == winner.version
    assert change.rationale.startswith("Writer ")


def test_twenty_writers_that_retry_lose_no_update(fact_checker):
    """Everyone retries on conflict: all twenty changes land, one after the other, none lost."""
    claim = ClaimFactory()

    def work(i):
        for _ in range(200):
            current = Claim.objects.get(pk=claim.pk)
            target = (
                ConfirmationState.IN_PROGRESS
                if current.state == ConfirmationState.UNVERIFIED
                else ConfirmationState.UNVERIFIED
            )
            try:
                return services.change_state(
                    claim=current,
                    to_state=target,
                    rationale=f"Writer {i}.",
                    author=fact_checker,
                    expected_version=current.version,
                )
            except services.ConflictError:
                continue
        raise AssertionError(f"writer {i} never got its turn")

    outcomes = run_at_once(work)
    assert [kind for kind, _ in outcomes] == ["ok"] * THREADS, outcomes

    claim.refresh_from_db()
    assert claim.version == 1 + THREADS
    changes = list(StateChange.objects.filter(claim=claim).order_by("claim_version"))
    assert [c.claim_version for c in changes] == list(range(2, THREADS + 2))
    assert sorted(c.rationale for c in changes) == sorted(f"Writer {i}." for i in range(THREADS))
    # Each change starts where the one before it ended: nothing was lost in between.
    for before, after in itertools.pairwise(changes):
        assert after.from_state == before.to_state
