from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def count_queries(engine):
    """Counts the SQL statements the block sends (savepoint bookkeeping excluded)."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if "SAVEPOINT" not in statement.upper():
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
