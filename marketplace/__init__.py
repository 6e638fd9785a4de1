"""OPOP Marketplace: the Flask application factory."""

import os
from pathlib import Path

from flask import Flask, has_request_context, request, session
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import get_config
from marketplace.extensions import babel, csrf, db, limiter, login_manager, migrate
from marketplace.extensions import mail as mailer  # `marketplace.mail` is the mail domain package

BASE_DIR = Path(__file__).resolve().parent.parent


def _configured_timezone() -> str:
    """Read per request rather than once at start-up, so the setting is the single source wherever it is set."""
    from flask import current_app

    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def select_locale() -> str:
    from flask import current_app

    if not has_request_context():  # workers and CLI speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def create_app(profile: str | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(get_config(profile).INSTANCE_DIR),
    )
    app.config.from_object(get_config(profile))
    app.config.update(overrides)
    if app.config.get("PROFILE") == "production" and app.debug:
        raise RuntimeError("refusing to start the production profile with debug on")
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(BASE_DIR / "translations"),
                   timezone_selector=_configured_timezone)
    mailer.init_app(app)

    from marketplace import models  # noqa: F401  (registers every model with the metadata)
    from marketplace.core.web import register_web

    register_web(app)
    _init_domains(app)
    return app


def _init_domains(app: Flask) -> None:
    """Each domain wires itself: blueprints, CLI, outbox handlers, tasks and beat entries, demo steps. The outbox
    comes first (others subscribe to it); the Celery app last (it is built from what the domains declared)."""
    from marketplace import (
        accounts,
        api,
        bulk,
        catalog,
        channels,
        checkout,
        demo,
        inventory,
        koperasi,
        mail,
        opop,
        ops,
        orders,
        outbox,
        payments,
        search,
        seller,
        storefront,
    )
    from marketplace.core.celery import make_celery

    for domain in (outbox, mail, accounts, koperasi, catalog, inventory, checkout, orders, payments, storefront,
                   search, bulk, seller, channels, opop, api, ops, demo):
        domain.init_app(app)
    make_celery(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys and let readers run beside the single writer."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
