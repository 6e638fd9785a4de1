"""What every page shares: error pages, template helpers, language switch, media files."""

from flask import Flask, redirect, render_template, request, send_from_directory, session, url_for
from flask_babel import get_locale

from marketplace.core.errors import NotFound
from marketplace.core.money import format_rupiah
from marketplace.core.regions import REGIONS, region_label
from marketplace.core.urls import safe_next
from marketplace.extensions import db


def register_web(app: Flask) -> None:
    app.jinja_env.filters["rupiah"] = format_rupiah
    app.jinja_env.filters["region"] = region_label

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

    @app.get("/media/<path:filename>")
    def media(filename: str):
        return send_from_directory(app.config["MEDIA_DIR"], filename, max_age=86400)

    @app.errorhandler(NotFound)
    def domain_not_found(error):
        return render_template("errors/404.html", message=error.message), 404

    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(413)
    def too_large(error):
        return render_template("errors/413.html"), 413

    @app.errorhandler(429)
    def too_many_requests(error):
        return render_template("errors/429.html"), 429

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template("errors/500.html"), 500

    app.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
