"""Matching: the time ``matching.engine.similar`` takes to match one query against 10,000
fact-checks, over a fixed set of queries, beside the substring search it replaced (the admin's
old ``icontains``) measured in the same run on the same rows.

The 10,000 documents are made up here, inside a transaction rolled back at the end (nothing is
kept): sentences of pseudo-words drawn with a Zipf-like frequency (a few very common, most
rare, as in real claims), so that an OR query meets long posting lists as it would in a desk's
archive. No evaluation data is used (its terms forbid copying it into the repository).
"""

import random

from django.db import connection, transaction

from common.writes import writing_outside_services
from matching.engine import EXTERNAL, similar
from matching.models import ExternalFactCheck, ImportedFrom

from .harness import Result, paired_ratio

DOCUMENTS = 10_000
QUERIES = 20
VOCABULARY = 8_000
SYLLABLES = ["ka", "lo", "mi", "ren", "tu", "sa", "vel", "or", "di", "ne", "pra", "quo", "zi"]


class _Rollback(Exception):
    pass


def _vocabulary(rng) -> list[str]:
    words = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _sentence(rng, words, weights, length) -> str:
    return " ".join(rng.choices(words, weights=weights, k=length)).capitalize() + "."


def run(dataset, *, repeat: int) -> list[Result]:
    rng = random.Random(20)
    words = _vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    results = []
    try:
        with transaction.atomic(), writing_outside_services():
            ExternalFactCheck.objects.bulk_create(
                [
                    ExternalFactCheck(
                        claim_reviewed=_sentence(rng, words, weights, rng.randint(8, 25)),
                        title=_sentence(rng, words, weights, rng.randint(4, 10)),
                        imported_from=ImportedFrom.EVALUATION,
                    )
                    for _ in range(DOCUMENTS)
                ],
                batch_size=2000,
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE matching_index")
            queries = [_sentence(rng, words, weights, rng.randint(10, 30)) for _ in range(QUERIES)]
            # What the admin's search did before: any row holding the query's rarest word.
            rarest = [max(q.rstrip(".").lower().split(), key=words.index) for q in queries]

            def matched():
                for query in queries:
                    similar(query, limit=10, kinds=(EXTERNAL,))

            def substring():
                for word in rarest:
                    list(
                        ExternalFactCheck.objects.filter(
                            claim_reviewed__icontains=word
                        ).values_list("pk", flat=True)[:10]
                    )

            ratio, matched_s, substring_s = paired_ratio(matched, substring, repeat=repeat)
            per_query = matched_s / QUERIES * 1000
            results += [
                Result(
                    "matching",
                    f"similar(), one query against {DOCUMENTS:,} fact-checks, median",
                    per_query,
                    "ms",
                    "< 100 ms",
                    per_query < 100,
                    f"{QUERIES} queries of 10-30 words",
                ),
                Result(
                    "matching",
                    "substring search (one word, icontains), one query, median",
                    substring_s / QUERIES * 1000,
                    "ms",
                ),
                Result("matching", "similar() / substring search", ratio, "x"),
            ]
            raise _Rollback
    except _Rollback:
        pass
    return results
