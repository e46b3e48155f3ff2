"""One similarity for every place that asks "who has said this before?": the admin's claim
search, the API's ``q=``, the claim form's similar claims, ``manage.py evaluate_matching``, and
the public's search (kind ``public``: the read model's published claims, in an index of their own,
``matching.index``; never searched together with the desk's kinds).

Lexical ranking that both databases run over the index of ``matching.index``:

- SQLite: FTS5, any of the query's words (OR), ranked by BM25, Porter stemming.
- PostgreSQL: full-text search with an OR query; each word's ``ts_rank_cd`` weighted by its
  rarity (BM25's inverse document frequency, counted in the index), so that "said" and "Trump"
  do not outweigh "Guantanamo"; the best candidates reranked with trigram similarity.

Queries are cleaned first: links dropped, handles and hashtags split into their words
("@RealDonaldTrump" reads "real donald trump"), common function words dropped. On the
CheckThat! 2020 tweets each step raised MAP@5 (README, "Matching").
"""

import math
import re
from dataclasses import dataclass, field

from django.db import connection

from .index import POSTGRES_INDEX, POSTGRES_PUBLIC_INDEX, SQLITE_INDEX, SQLITE_PUBLIC_INDEX

CLAIM = "claim"
EXTERNAL = "external"
KINDS = (CLAIM, EXTERNAL)
PUBLIC = "public"  # a PublicClaim: what the public reads, as an editor approved it

MAX_QUERY_WORDS = 32
# PostgreSQL: how many full-text candidates the trigram similarity reranks, and its weight.
CANDIDATES = 30
TRIGRAM_WEIGHT = 3.0
# PostgreSQL: a word in more than this share of the documents does not make them candidates.
COMMON = 0.05

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "with",
        "as",
        "at",
        "by",
        "from",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "their",
        "our",
        "your",
        "not",
        "no",
        "but",
        "if",
        "so",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "about",
        "into",
        "than",
        "then",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "some",
        "more",
        "most",
        "just",
        "also",
    ]
)

_LINK = re.compile(r"https?://\S+|\bpic\.twitter\.com/\S+|\bwww\.\S+")
_TAG = re.compile(r"[@#](\w+)")
# The words inside a handle or a hashtag: "RealDonaldTrump" -> Real Donald Trump, "COVID19" ->
# COVID 19.
_TAG_WORD = re.compile(r"[A-Z]?[a-z]+|\d+|[A-Z]+(?![a-z])")
_WORD = re.compile(r"\w+")


def query_words(text: str) -> list[str]:
    """The words a query is matched by: cleaned, lower case, each once, in order."""
    text = _LINK.sub(" ", text)
    text = _TAG.sub(lambda match: " ".join(_TAG_WORD.findall(match.group(1))) or " ", text)
    words = [word for word in _WORD.findall(text.lower()) if word not in STOP_WORDS]
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


@dataclass
class Match:
    kind: str  # CLAIM, EXTERNAL or PUBLIC
    pk: int
    score: float  # higher is more similar; comparable only within one result list
    obj: object = field(default=None, repr=False)  # the Claim, ExternalFactCheck or PublicClaim

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"


def _doc(kind: str, pk: int) -> int:
    return pk * 2 + (1 if kind == EXTERNAL else 0)


def ranked_documents(text, *, limit, kinds=KINDS, exclude=()) -> list[tuple[str, int, float]]:
    """(kind, id, score) of the documents most similar to ``text``, best first; no objects."""
    words = query_words(text)
    if not words or limit <= 0 or not kinds:
        return []
    if PUBLIC in kinds:
        return _public_documents(words, kinds=kinds, exclude=exclude, limit=limit)
    conditions, params = [], []
    if set(kinds) != set(KINDS):
        conditions.append("{doc} %% 2 = %s")
        params.append(1 if kinds[0] == EXTERNAL else 0)
    excluded = [_doc(kind, pk) for kind, pk in exclude]
    if excluded:
        conditions.append("{doc} NOT IN (" + ", ".join(["%s"] * len(excluded)) + ")")
        params.extend(excluded)
    if connection.vendor == "postgresql":
        rows = _postgresql(words, conditions, params, limit)
    else:
        rows = _sqlite(words, conditions, params, limit)
    return [(EXTERNAL if doc % 2 else CLAIM, doc // 2, score) for doc, score in rows]


def _public_documents(words, *, kinds, exclude, limit) -> list[tuple[str, int, float]]:
    if set(kinds) != {PUBLIC}:
        # The public's index ranks by what the public may read only: mixing the desk's kinds
        # in would rank its working copies against the public's statistics.
        raise ValueError("The public kind is searched on its own.")
    excluded = [pk for kind, pk in exclude if kind == PUBLIC]
    conditions = ["{doc} NOT IN (" + ", ".join(["%s"] * len(excluded)) + ")"] if excluded else []
    if connection.vendor == "postgresql":
        rows = _postgresql(words, conditions, excluded, limit, table=POSTGRES_PUBLIC_INDEX)
    else:
        rows = _sqlite(words, conditions, excluded, limit, table=SQLITE_PUBLIC_INDEX)
    return [(PUBLIC, doc, score) for doc, score in rows]


def _sqlite(words, conditions, params, limit, table=SQLITE_INDEX):
    # Every word is \w+ only: quoted, none of FTS5's syntax can reach the query.
    match = " OR ".join(f'"{word}"' for word in words)
    where = "".join(" AND " + condition.format(doc="rowid") for condition in conditions)
    with connection.cursor() as cursor:
        # Only this module's conditions are formatted in; every value is a parameter.
        cursor.execute(
            f"SELECT rowid, -bm25({table}) FROM {table} "
            f"WHERE {table} MATCH %s{where} ORDER BY bm25({table}) LIMIT %s",
            [match, *params, limit],
        )
        return cursor.fetchall()


def _postgresql(words, conditions, params, limit, table=POSTGRES_INDEX):
    text = " ".join(words)
    with connection.cursor() as cursor:
        # The query's lexemes (English stemming and stop words, as the index has them), in
        # how many documents each occurs (GIN answers each count from its posting list) and
        # how many documents there are (an uncorrelated subquery: counted once, same trip).
        cursor.execute(
            f"SELECT lexeme, (SELECT count(*) FROM {table} "
            "WHERE vector @@ quote_literal(lexeme)::tsquery), "
            f"(SELECT count(*) FROM {table}) "
            "FROM unnest(tsvector_to_array(to_tsvector('english'::regconfig, %s))) AS lexeme",
            [text],
        )
        rows = cursor.fetchall()
        frequencies = {lexeme: docs for lexeme, docs, _ in rows if docs}
        if not frequencies:
            return []
        total = rows[0][2]
        lexemes = list(frequencies)
        # The documents to rank are those holding one of the query's rarer words: a word in
        # more than COMMON of the documents still weighs in the rank, but does not make every
        # document a candidate (an OR of "said" would rank most of the index).
        rarer = [lexeme for lexeme, docs in frequencies.items() if docs <= COMMON * total]
        matched = rarer or lexemes
        weights = [
            math.log(1 + (total - docs + 0.5) / (docs + 0.5)) for docs in frequencies.values()
        ]
        rank = " + ".join(["%s * ts_rank_cd(vector, quote_literal(%s)::tsquery, 1)"] * len(lexemes))
        rank_params = [value for pair in zip(weights, lexemes, strict=True) for value in pair]
        where = "".join(" AND " + condition.format(doc="doc") for condition in conditions)
        cursor.execute(
            f"""
            SELECT doc, rank + %s * similarity(%s, body) AS score FROM (
                SELECT doc, body, {rank} AS rank
                FROM {table},
                    (SELECT string_agg(quote_literal(lexeme), ' | ')::tsquery AS query
                     FROM unnest(%s::text[]) AS lexeme) AS q
                WHERE vector @@ q.query{where}
                ORDER BY rank DESC LIMIT %s
            ) AS candidates
            ORDER BY score DESC, doc LIMIT %s
            """,
            [
                TRIGRAM_WEIGHT,
                text,
                *rank_params,
                matched,
                *params,
                max(CANDIDATES, limit),
                limit,
            ],
        )
        return cursor.fetchall()


def similar(text: str, *, limit: int = 10, kinds=KINDS, exclude=()) -> list[Match]:
    """The claims and external fact-checks (or, for ``kinds=[PUBLIC]``, the published claims)
    most similar to ``text``, best first, with their objects loaded (claims with their article):
    at most three queries on SQLite, four on PostgreSQL, whatever the limit."""
    from claims.models import Claim, PublicClaim

    from .models import ExternalFactCheck

    matches = [Match(kind, pk, score) for kind, pk, score in ranked_documents(
        text, limit=limit, kinds=kinds, exclude=exclude
    )]  # fmt: skip
    claim_ids = [m.pk for m in matches if m.kind == CLAIM]
    external_ids = [m.pk for m in matches if m.kind == EXTERNAL]
    public_ids = [m.pk for m in matches if m.kind == PUBLIC]
    objects = {}
    if public_ids:
        for row in PublicClaim.objects.filter(pk__in=public_ids):
            objects[(PUBLIC, row.pk)] = row
    if claim_ids:
        for claim in Claim.objects.filter(pk__in=claim_ids).select_related("article"):
            objects[(CLAIM, claim.pk)] = claim
    if external_ids:
        for external in ExternalFactCheck.objects.filter(pk__in=external_ids):
            objects[(EXTERNAL, external.pk)] = external
    found = []
    for match in matches:
        match.obj = objects.get((match.kind, match.pk))
        if match.obj is not None:
            found.append(match)
    return found
