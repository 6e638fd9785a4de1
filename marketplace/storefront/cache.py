"""Page cache for anonymous shoppers.

Most storefront traffic is anonymous browsing, and a page is the same for every anonymous visitor without a cart,
so its HTML is cached and served without touching the ORM. The cache key carries the *catalogue version*: the
highest outbox event id. Every stock change already writes an outbox event in its own transaction, and a flush
listener below adds one whenever catalogue rows change, so any committed change yields a new key and no visitor
ever sees a page older than the last commit. Per-visitor bits of a cached page (the CSRF token of the add-to-cart
form) are stored as a marker and filled in for each response.
"""

from functools import wraps

from flask import Response, current_app, g, make_response, request, session
from flask_babel import get_locale
from flask_caching import Cache
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from marketplace.outbox import services as outbox
from marketplace.outbox.models import OutboxEvent

page_cache = Cache()
CSRF_MARK = "__opop_csrf_token__"
# "_fresh" is what Flask-Login leaves in an anonymous session that holds anything else.
_CLEAN_SESSION_KEYS = {"lang", "csrf_token", "_fresh"}


def catalogue_version() -> int:
    from marketplace.extensions import db

    return db.session.scalar(select(func.max(OutboxEvent.id))) or 0


def _cacheable_visitor() -> bool:
    return (
        request.method == "GET"
        and not current_user.is_authenticated
        and set(session.keys()) <= _CLEAN_SESSION_KEYS
    )


def csrf_token_for_templates() -> str:
    return CSRF_MARK if g.get("rendering_for_cache") else generate_csrf()


def cached_page(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_app.config.get("PAGE_CACHE_ENABLED", True) or not _cacheable_visitor():
            return view(*args, **kwargs)
        key = f"page:{get_locale()}:{request.full_path}:{catalogue_version()}"
        body = page_cache.get(key)
        if body is None:
            g.rendering_for_cache = True
            try:
                response = make_response(view(*args, **kwargs))
            finally:
                g.rendering_for_cache = False
            if response.status_code != 200:
                return response
            body = response.get_data(as_text=True)
            page_cache.set(key, body)
        if CSRF_MARK in body:
            body = body.replace(CSRF_MARK, generate_csrf())
        return Response(body, mimetype="text/html")

    return wrapper


def init_page_cache(app) -> None:
    page_cache.init_app(app)
    app.jinja_env.globals["csrf_token"] = csrf_token_for_templates
    # Flask-WTF also injects csrf_token through a context processor; this later one takes precedence.
    app.context_processor(lambda: {"csrf_token": csrf_token_for_templates})


def _catalogue_models() -> tuple:
    from marketplace.catalog.models import Category, Certification, Product, ProductImage, Variant
    from marketplace.koperasi.models import Koperasi, Pesantren

    return (Product, Variant, ProductImage, Certification, Category, Koperasi, Pesantren)


@event.listens_for(Session, "before_flush")
def _mark_catalogue_change(session: Session, flush_context, instances) -> None:
    """One `catalogue.changed` event per transaction that touches what buyers see."""
    if ("catalogue.changed", None) in session.info.get("outbox_once", ()):
        return
    models = _catalogue_models()
    touched = any(isinstance(obj, models) for obj in session.new) or any(
        isinstance(obj, models) and session.is_modified(obj) for obj in session.dirty
    ) or any(isinstance(obj, models) for obj in session.deleted)
    if touched:
        outbox.record_once("catalogue.changed", None, session=session)
