"""The migrations build the schema on both databases, and they agree with the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from marketplace.extensions import db as _db


def test_models_and_migrations_agree(app):
    with app.app_context(), _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, _db.metadata)
    assert differences == []


def test_migrations_run_down_to_empty_and_up_again(app, tmp_path):
    from marketplace import create_app

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
        fresh = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with fresh.app_context():
            upgrade()
            tables_up = set(_db.inspect(_db.engine).get_table_names())
            downgrade(revision="base")
            tables_down = set(_db.inspect(_db.engine).get_table_names())
            upgrade()
            _db.engine.dispose()
    else:
        from tests.services import scratch_postgres_database

        with scratch_postgres_database() as url:
            fresh = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
            with fresh.app_context():
                upgrade()
                tables_up = set(_db.inspect(_db.engine).get_table_names())
                downgrade(revision="base")
                tables_down = set(_db.inspect(_db.engine).get_table_names())
                _db.engine.dispose()
    assert {"user", "koperasi", "product", "variant"} <= tables_up
    assert tables_down <= {"alembic_version"}
