"""Manual bank transfer: offered for a one-koperasi cart with a bank account; picking it shows the account and
the exact amount and moves the deadline out; a proof (JPEG/PNG/PDF, capped like product photos) stops the clock
until finance staff confirm (paid once, however often confirmed) or reject with a reason (the buyer is mailed,
gets a fresh deadline and may upload again); a paid transfer's refund waits for finance staff to send it back."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from marketplace.core.errors import ValidationError
from marketplace.core.timeutil import utcnow
from marketplace.koperasi.models import AuditEntry, Membership, Role
from marketplace.orders import services as orders
from marketplace.orders.models import OrderStatus
from marketplace.outbox.models import OutboxEvent
from marketplace.payments import manual_refunds, refunds, services, transfer
from marketplace.payments.models import PaymentStatus
from marketplace.payments.tasks import refund_order
from marketplace.payments.transfer_models import TransferProof
from tests.mail import sent_mail
from tests.payments.cod_transfer_fixtures import accept
from tests.seller_fixtures import png_bytes

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _member(db, shop) -> Membership:
    return db.session.scalar(select(Membership).where(Membership.koperasi_id == shop.koperasi.id,
                                                      Membership.user_id == shop.owner.id))


def _paid_events(db, order_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxEvent).where(
        OutboxEvent.topic == "order.paid", OutboxEvent.payload["order_id"].as_integer() == order_id))


def _proof_files(app) -> list[Path]:
    return [p for p in transfer_dir(app).rglob("*") if p.is_file()] if transfer_dir(app).exists() else []


def transfer_dir(app) -> Path:
    return Path(app.config["MEDIA_DIR"]).parent / "transfer-proofs"


def test_transfer_is_offered_for_one_koperasi_with_a_bank_account(db, make_shop, make_cart):
    kita, tetangga = make_shop("Koppontren Kita"), make_shop("Koppontren Tetangga")
    payment, (order,), _buyer = make_cart(kita)
    assert transfer.unavailable(payment, [order]) == ("Transfer manual tidak tersedia: Koppontren Kita belum "
                                                      "mencantumkan rekening bank.")
    accept(db, kita, cod=False)
    assert transfer.unavailable(payment, [order]) is None
    accept(db, tetangga)
    two, both, _buyer = make_cart(kita, tetangga)
    assert "satu koperasi" in transfer.unavailable(two, both)
    with pytest.raises(services.PaymentFailed, match="satu koperasi"):
        services.choose_method(two, "transfer")


def test_picking_transfer_shows_the_account_and_amount_and_moves_the_deadline_out(app, db, make_shop, make_cart):
    shop = make_shop()
    accept(db, shop)
    payment, (order,), _buyer = make_cart(shop)
    services.choose_method(payment, "transfer")
    db.session.commit()
    assert payment.details["bank"] == "BCA" and payment.details["account_number"] == "8831234567"
    assert payment.details["amount"] == payment.amount == order.total
    hours = app.config["TRANSFER_PAYMENT_HOURS"]
    assert hours == 24
    assert abs(order.payment_due_at - (utcnow() + timedelta(hours=hours))) < timedelta(minutes=1)


@pytest.mark.parametrize("data, config, message", [
    (b"bukan gambar sama sekali", {}, "JPEG/PNG atau PDF"),
    ("webp", {}, "JPEG/PNG atau PDF"),
    (png_bytes(), {"MAX_IMAGE_BYTES": 50}, "maksimal"),
    (PDF * 4, {"MAX_IMAGE_BYTES": 100}, "maksimal"),
    (png_bytes((200, 200)), {"MAX_IMAGE_PIXELS": 10_000}, "megapiksel"),
    (b"", {}, "Pilih berkas"),
])
def test_a_bad_proof_is_refused_and_nothing_changes(app, db, make_shop, make_cart, data, config, message):
    if data == "webp":
        out = io.BytesIO()
        Image.new("RGB", (20, 20)).save(out, "WEBP")
        data = out.getvalue()
    shop = make_shop()
    accept(db, shop)
    payment, (order,), _buyer = make_cart(shop)
    services.choose_method(payment, "transfer")
    db.session.commit()
    due, files = order.payment_due_at, _proof_files(app)
    saved = {key: app.config[key] for key in config}
    app.config.update(config)
    try:
        with pytest.raises(ValidationError, match=message):
            transfer.submit_proof(payment, order.user_id, data)
    finally:
        app.config.update(saved)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(TransferProof)) == 0
    assert order.payment_due_at == due and _proof_files(app) == files


def test_transfer_lifecycle_reject_reupload_confirm_once(app, db, make_shop, make_cart, make_staff):
    from marketplace.koperasi import services as koperasi_services

    shop = make_shop()
    finance = make_staff(name="Bendahara")
    koperasi_services.add_member(shop.koperasi, finance, Role.FINANCE)
    accept(db, shop)
    payment, (order,), buyer = make_cart(shop)
    services.choose_method(payment, "transfer")
    db.session.commit()
    before = len(sent_mail(app))

    first = transfer.submit_proof(payment, buyer.id, png_bytes())
    db.session.commit()
    assert first.status == "waiting" and order.payment_due_at is None
    assert transfer.proof_file(first).read_bytes() == png_bytes()
    staff_mail = [m for m in sent_mail(app)[before:] if "Bukti transfer baru" in m.subject]
    assert {m.to[0] for m in staff_mail} == {shop.owner.email, finance.email}
    assert orders.expire_unpaid(utcnow() + timedelta(days=7)) == []  # no expiry while the proof waits
    with pytest.raises(services.PaymentFailed, match="sedang diperiksa"):
        transfer.submit_proof(payment, buyer.id, png_bytes())
    with pytest.raises(services.PaymentFailed, match="sedang diperiksa"):
        services.choose_method(payment, "card")  # switching away would let the buyer pay twice
    db.session.rollback()

    finance_member = db.session.scalar(select(Membership).where(Membership.user_id == finance.id))
    with pytest.raises(ValidationError, match="alasan"):
        transfer.reject(finance_member, first, "   ")
    transfer.reject(finance_member, first, "Dana belum masuk ke rekening BCA")
    db.session.commit()
    assert first.status == "rejected" and order.status == OrderStatus.UNPAID
    assert order.payment_due_at > utcnow() + timedelta(hours=23)
    rejected = [m for m in sent_mail(app)[before:] if "ditolak" in m.subject]
    assert rejected[0].to == [buyer.email] and "Dana belum masuk ke rekening BCA" in rejected[0].body
    with pytest.raises(ValidationError):
        transfer.confirm(finance_member, first)  # a rejected proof cannot be confirmed afterwards

    second = transfer.submit_proof(payment, buyer.id, PDF)
    db.session.commit()
    assert second.content_type == "application/pdf" and order.payment_due_at is None
    assert transfer.confirm(finance_member, second) == "paid"
    db.session.commit()
    assert transfer.confirm(_member(db, shop), second) == "already_confirmed"  # a second click, another person
    db.session.commit()
    assert payment.status == PaymentStatus.SUCCEEDED and order.status == OrderStatus.PACKING
    assert _paid_events(db, order.id) == 1
    confirmed = [m for m in sent_mail(app)[before:] if "dikonfirmasi" in m.subject]
    assert len(confirmed) == 1 and confirmed[0].to == [buyer.email]
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.koperasi_id == shop.koperasi.id)).all()
    assert actions.count("payments.transfer_confirmed") == 1 and "payments.transfer_rejected" in actions


def test_an_unconfirmed_transfer_expires_like_any_unpaid_order(db, make_shop, make_cart):
    shop = make_shop()
    accept(db, shop)
    payment, (order,), _buyer = make_cart(shop)
    services.choose_method(payment, "transfer")
    db.session.commit()
    assert orders.expire_unpaid(utcnow() + timedelta(hours=2)) == []  # the transfer's 24 hours, not the hour
    assert orders.expire_unpaid(utcnow() + timedelta(hours=25)) == [order.number]


def test_a_paid_transfer_is_refunded_by_finance_staff_by_hand(db, make_shop, make_cart):
    from marketplace.orders import desk

    shop = make_shop()
    accept(db, shop)
    payment, (order,), buyer = make_cart(shop)
    services.choose_method(payment, "transfer")
    proof = transfer.submit_proof(payment, buyer.id, png_bytes())
    transfer.confirm(_member(db, shop), proof)
    db.session.commit()
    desk.cancel(_member(db, shop), order, "Stok habis")
    db.session.commit()
    refund_order(order.id)
    refund = refunds.refund_of_order(order.id)
    assert refund.status == "manual" and "staf keuangan" in refund.last_error
    assert manual_refunds.waiting(shop.koperasi.id) == [(refund, order)]
    assert manual_refunds.confirm(_member(db, shop), refund, "BCA ref 991") is True
    db.session.commit()
    assert order.status == OrderStatus.REFUNDED and manual_refunds.waiting(shop.koperasi.id) == []


def test_a_proof_whose_transaction_rolls_back_leaves_no_file(db, make_shop, make_cart):
    shop = make_shop()
    accept(db, shop)
    payment, (order,), buyer = make_cart(shop)
    services.choose_method(payment, "transfer")
    db.session.commit()
    proof = transfer.submit_proof(payment, buyer.id, png_bytes())
    path = transfer.proof_file(proof)
    assert path.exists()
    db.session.rollback()
    assert not path.exists() and db.session.scalar(select(func.count()).select_from(TransferProof)) == 0
