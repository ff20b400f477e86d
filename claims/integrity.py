"""Database triggers that keep every citation true, whatever writes to the tables.

`Source.save()` and `Citation.clean()` refuse a broken citation in Python, but raw
SQL, `QuerySet.update()` and bulk loads bypass them. These triggers refuse, inside
the database, any write after which a citation's quote would not be exactly its
source's text between its offsets. SQLite and PostgreSQL both count `substr`
positions in characters (code points), as Python does.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

SOURCE_TRIGGER = "claims_source_text_keeps_citations"
CITATION_TRIGGER = "claims_citation_quote_in_source"


def _quote_mismatch(text: str, cite: str, distinct: str = "IS DISTINCT FROM") -> str:
    """SQL: the text between the citation's offsets is not its quote."""
    # SQLite before 3.39 lacks IS DISTINCT FROM; its IS NOT means the same.
    span = f'substr({text}, {cite}.start + 1, {cite}."end" - {cite}.start)'
    return f"{span} {distinct} {cite}.quote"


_SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER {SOURCE_TRIGGER}
    BEFORE UPDATE OF text ON claims_source
    FOR EACH ROW
    WHEN EXISTS (
        SELECT 1 FROM claims_citation c
        WHERE c.source_id = NEW.id
        AND {_quote_mismatch("NEW.text", "c", "IS NOT")}
    )
    BEGIN
        SELECT RAISE(ABORT, 'claims_source: this text change would break a citation');
    END
    """,
    *(
        f"""
        CREATE TRIGGER {CITATION_TRIGGER}_{event.split()[0].lower()}
        BEFORE {event} ON claims_citation
        FOR EACH ROW
        WHEN NEW."end" > NEW.start AND EXISTS (
            SELECT 1 FROM claims_source s
            WHERE s.id = NEW.source_id
            AND {_quote_mismatch("s.text", "NEW", "IS NOT")}
        )
        BEGIN
            SELECT RAISE(ABORT,
                'claims_citation: the quote is not the source text at its offsets');
        END
        """
        for event in ("INSERT", 'UPDATE OF quote, start, "end", source_id')
    ),
]
_SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {SOURCE_TRIGGER}",
    f"DROP TRIGGER IF EXISTS {CITATION_TRIGGER}_insert",
    f"DROP TRIGGER IF EXISTS {CITATION_TRIGGER}_update",
]

_POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {SOURCE_TRIGGER}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.text IS DISTINCT FROM OLD.text AND EXISTS (
            SELECT 1 FROM claims_citation c
            WHERE c.source_id = NEW.id
            AND {_quote_mismatch("NEW.text", "c")}
        ) THEN
            RAISE EXCEPTION 'claims_source %: this text change would break a citation',
                NEW.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    f"""
    CREATE TRIGGER {SOURCE_TRIGGER}
    BEFORE UPDATE OF text ON claims_source
    FOR EACH ROW EXECUTE FUNCTION {SOURCE_TRIGGER}()
    """,
    f"""
    CREATE OR REPLACE FUNCTION {CITATION_TRIGGER}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW."end" > NEW.start AND EXISTS (
            SELECT 1 FROM claims_source s
            WHERE s.id = NEW.source_id
            AND {_quote_mismatch("s.text", "NEW")}
        ) THEN
            RAISE EXCEPTION
                'claims_citation: the quote is not the source text at its offsets'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    f"""
    CREATE TRIGGER {CITATION_TRIGGER}
    BEFORE INSERT OR UPDATE OF quote, start, "end", source_id ON claims_citation
    FOR EACH ROW EXECUTE FUNCTION {CITATION_TRIGGER}()
    """,
]
_POSTGRESQL_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {SOURCE_TRIGGER} ON claims_source",
    f"DROP TRIGGER IF EXISTS {CITATION_TRIGGER} ON claims_citation",
    f"DROP FUNCTION IF EXISTS {SOURCE_TRIGGER}()",
    f"DROP FUNCTION IF EXISTS {CITATION_TRIGGER}()",
]

_STATEMENTS = {
    "sqlite": (_SQLITE_INSTALL, _SQLITE_UNINSTALL),
    "postgresql": (_POSTGRESQL_INSTALL, _POSTGRESQL_UNINSTALL),
}


def _run(connection: BaseDatabaseWrapper, install: bool) -> None:
    if connection.vendor not in _STATEMENTS:
        # Other vendors rely on the model-layer checks and verify_citations.
        return
    statements = _STATEMENTS[connection.vendor][0 if install else 1]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_citation_triggers(connection: BaseDatabaseWrapper) -> None:
    _run(connection, install=True)


def uninstall_citation_triggers(connection: BaseDatabaseWrapper) -> None:
    _run(connection, install=False)
