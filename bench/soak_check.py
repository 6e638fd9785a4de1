"""The soak's consistency check, run once the system is quiet (bench/soak.py)."""

import time


def quiet(seconds: float, queued=lambda: 0) -> bool:
    """Until nothing is waiting: outbox dispatched, every listing pushed, ``queued()`` (Celery messages) zero."""
    import sqlalchemy as sa

    from marketplace.channels.models import ChannelListing
    from marketplace.extensions import db
    from marketplace.outbox.models import OutboxEvent

    deadline, calm = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        db.session.rollback()
        waiting = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEvent)
                                    .where(OutboxEvent.dispatched_at.is_(None)))
        waiting += db.session.scalar(sa.select(sa.func.count()).select_from(ChannelListing).where(
            ChannelListing.push_requested > ChannelListing.push_done))
        calm = calm + 1 if waiting + queued() == 0 else 0
        if calm == 3:  # three readings a second apart: a handler may set the next thing waiting after a dispatch
            return True
        time.sleep(1)
    return False


def consistency(placed: dict, tokens: list, queued) -> list[str]:
    import sqlalchemy as sa

    from marketplace.catalog.models import Variant
    from marketplace.channels.models import AccountStatus, ChannelAccount, ChannelSyncLog
    from marketplace.channels.pull.models import ChannelEvent
    from marketplace.channels.pull.tasks import poll_account
    from marketplace.channels.reconcile import reconcile_account
    from marketplace.extensions import db
    from marketplace.inventory.models import Stock
    from marketplace.inventory.queries import available_by_variant, ledger_mismatches
    from marketplace.orders.models import Order, PartnerOrder
    from marketplace.payments.models import Payment, PaymentStatus

    accounts = db.session.scalars(sa.select(ChannelAccount.id).where(
        ChannelAccount.status == AccountStatus.ACTIVE)).all()
    for account_id in accounts:  # pushes the sandboxes gave up on: the poller is the safety net
        poll_account(account_id)
    settled = quiet(300, queued)
    lines = [f"quiet after the poll: {'yes' if settled else 'NO (timed out after 300 s)'}"]
    drift, details = [], []
    for account_id in accounts:
        before = listing_snapshot(account_id)
        report = reconcile_account(account_id)
        drift.append(f"account {account_id}: {report.checked} checked, {report.drifted} drifted, "
                     f"{report.missing} missing{', error ' + report.error if report.error else ''}")
        details += drift_details(account_id, report, before)
    db.session.rollback()
    variants = db.session.scalars(sa.select(Variant.id)).all()
    negative = sum(1 for value in available_by_variant(variants).values() if value < 0)
    over = db.session.scalar(sa.select(sa.func.count()).select_from(Stock).where(
        (Stock.quantity_allocated > Stock.quantity) | (Stock.quantity < 0)))
    lines.append(f"oversold: {negative} variants with available < 0, {over} stock rows allocated beyond on hand, "
                 f"{len(ledger_mismatches())} ledger mismatches")
    dup_partner = db.session.execute(sa.select(PartnerOrder.platform, PartnerOrder.external_id).group_by(
        PartnerOrder.platform, PartnerOrder.external_id).having(sa.func.count() > 1)).all()
    dup_checkout = db.session.execute(sa.select(Order.checkout_token, Order.koperasi_id).group_by(
        Order.checkout_token, Order.koperasi_id).having(sa.func.count() > 1)).all()
    sets = db.session.scalar(sa.select(sa.func.count(sa.distinct(Order.checkout_token))).where(
        Order.checkout_token.in_(tokens))) if tokens else 0
    lines.append(f"duplicates: {len(dup_partner)} partner orders imported twice, {len(dup_checkout)} checkouts with "
                 f"two orders for one koperasi; {len(tokens)} checkouts placed, {sets} order sets found")
    for platform, ids in placed.items():
        have = set(db.session.scalars(sa.select(PartnerOrder.external_id).where(
            PartnerOrder.platform == platform, PartnerOrder.external_id.in_(ids))).all()) if ids else set()
        lines.append(f"lost ({platform}): {len(set(ids) - have)} of {len(ids)} orders placed on the sandbox missing")
    lines.append("drift (reconcile once quiet): " + "; ".join(drift))
    paid = db.session.scalar(sa.select(sa.func.count()).select_from(Payment).where(
        Payment.checkout_token.in_(tokens), Payment.status == PaymentStatus.SUCCEEDED)) if tokens else 0
    lines.append(f"payments: {paid} of {len(tokens)} checkouts paid (pm_card_visa, localstripe webhook)")
    failed = db.session.execute(sa.select(ChannelSyncLog.code, sa.func.count()).where(~ChannelSyncLog.ok)
                                .group_by(ChannelSyncLog.code)).all()
    logged = db.session.scalar(sa.select(sa.func.count()).select_from(ChannelSyncLog))
    events = db.session.scalar(sa.select(sa.func.count()).select_from(ChannelEvent))
    by_code = ", ".join(f"{code or '?'} {n}" for code, n in failed) or "none"
    lines.append(f"partner sync: {logged} sync log rows, failed by code: {by_code}; {events} partner pushes stored")
    return lines + details


def listing_snapshot(account_id: int) -> dict:
    """Each listing's push record before the reconcile (which pushes a fix and overwrites it)."""
    import sqlalchemy as sa

    from marketplace.channels.models import ChannelListing
    from marketplace.extensions import db

    return {row.id: row for row in db.session.execute(sa.select(
        ChannelListing.id, ChannelListing.variant_id, ChannelListing.partner_sku, ChannelListing.last_pushed_value,
        ChannelListing.last_pushed_at, ChannelListing.push_requested, ChannelListing.push_done,
        ChannelListing.error_code).where(ChannelListing.account_id == account_id))}


def _t(moment) -> str:
    return moment.strftime("%H:%M:%S.%f")[:-3] if moment else "-"


def drift_details(account_id: int, report, before: dict) -> list[str]:
    """Per drifted listing: what the partner showed, what it should show, what we last pushed and when, the last
    local stock movements, the partner orders of its variant and when they were imported, its last sync log
    rows. Read after the reconcile, from the rows it wrote and the snapshot taken before it."""
    import sqlalchemy as sa

    from marketplace.channels.models import ChannelSyncLog, SyncKind
    from marketplace.extensions import db
    from marketplace.inventory.models import StockMovement
    from marketplace.orders.models import OrderLine, PartnerOrder

    rows = db.session.scalars(sa.select(ChannelSyncLog).where(
        ChannelSyncLog.account_id == account_id, ChannelSyncLog.kind == SyncKind.RECONCILE,
        ChannelSyncLog.code == "drift", ChannelSyncLog.created_at >= report.started_at)).all()
    out = []
    for row in rows:
        was = before[row.listing_id]
        out.append(f"drifted: account {account_id} listing {row.listing_id} ({was.partner_sku}, variant "
                   f"{was.variant_id}): partner shows {row.value}, expected {row.expected}; last pushed "
                   f"{was.last_pushed_value} at {_t(was.last_pushed_at)} (requested {was.push_requested}, done "
                   f"{was.push_done}, error {was.error_code or '-'})")
        for move in db.session.scalars(sa.select(StockMovement).where(StockMovement.variant_id == was.variant_id)
                                       .order_by(StockMovement.id.desc()).limit(4)):
            out.append(f"    stock {_t(move.created_at)} {move.reason} on hand {move.quantity_delta:+d} allocated "
                       f"{move.allocated_delta:+d} {move.reference}")
        for order in db.session.scalars(sa.select(PartnerOrder).join(OrderLine, OrderLine.order_id ==
                                                                     PartnerOrder.order_id).where(
                PartnerOrder.account_id == account_id, OrderLine.variant_id == was.variant_id)
                .order_by(PartnerOrder.id.desc()).limit(4)):
            out.append(f"    partner order {order.external_id} {order.partner_status} flag {order.flag or '-'} "
                       f"imported {_t(order.imported_at)} updated {_t(order.updated_at)} cancel asked "
                       f"{_t(order.cancel_requested_at)}")
        for log in reversed(db.session.scalars(sa.select(ChannelSyncLog).where(
                ChannelSyncLog.listing_id == row.listing_id).order_by(ChannelSyncLog.id.desc()).limit(6)).all()):
            out.append(f"    sync {_t(log.created_at)} {log.kind} value {log.value} expected {log.expected} "
                       f"{'ok' if log.ok else 'FAILED ' + log.code}")
    return out
