"""OPOP programme tools: koperasi verification, cohorts, flagship curation, the programme dashboard and the public
transparency page."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.core.background import register_demo_step
    from marketplace.opop.demo import seed_programme, seed_sales_history
    from marketplace.opop.public_views import public_bp
    from marketplace.opop.services import last_decision, status_label
    from marketplace.opop.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    app.config.setdefault("OPOP_MAX_DOCUMENT_BYTES", 5 * 1024 * 1024)
    # The koperasi dashboard shows its verification status and the team's last word (templates/opop/_notice.html).
    app.jinja_env.globals["opop_last_decision"] = last_decision
    app.jinja_env.globals["opop_status_label"] = status_label
    register_demo_step(app, seed_programme)
    register_demo_step(app, seed_sales_history)
