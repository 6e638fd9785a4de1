"""What every page shares: error pages, template helpers, language switch, media files."""

from flask import Flask, abort, redirect, render_template, request, send_from_directory, session, url_for
from flask_babel import get_locale
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from marketplace.core.errors import NoAccess, NotFound
from marketplace.core.headers import register_security_headers
from marketplace.core.money import format_rupiah
from marketplace.core.numbers import MAX_DB_INT
from marketplace.core.regions import REGIONS, region_label
from marketplace.core.timeutil import local_time
from marketplace.core.urls import safe_next
from marketplace.extensions import db

_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class DatabaseIntConverter(IntegerConverter):
    """``<int:id>`` that matches only what fits the database's integer: a bigger id is a 404, not an overflow."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_DB_INT)
        super().__init__(url_map, *args, **kwargs)


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in items) for key, items in values.lists())


def register_web(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIntConverter  # before any route is added
    hops = app.config.get("PROXY_FIX_X_FOR", 0)
    if hops:  # behind N trusted proxies: the client address (rate limits, logs) and scheme come from their headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    register_security_headers(app)

    @app.before_request
    def refuse_nul_bytes():
        """PostgreSQL cannot take a NUL character in text. In a query string (searches, filters) it becomes a
        space, so the page still answers; in a path or a submitted form it is refused with a clear 400."""
        if "\x00" in request.path or (request.mimetype in _FORM_TYPES and _has_nul(request.form)):
            abort(400)
        if _has_nul(request.args):
            request.args = ImmutableMultiDict([(key.replace("\x00", " "), value.replace("\x00", " "))
                                               for key, value in request.args.items(multi=True)])

    app.jinja_env.filters["rupiah"] = format_rupiah
    app.jinja_env.filters["region"] = region_label
    app.jinja_env.filters["localtime"] = local_time

    def page_url(number: int) -> str:
        args = {**request.args.to_dict(flat=False), "hal": [number]}
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    app.jinja_env.globals["page_url"] = page_url

    @app.context_processor
    def globals_for_templates():
        return {"current_locale": str(get_locale()), "all_regions": REGIONS}

    @app.get("/bahasa/<lang>")
    def switch_language(lang: str):
        if lang in app.config["LANGUAGES"]:
            session["lang"] = lang
        return redirect(safe_next(request.args.get("next"), url_for("storefront.home")))

    @app.get("/favicon.ico")
    def favicon():  # browsers ask for it before reading the page's <link rel="icon">
        return redirect(url_for("static", filename="favicon.svg"), 301)

    @app.get("/media/<path:filename>")
    def media(filename: str):
        return send_from_directory(app.config["MEDIA_DIR"], filename, max_age=86400)

    @app.errorhandler(NotFound)
    def domain_not_found(error):
        return render_template("errors/404.html", message=error.message), 404

    @app.errorhandler(NoAccess)
    def domain_no_access(error):
        return render_template("errors/403.html", message=error.message), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(413)
    def too_large(error):
        return render_template("errors/413.html"), 413

    @app.errorhandler(400)
    def bad_request(error):
        return render_template("errors/400.html"), 400

    @app.errorhandler(429)
    def too_many_requests(error):
        return render_template("errors/429.html"), 429

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template("errors/500.html"), 500

    app.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
