"""Row locks that work on both databases: ``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite (no row locks) a no-op
UPDATE of the same rows, which takes the database's write lock at once so that other writers wait for our commit.
Rows are locked in primary-key order, so two transactions never wait on each other in a cycle."""

from sqlalchemy import select, update

from marketplace.extensions import db


def lock_rows(model, ids) -> list:
    ids = sorted(set(ids))
    if not ids:
        return []
    query = select(model).where(model.id.in_(ids)).order_by(model.id).execution_options(populate_existing=True)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(of=model)
    else:
        db.session.execute(update(model).where(model.id.in_(ids)).values(id=model.id))
    return list(db.session.scalars(query))
