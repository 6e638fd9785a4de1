"""Fingerprinted static files (Flask-Static-Digest): ``flask digest compile`` writes ``site-<md5>.css`` beside
``site.css`` and a manifest; templates link through ``static_url_for``, so a changed file gets a new name and an
unchanged one can be cached by browsers for a year. Without a compiled manifest (development, tests) the plain names
are used with Flask's ordinary revalidating headers."""

from flask import Flask
from flask_static_digest import FlaskStaticDigest

ONE_YEAR = 365 * 24 * 3600
digest = FlaskStaticDigest()


def init_assets(app: Flask) -> None:
    app.config.setdefault("FLASK_STATIC_DIGEST_COMPRESSION", [])  # gzip belongs to the front proxy
    digest.init_app(app)
    fingerprinted = set(digest.manifests.get("static", {}).values())
    plain_max_age = app.get_send_file_max_age

    def max_age(filename: str | None) -> int | None:
        return ONE_YEAR if filename in fingerprinted else plain_max_age(filename)

    app.get_send_file_max_age = max_age

    @app.after_request
    def immutable_fingerprinted(response):
        if response.cache_control.max_age == ONE_YEAR:
            response.cache_control.immutable = True
        return response
