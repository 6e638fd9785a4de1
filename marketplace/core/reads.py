"""A read-only connection for the buyer pages' hot reads (page versions, live stock, the catalogue read model).

While the request has not started a transaction, an autocommit connection held by this worker thread across
requests: a page then spends no pool checkout, liveness ping, BEGIN or ROLLBACK, which were three of a rendered
product page's eight database round trips and two of a cache hit's four. Under READ COMMITTED every statement of a
transaction takes a fresh snapshot anyway, so autocommit reads see exactly what they would have seen inside one,
and "read the versions first, the page data after" still holds. Once the request has its own transaction (it
wrote, or read through the ORM session), reads join it, so a request always sees its own writes, and tests that
bind the session to one connection see their data.
"""

import threading
import weakref

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from marketplace.extensions import db

_held = threading.local()


def read_connection() -> Connection:
    bind = db.session.get_bind()
    if not isinstance(bind, Engine) or db.session().in_transaction():
        return db.session.connection()
    held = getattr(_held, "connections", None)
    if held is None:
        held = _held.connections = weakref.WeakKeyDictionary()
    connection = held.get(bind)
    if connection is None or connection.closed or connection.invalidated:
        connection = held[bind] = bind.connect().execution_options(isolation_level="AUTOCOMMIT")
    return connection


def read(statement, params: dict | None = None) -> list:
    """All rows of ``statement`` on ``read_connection()``; a held connection the server dropped meanwhile (restart,
    idle timeout) is replaced once, as the pool's ping would have done."""
    connection = read_connection()
    try:
        return connection.execute(statement, params or {}).all()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        connection.close()
        return read_connection().execute(statement, params or {}).all()
