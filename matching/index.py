"""The matching index, kept by the database itself: every claim (wording and quote) and every
external fact-check (claim reviewed and title) is one document in it, written by triggers on
their tables, so that no save path (a service, a bulk import, a data migration) can leave it
behind.

A document's number says what it is: a claim's id times two, an external fact-check's id times
two plus one.

- SQLite: an FTS5 table (``matching_fts``, Porter stemming) that ``bm25()`` ranks.
- PostgreSQL: a table (``matching_index``) with a stored, weighted ``tsvector`` (wording or claim
  reviewed weighted A, quote or title B) under a GIN index; trigram similarity (``pg_trgm``)
  reranks the best candidates.

The public's search has an index of its own, over the read model (``claims_publicclaim``: the
approved wording and quote, never the desk's working copy), kept the same way by triggers on
that table, which ``claims.public.refresh`` writes at each approval, withdrawal and seed. Its
own table, not documents beside the desk's: BM25's and the rarity weights' counts must be
those of what the public may read, or an unapproved claim's words would move its ranking.
There a document's number is the claim's id.

SQLite drops a table's triggers when Django rebuilds the table (as many of its schema changes
do), so :func:`ensure` runs after every ``migrate``: it puts back missing triggers and then
rebuilds the index from the tables, which can have changed while they were missing.
"""

CLAIMS = "claims_claim"
EXTERNAL = "matching_externalfactcheck"
PUBLIC = "claims_publicclaim"

# (table, document number, statement column, context column)
SOURCES = [
    (CLAIMS, "{row}.id * 2", "wording", "quote"),
    (EXTERNAL, "{row}.id * 2 + 1", "claim_reviewed", "title"),
]

# The public's: (table, document number, statement column, context column)
PUBLIC_SOURCE = (PUBLIC, "{row}.id", "wording", "quote")

# The index tables: the desk's (claims and external fact-checks) and the public's.
SQLITE_INDEX, SQLITE_PUBLIC_INDEX = "matching_fts", "matching_public_fts"
POSTGRES_INDEX, POSTGRES_PUBLIC_INDEX = "matching_index", "matching_public_index"

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS {index} USING fts5("
    "statement, context, tokenize = 'porter unicode61 remove_diacritics 2')"
)

POSTGRES_TABLE = """
CREATE TABLE IF NOT EXISTS {index} (
    doc bigint PRIMARY KEY,
    statement text NOT NULL,
    context text NOT NULL,
    vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, statement), 'A')
        || setweight(to_tsvector('english'::regconfig, context), 'B')
    ) STORED,
    body text GENERATED ALWAYS AS (statement || ' ' || context) STORED
);
CREATE INDEX IF NOT EXISTS {index}_vector ON {index} USING gin (vector);
"""


def _sqlite_triggers(table, doc, statement, context, index=SQLITE_INDEX):
    new, old = doc.format(row="new"), doc.format(row="old")
    insert = (
        f"INSERT INTO {index} (rowid, statement, context) "
        f"VALUES ({new}, coalesce(new.{statement}, ''), coalesce(new.{context}, ''));"
    )
    delete = f"DELETE FROM {index} WHERE rowid = {old};"
    return {
        f"matching_{table}_insert": f"AFTER INSERT ON {table} BEGIN {insert} END",
        f"matching_{table}_update": (
            f"AFTER UPDATE OF {statement}, {context} ON {table} BEGIN {delete} {insert} END"
        ),
        f"matching_{table}_delete": f"AFTER DELETE ON {table} BEGIN {delete} END",
    }


def _postgres_triggers(table, doc, statement, context, index=POSTGRES_INDEX):
    function = f"matching_index_{table}"
    truncated = "" if index == POSTGRES_PUBLIC_INDEX else f" WHERE doc % 2 = {int(table != CLAIMS)}"
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {index}{truncated};
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM {index} WHERE doc = {doc.format(row="OLD")};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO {index} (doc, statement, context)
        VALUES ({doc.format(row="NEW")}, coalesce(NEW.{statement}, ''), coalesce(NEW.{context}, ''))
        ON CONFLICT (doc) DO UPDATE SET statement = EXCLUDED.statement, context = EXCLUDED.context;
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER {function} AFTER INSERT OR DELETE OR UPDATE OF {statement}, {context}
    ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
CREATE OR REPLACE TRIGGER {function}_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""


def _indexes(connection, tables) -> list[tuple[str, list]]:
    """(index table, its sources) for this database; the public's once its table exists."""
    sqlite = connection.vendor == "sqlite"
    indexes = [(SQLITE_INDEX if sqlite else POSTGRES_INDEX, SOURCES)]
    if PUBLIC in tables:  # made by a later migration of claims than the index's
        indexes.append((SQLITE_PUBLIC_INDEX if sqlite else POSTGRES_PUBLIC_INDEX, [PUBLIC_SOURCE]))
    return indexes


def rebuild(connection) -> None:
    """Write every document again from the claims, external fact-checks and public tables."""
    tables = set(connection.introspection.table_names())
    column = "rowid" if connection.vendor == "sqlite" else "doc"
    with connection.cursor() as cursor:
        for index, sources in _indexes(connection, tables):
            cursor.execute(f"DELETE FROM {index}")
            for source, doc, statement, context in sources:
                number = doc.format(row=source)
                cursor.execute(
                    f"INSERT INTO {index} ({column}, statement, context) SELECT {number}, "
                    f"coalesce({statement}, ''), coalesce({context}, '') FROM {source}"
                )


def ensure(connection) -> None:
    """Create the indexes and their triggers where missing; rebuild them if any was missing."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    tables = set(connection.introspection.table_names())
    if CLAIMS not in tables or EXTERNAL not in tables:
        return  # migrating from scratch: the migration that makes the index has not run yet
    missing = False
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {name for (name,) in cursor.fetchall()}
            for index, sources in _indexes(connection, tables):
                missing |= index not in tables
                cursor.execute(SQLITE_TABLE.format(index=index))
                wanted = {}
                for source in sources:
                    wanted.update(_sqlite_triggers(*source, index=index))
                for name, body in wanted.items():
                    if name not in present:
                        missing = True
                        cursor.execute(f"CREATE TRIGGER {name} {body}")
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'matching_%%'"
            )
            present = {name for (name,) in cursor.fetchall()}
            for index, sources in _indexes(connection, tables):
                missing |= index not in tables
                cursor.execute(POSTGRES_TABLE.format(index=index))
                for source in sources:
                    function = f"matching_index_{source[0]}"
                    if function not in present or f"{function}_truncate" not in present:
                        missing = True
                        cursor.execute(_postgres_triggers(*source, index=index))
    if missing:
        rebuild(connection)
