"""Readiness: /readyz answers 200 only when this process can do its work (database, broker, search index, and in
development the local payment and partner sandboxes), so a load balancer sends traffic only to ready processes."""

import time
from pathlib import Path

from flask import Blueprint, current_app
from sqlalchemy import case, func, select, text

from marketplace.extensions import db

bp = Blueprint("ops", __name__)


def outbox_depth() -> int:
    from marketplace.outbox.models import OutboxEvent

    return db.session.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.dispatched_at.is_(None)))


def channel_sync_state() -> list[tuple[int, str, int, float | None]]:
    """(account id, platform, listings waiting for a push, seconds since the last push) per active account."""
    from marketplace.channels.models import ChannelAccount, ChannelListing
    from marketplace.core.timeutil import utcnow

    pending = func.sum(case((ChannelListing.push_requested > ChannelListing.push_done, 1), else_=0))
    rows = db.session.execute(
        select(ChannelAccount.id, ChannelAccount.platform, ChannelAccount.last_push_at, func.coalesce(pending, 0))
        .outerjoin(ChannelListing, ChannelListing.account_id == ChannelAccount.id)
        .group_by(ChannelAccount.id, ChannelAccount.platform, ChannelAccount.last_push_at)
    ).all()
    now = utcnow()
    return [(account_id, str(getattr(platform, "value", platform)), int(waiting),
             (now - last_push).total_seconds() if last_push else None)
            for account_id, platform, last_push, waiting in rows]


def search_index_age() -> float | None:
    """Seconds since any file of the index changed (None when there is no index yet)."""
    base = Path(current_app.config["SEARCH_INDEX_DIR"])
    if not base.is_dir():
        return None
    newest = max((p.stat().st_mtime for p in base.rglob("*") if p.is_file()), default=None)
    return None if newest is None else max(0.0, time.time() - newest)


def _database() -> str:
    db.session.execute(text("SELECT 1"))
    return "ok"


def _broker() -> str:
    celery = current_app.extensions["celery"]
    if celery.conf.task_always_eager:
        return "eager"
    with celery.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _search() -> str:
    from marketplace.search.services import get_engine

    status = get_engine().status()
    return f"ok ({status.documents} documents)"


def _sandboxes() -> dict[str, str]:
    """Development only: the local stand-ins for Stripe and the partner platforms."""
    import requests

    from sandboxes import credentials

    results = {}
    for name, url in (("localstripe", current_app.config["STRIPE_API_BASE"]),
                      ("shopee", credentials.SHOPEE_BASE_URL), ("tiktok", credentials.TIKTOK_BASE_URL),
                      ("midtrans", current_app.config.get("MIDTRANS_API_BASE", credentials.MIDTRANS_BASE_URL))):
        try:
            requests.get(url, timeout=1)
            results[name] = "ok"
        except requests.RequestException as error:
            results[name] = f"down: {type(error).__name__}"
    return results


@bp.get("/readyz")
def readyz():
    checks: dict[str, object] = {}
    ready = True
    for name, check in (("database", _database), ("broker", _broker), ("search", _search)):
        try:
            checks[name] = check()
        except Exception as error:  # any failure means "not ready"; the type says which
            ready = False
            checks[name] = f"down: {type(error).__name__}"
            db.session.rollback()
    if current_app.config.get("PROFILE") != "production" and current_app.config.get("READYZ_SANDBOXES", True):
        checks["sandboxes"] = _sandboxes()  # reported, not required: the shop runs without them
    return {"ready": ready, "checks": checks}, 200 if ready else 503
