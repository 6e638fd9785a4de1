"""Operations: readiness (/readyz), Prometheus metrics (/metrics), structured JSON logs with a request id that
follows the work into Celery tasks. (/healthz, "the process is up", is in core.web.)"""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.ops.health import bp as health_bp
    from marketplace.ops.logs import init_logging
    from marketplace.ops.metrics import init_metrics

    init_logging(app)
    init_metrics(app)
    app.register_blueprint(health_bp)
