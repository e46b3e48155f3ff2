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

SQLite drops a table's triggers when Django rebuilds the table (as many of its schema changes
do), so :func:`ensure` runs after every ``migrate``: it puts back missing triggers and then
rebuilds the index from the tables, which can have changed while they were missing.
"""

CLAIMS = "claims_claim"
EXTERNAL = "matching_externalfactcheck"

# (table, document number, statement column, context column)
SOURCES = [
    (CLAIMS, "{row}.id * 2", "wording", "quote"),
    (EXTERNAL, "{row}.id * 2 + 1", "claim_reviewed", "title"),
]

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS matching_fts USING fts5("
    "statement, context, tokenize = 'porter unicode61 remove_diacritics 2')"
)

POSTGRES_TABLE = """
CREATE TABLE IF NOT EXISTS matching_index (
    doc bigint PRIMARY KEY,
    statement text NOT NULL,
    context text NOT NULL,
    vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, statement), 'A')
        || setweight(to_tsvector('english'::regconfig, context), 'B')
    ) STORED,
    body text GENERATED ALWAYS AS (statement || ' ' || context) STORED
);
CREATE INDEX IF NOT EXISTS matching_index_vector ON matching_index USING gin (vector);
"""


def _sqlite_triggers(table, doc, statement, context):
    new, old = doc.format(row="new"), doc.format(row="old")
    insert = (
        f"INSERT INTO matching_fts (rowid, statement, context) "
        f"VALUES ({new}, coalesce(new.{statement}, ''), coalesce(new.{context}, ''));"
    )
    delete = f"DELETE FROM matching_fts WHERE rowid = {old};"
    return {
        f"matching_{table}_insert": f"AFTER INSERT ON {table} BEGIN {insert} END",
        f"matching_{table}_update": (
            f"AFTER UPDATE OF {statement}, {context} ON {table} BEGIN {delete} {insert} END"
        ),
        f"matching_{table}_delete": f"AFTER DELETE ON {table} BEGIN {delete} END",
    }


def _postgres_triggers(table, doc, statement, context):
    function = f"matching_index_{table}"
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM matching_index WHERE doc % 2 = {0 if table == CLAIMS else 1};
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM matching_index WHERE doc = {doc.format(row="OLD")};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO matching_index (doc, statement, context)
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


def rebuild(connection) -> None:
    """Write every document again from the claims and external fact-checks tables."""
    table = "matching_fts" if connection.vendor == "sqlite" else "matching_index"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        for source, doc, statement, context in SOURCES:
            number = doc.format(row=source)
            cursor.execute(
                f"INSERT INTO {table} (" + ("rowid" if table == "matching_fts" else "doc") + ", "
                f"statement, context) SELECT {number}, coalesce({statement}, ''), "
                f"coalesce({context}, '') FROM {source}"
            )


def ensure(connection) -> None:
    """Create the index and its triggers where missing; rebuild the index if any was missing."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    tables = set(connection.introspection.table_names())
    if CLAIMS not in tables or EXTERNAL not in tables:
        return  # migrating from scratch: the migration that makes the index has not run yet
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(SQLITE_TABLE)
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {name for (name,) in cursor.fetchall()}
            wanted = {}
            for source in SOURCES:
                wanted.update(_sqlite_triggers(*source))
            missing = {name: body for name, body in wanted.items() if name not in present}
            for name, body in missing.items():
                cursor.execute(f"CREATE TRIGGER {name} {body}")
        else:
            cursor.execute(POSTGRES_TABLE)
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'matching_%%'"
            )
            present = {name for (name,) in cursor.fetchall()}
            missing = [
                source
                for source in SOURCES
                if f"matching_index_{source[0]}" not in present
                or f"matching_index_{source[0]}_truncate" not in present
            ]
            for source in missing:
                cursor.execute(_postgres_triggers(*source))
    if missing:
        rebuild(connection)
