"""Bank virtual accounts, QRIS and GoPay through the Midtrans-shaped gateway: the methods' start (a charge),
stop (cancel it at the gateway), refresh (a server-side status check) and refund (QRIS/GoPay through the API;
a VA's money goes back by a bank transfer that finance staff make, ``gateway.ManualRefund``).

Each start opens a new charge with its own gateway order id (``opop-<payment>-<random>``), so switching methods
never reuses one; it expires when the orders' payment deadline does (``custom_expiry``)."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.core.timeutil import utcnow
from marketplace.core.urls import public_url
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments import midtrans
from marketplace.payments.gateway import ManualRefund
from marketplace.payments.methods import Method, register
from marketplace.payments.models import GatewayCharge, Payment
from marketplace.payments.services import PaymentFailed

WIB = ZoneInfo("Asia/Jakarta")
MIN_SECONDS_LEFT = 120  # a VA that expires before the buyer can reach a bank app is no offer
API_REFUNDABLE = ("qris", "gopay")


@dataclass(frozen=True)
class Channel:
    code: str
    label: str
    group: str  # va | qris | ewallet
    payment_type: str
    bank: str = ""  # bca | bni | bri for bank_transfer; the bank's name for the page
    bank_name: str = ""


CHANNELS = (
    Channel("va_bca", _l("Virtual Account BCA"), "va", "bank_transfer", "bca", "BCA"),
    Channel("va_bni", _l("Virtual Account BNI"), "va", "bank_transfer", "bni", "BNI"),
    Channel("va_bri", _l("Virtual Account BRI"), "va", "bank_transfer", "bri", "BRI"),
    Channel("va_mandiri", _l("Mandiri Bill Payment"), "va", "echannel", "mandiri", "Mandiri"),
    Channel("va_permata", _l("Virtual Account Permata"), "va", "permata", "permata", "Permata"),
    Channel("qris", _l("QRIS"), "qris", "qris"),
    Channel("gopay", _l("GoPay"), "ewallet", "gopay"),
)
BY_CODE = {channel.code: channel for channel in CHANNELS}


def _unpaid(orders: list[Order]) -> list[Order]:
    return [order for order in orders if order.status == OrderStatus.UNPAID]


def deadline(orders: list[Order]) -> datetime | None:
    dues = [order.payment_due_at for order in _unpaid(orders) if order.payment_due_at]
    return min(dues) if dues else None


def unavailable(payment: Payment, orders: list[Order]) -> str | None:
    if not midtrans.enabled():
        return _("Belum tersedia.")
    due = deadline(orders)
    if due is not None and (due - utcnow()).total_seconds() < MIN_SECONDS_LEFT:
        return _("Waktu pembayaran hampir habis.")
    return None


def _expiry_utc(raw: dict, fallback: datetime) -> datetime:
    try:
        local = datetime.strptime(str(raw.get("expiry_time")), "%Y-%m-%d %H:%M:%S").replace(tzinfo=WIB)
    except ValueError:
        return fallback
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _details(channel: Channel, charge: GatewayCharge, raw: dict) -> dict:
    details = {"charge": charge.order_ref, "transaction_id": charge.transaction_id, "group": channel.group,
               "bank": channel.bank_name, "expires_at": charge.expires_at.isoformat(), "amount": charge.amount}
    if channel.payment_type == "bank_transfer":
        numbers = raw.get("va_numbers") or [{}]
        details["va_number"] = str(numbers[0].get("va_number") or "")
    elif channel.payment_type == "permata":
        details["va_number"] = str(raw.get("permata_va_number") or "")
    elif channel.payment_type == "echannel":
        details["va_number"] = str(raw.get("bill_key") or "")
        details["biller_code"] = str(raw.get("biller_code") or "")
    else:
        details["qr_string"] = str(raw.get("qr_string") or "")
    return details


def _charge_body(channel: Channel, order_ref: str, payment: Payment, orders: list[Order], seconds: int) -> dict:
    first = orders[0] if orders else None
    body = {"payment_type": channel.payment_type,
            "transaction_details": {"order_id": order_ref, "gross_amount": payment.amount},
            "custom_expiry": {"expiry_duration": seconds, "unit": "second"},
            "customer_details": {"email": first.email if first else "",
                                 "first_name": str((first.address or {}).get("recipient", ""))[:50] if first else ""}}
    if channel.payment_type == "bank_transfer":
        body["bank_transfer"] = {"bank": channel.bank}
    elif channel.payment_type == "echannel":
        body["echannel"] = {"bill_info1": "Pembayaran:", "bill_info2": "OPOP Marketplace"}
    elif channel.payment_type == "qris":
        body["qris"] = {"acquirer": "gopay"}
    return body


def start(payment: Payment, orders: list[Order]) -> None:
    """Opens a charge (no row locked: ``choose_method`` holds none). A gateway failure raises ``GatewayError``
    and the request rolls back: the buyer sees the old state and a message."""
    channel = BY_CODE[payment.method]
    due = deadline(orders) or utcnow() + timedelta(days=1)
    seconds = int((due - utcnow()).total_seconds())
    if seconds < MIN_SECONDS_LEFT:
        raise PaymentFailed(_("Waktu pembayaran hampir habis."))
    order_ref = f"opop-{payment.id}-{secrets.token_hex(5)}"
    body = _charge_body(channel, order_ref, payment, orders, seconds)
    transaction = midtrans.client().charge(body, public_url("payments_midtrans.webhook"))
    if transaction.order_id != order_ref or transaction.amount != payment.amount:
        raise midtrans.MidtransError("the gateway answered for another charge")
    charge = GatewayCharge(payment_id=payment.id, gateway="midtrans", order_ref=order_ref,
                           transaction_id=transaction.transaction_id or None, method=channel.code,
                           amount=payment.amount, status=transaction.status or "pending",
                           expires_at=_expiry_utc(transaction.raw, due))
    db.session.add(charge)
    db.session.flush()
    payment.details = _details(channel, charge, transaction.raw)


def current_charge(payment: Payment) -> GatewayCharge | None:
    ref = (payment.details or {}).get("charge")
    return db.session.scalar(select(GatewayCharge).where(GatewayCharge.order_ref == ref)) if ref else None


def stop(payment: Payment) -> None:
    """The buyer switches away: the pending charge is cancelled at the gateway first, so that it can no longer be
    paid. If it was paid in the meantime, the switch is refused (the status check on the page records it).
    Nothing is written here: the row stays unlocked while the next method's charge is opened, and the gateway's
    cancel notification records the new state (a charge no longer current changes nothing else)."""
    charge = current_charge(payment)
    if charge is None or charge.status != "pending":
        return
    try:
        midtrans.client().cancel(charge.order_ref)
    except midtrans.MidtransError as error:
        if error.status_code == "404":
            return  # never reached the gateway: nothing to cancel
        if error.status_code != "412":
            raise
        if midtrans.client().status(charge.order_ref).paid:
            raise PaymentFailed(_("Pembayaran dengan metode sebelumnya sudah masuk. Muat ulang halaman ini.")) \
                from error
        # already expired or cancelled at the gateway: nothing left to stop


def refresh(payment: Payment) -> None:
    from marketplace.payments.midtrans_events import apply_transaction

    charge = current_charge(payment)
    if charge is None or charge.status not in ("pending",):
        return
    apply_transaction(midtrans.client().status(charge.order_ref), source="status")


def paid_charge(payment: Payment) -> GatewayCharge | None:
    return db.session.scalar(select(GatewayCharge).where(GatewayCharge.payment_id == payment.id,
                                                         GatewayCharge.outcome == "paid"))


def refund(payment: Payment, amount: int, idempotency_key: str) -> str:
    """An order's money back: QRIS and GoPay through the API (the refund key makes a retry return the first
    refund); a virtual account's by a bank transfer that finance staff make."""
    charge = paid_charge(payment)
    if charge is None:
        raise midtrans.MidtransError("no settled charge for this payment")
    if charge.method not in API_REFUNDABLE:
        raise ManualRefund(_("Dana dari virtual account dikembalikan lewat transfer bank oleh staf keuangan; "
                             "minta nomor rekening pembeli."))
    body = midtrans.client().refund(charge.order_ref, amount, idempotency_key, "OPOP order refund")
    return str(body.get("refund_chargeback_id") or body.get("refund_key") or idempotency_key)


def register_methods() -> None:
    hints = {"va": _l("Bayar lewat ATM, m-banking atau internet banking"),
             "qris": _l("Scan dengan aplikasi bank atau e-wallet apa pun"),
             "ewallet": _l("Scan dengan aplikasi Gojek/GoPay")}
    for channel in CHANNELS:
        template = "payments/methods/va.html" if channel.group == "va" else "payments/methods/qris.html"
        register(Method(code=channel.code, label=channel.label, group=channel.group, gateway="midtrans",
                        template=template, unavailable=unavailable, start=start, stop=stop, refresh=refresh,
                        refund=refund, hint=hints[channel.group]))


def parse_time(value: str | None) -> datetime | None:
    """Template filter ``isotime``: a stored ISO time (naive UTC) back to a datetime for ``localtime``."""
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
