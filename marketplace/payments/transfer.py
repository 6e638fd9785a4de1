"""Manual bank transfer (``transfer``): the buyer transfers to the koperasi's own account and uploads a proof;
the koperasi's finance staff check their bank and confirm (the one way to paid, ``services.record_success``) or
reject with a reason (the buyer may upload again).

Offered for a cart from one koperasi that has a bank account. Picking it gives the buyer
``TRANSFER_PAYMENT_HOURS`` (default 24) to pay: the orders' payment deadline moves out. While a proof waits for
the koperasi, the orders have no deadline (``expire_unpaid`` leaves them alone); a rejection gives the buyer a
fresh deadline. Proofs (JPEG, PNG or PDF, capped like product photos) live outside the public media directory
and are served only to the buyer and the koperasi's finance staff. A paid transfer goes back by hand
(``gateway.ManualRefund``): finance staff transfer it back and confirm."""

import uuid
from datetime import timedelta
from pathlib import Path

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from marketplace.catalog.images import check_image
from marketplace.core.errors import NotFound, ValidationError
from marketplace.core.locking import lock_rows
from marketplace.core.timeutil import utcnow
from marketplace.core.urls import public_url
from marketplace.extensions import db
from marketplace.koperasi.audit import audit
from marketplace.koperasi.models import Membership
from marketplace.mail.services import queue_mail
from marketplace.orders import services as orders_service
from marketplace.orders.models import Order, OrderStatus
from marketplace.orders.notifications import ORDER_ROLES
from marketplace.payments import services
from marketplace.payments.gateway import ManualRefund
from marketplace.payments.koperasi_settings import FINANCE_ROLES, settings_of, staff_emails
from marketplace.payments.methods import Method, register
from marketplace.payments.models import Payment
from marketplace.payments.transfer_models import TransferProof

CODE = "transfer"
PROOF_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


def proof_dir() -> Path:
    """``TRANSFER_PROOF_DIR``, by default ``transfer-proofs/`` beside MEDIA_DIR (never served by /media/)."""
    configured = current_app.config.get("TRANSFER_PROOF_DIR")
    return Path(configured) if configured else Path(current_app.config["MEDIA_DIR"]).parent / "transfer-proofs"


def _unpaid(orders: list[Order]) -> list[Order]:
    return [order for order in orders if order.status == OrderStatus.UNPAID]


def unavailable(payment: Payment, orders: list[Order]) -> str | None:
    orders = _unpaid(orders)
    if not orders:
        return _("Pesanan ini tidak menunggu pembayaran.")
    if len({order.koperasi_id for order in orders}) != 1:
        return _("Transfer manual hanya untuk pesanan dari satu koperasi.")
    settings = settings_of(orders[0].koperasi_id)
    if settings is None or not settings.has_bank_account:
        return _("Transfer manual tidak tersedia: %(name)s belum mencantumkan rekening bank.",
                 name=orders[0].koperasi.name)
    return None


def start(payment: Payment, orders: list[Order]) -> None:
    """Shows the koperasi's account and the exact amount, and moves the deadline out (never in)."""
    orders = _unpaid(orders)
    settings = settings_of(orders[0].koperasi_id)
    due = utcnow() + timedelta(hours=current_app.config.get("TRANSFER_PAYMENT_HOURS", 24))
    for order in orders:
        orders_service.set_payment_due(order, max(due, order.payment_due_at or due))
    payment.details = {"bank": settings.bank_name, "account_number": settings.bank_account_number,
                       "account_holder": settings.bank_account_holder, "amount": payment.amount,
                       "koperasi": orders[0].koperasi.name}


def stop(payment: Payment) -> None:
    if waiting_proof(payment) is not None:
        raise services.PaymentFailed(_("Bukti transfer Anda sedang diperiksa koperasi. Tunggu hasilnya sebelum "
                                       "mengganti metode pembayaran."))


def refund(payment: Payment, amount: int, idempotency_key: str) -> str:
    raise ManualRefund(_("Dana transfer manual dikembalikan lewat transfer bank oleh staf keuangan koperasi."))


def proofs_of(payment: Payment) -> list[TransferProof]:
    return list(db.session.scalars(select(TransferProof).where(TransferProof.payment_id == payment.id)
                                   .order_by(TransferProof.id)))


def waiting_proof(payment: Payment) -> TransferProof | None:
    return db.session.scalar(select(TransferProof).where(TransferProof.payment_id == payment.id,
                                                         TransferProof.status == "waiting"))


def sniff(data: bytes) -> tuple[str, str]:
    """(content type, extension) of an acceptable proof, by its content: the product-photo checks (byte and
    pixel caps) for JPEG and PNG, the same byte cap for a PDF."""
    if not data:
        raise ValidationError(_("Pilih berkas bukti transfer."), field="proof")
    if data.startswith(b"%PDF-"):
        limit = current_app.config["MAX_IMAGE_BYTES"]
        if len(data) > limit:
            raise ValidationError(_("Ukuran berkas maksimal %(mb)s MB.", mb=limit // (1024 * 1024)), field="proof")
        return "application/pdf", "pdf"
    image = check_image(data, set(PROOF_TYPES), _("Bukti transfer harus berupa gambar JPEG/PNG atau PDF."),
                        field="proof")
    return PROOF_TYPES[image.format]


def submit_proof(payment: Payment, user_id: int, data: bytes) -> TransferProof:
    """The buyer's proof, checked before anything changes. The orders lose their deadline while it waits."""
    content_type, extension = sniff(data)
    (payment,) = lock_rows(Payment, [payment.id])
    if payment.method != CODE or not services.is_payable(payment):
        raise services.PaymentFailed(_("Pembayaran ini tidak menunggu bukti transfer."))
    if waiting_proof(payment) is not None:
        raise services.PaymentFailed(_("Bukti transfer Anda sudah dikirim dan sedang diperiksa koperasi."))
    # The orders too (after the payment, as ``record_success`` does): an expiry cancelling one right now either
    # finishes first (and the upload is refused) or waits and finds no deadline.
    orders = _unpaid(lock_rows(Order, [o.id for o in services.orders_of(payment)]))
    if not orders:
        raise services.PaymentFailed(_("Pembayaran ini tidak menunggu bukti transfer."))
    relative = f"{payment.id}/{uuid.uuid4().hex}.{extension}"
    target = proof_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    db.session.info.setdefault("new_transfer_proofs", []).append(target)  # removed again if this rolls back
    proof = TransferProof(payment_id=payment.id, koperasi_id=orders[0].koperasi_id, path=relative,
                          content_type=content_type, size_bytes=len(data), amount=payment.amount, status="waiting",
                          uploaded_by_id=user_id, uploaded_at=utcnow())
    db.session.add(proof)
    for order in orders:
        orders_service.set_payment_due(order, None)
    db.session.flush()
    _mail_staff(proof, orders[0])
    return proof


@event.listens_for(Session, "after_commit")
def _keep_new_proofs(session: Session) -> None:
    session.info.pop("new_transfer_proofs", None)


@event.listens_for(Session, "after_rollback")
def _remove_new_proofs(session: Session) -> None:
    for path in session.info.pop("new_transfer_proofs", None) or []:
        path.unlink(missing_ok=True)


def _mail_staff(proof: TransferProof, order: Order) -> None:
    emails = staff_emails(proof.koperasi_id, set(FINANCE_ROLES) | set(ORDER_ROLES))
    if emails:
        body = render_template("emails/transfer_proof_for_koperasi.txt", order=order, proof=proof,
                               link=public_url("seller.payments", slug=order.koperasi.slug))
        subject = _("Bukti transfer baru untuk pesanan %(number)s", number=order.number)
        for email in emails:
            queue_mail(email, subject, body)


def _mail_buyer(proof: TransferProof, confirmed: bool) -> None:
    orders = services.orders_of(proof.payment)
    if not orders or not orders[0].email:
        return
    body = render_template("emails/transfer_decided.txt", orders=orders, proof=proof, confirmed=confirmed,
                           link=public_url("payments.pay", token=proof.payment.checkout_token))
    subject = (_("Transfer Anda untuk pesanan %(number)s sudah dikonfirmasi", number=orders[0].number) if confirmed
               else _("Bukti transfer untuk pesanan %(number)s ditolak", number=orders[0].number))
    queue_mail(orders[0].email, subject, body)


def waiting_transfers(koperasi_id: int) -> list[TransferProof]:
    return list(db.session.scalars(select(TransferProof).where(TransferProof.koperasi_id == koperasi_id,
                                                               TransferProof.status == "waiting")
                                   .order_by(TransferProof.uploaded_at, TransferProof.id)))


def _locked_proof(proof: TransferProof) -> TransferProof:
    return lock_rows(TransferProof, [proof.id])[0]


def confirm(actor: Membership, proof: TransferProof) -> str:
    """The money is in the koperasi's account: the payment is paid, the orders go to *dikemas*. Twice (two staff,
    a double click) pays once: the proof row is locked and re-read first."""
    proof = _locked_proof(proof)
    if proof.status == "confirmed":
        return "already_confirmed"
    if proof.status != "waiting":
        raise ValidationError(_("Bukti transfer ini sudah ditolak; tunggu bukti baru dari pembeli."))
    outcome = services.record_success(proof.payment, proof.amount, proof.payment.currency)
    if outcome == "amount_mismatch":
        raise ValidationError(_("Jumlah bukti ini tidak sama dengan tagihan pembayaran."))
    proof.status, proof.decided_by_id, proof.decided_at = "confirmed", actor.user_id, utcnow()
    audit(actor, "payments.transfer_confirmed", _order_numbers(proof), amount=proof.amount, outcome=outcome)
    db.session.flush()
    _mail_buyer(proof, confirmed=True)
    return outcome


def reject(actor: Membership, proof: TransferProof, reason: str) -> TransferProof:
    """Not in the account (or the wrong amount): the buyer is told why by mail and gets a fresh deadline to
    upload another proof."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Tulis alasan penolakan untuk pembeli."), field="reason")
    proof = _locked_proof(proof)
    if proof.status != "waiting":
        raise ValidationError(_("Bukti transfer ini sudah diputuskan."))
    proof.status, proof.reason = "rejected", reason[:300]
    proof.decided_by_id, proof.decided_at = actor.user_id, utcnow()
    due = utcnow() + timedelta(hours=current_app.config.get("TRANSFER_PAYMENT_HOURS", 24))
    for order in lock_rows(Order, [o.id for o in services.orders_of(proof.payment)]):
        orders_service.set_payment_due(order, due)
    audit(actor, "payments.transfer_rejected", _order_numbers(proof), reason=proof.reason)
    db.session.flush()
    _mail_buyer(proof, confirmed=False)
    return proof


def _order_numbers(proof: TransferProof) -> str:
    return ", ".join(order.number for order in services.orders_of(proof.payment))


def proof_file(proof: TransferProof) -> Path:
    return proof_dir() / proof.path


def proof_for_buyer(payment: Payment, proof_id: int) -> TransferProof:
    proof = db.session.get(TransferProof, proof_id) if isinstance(proof_id, int) and proof_id < 2**31 else None
    if proof is None or proof.payment_id != payment.id:
        raise NotFound(_("Bukti transfer tidak ditemukan."))
    return proof


def register_methods() -> None:
    register(Method(code=CODE, label=_l("Transfer bank manual"), group="transfer", gateway="manual",
                    template="payments/methods/transfer.html", unavailable=unavailable, start=start, stop=stop,
                    refund=refund, hint=_l("Transfer ke rekening koperasi, lalu unggah bukti")))

