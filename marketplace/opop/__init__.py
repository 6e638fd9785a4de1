"""OPOP programme pages for the provincial team."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.opop.views import bp

    app.register_blueprint(bp)
