"""Seller-dashboard fixtures: two koperasi with one of everything, members in every role, and helpers for
CSRF-protected requests and for proving that nothing changed."""

import io
import itertools
import re
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from marketplace.bulk.models import ImportJob
from marketplace.catalog import services as catalog
from marketplace.catalog.images import add_product_image
from marketplace.catalog.models import Certification, CertificationKind, Product, ProductImage, Variant
from marketplace.channels.models import ChannelAccount, ChannelListing, MatchState
from marketplace.inventory.models import MovementReason, Stock, StockMovement, Warehouse
from marketplace.inventory.services import create_warehouse, set_stock
from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import AuditEntry, Invitation, Membership, Role
from marketplace.orders.models import Order
from marketplace.payments.models import Payment, Refund
from marketplace.payments.transfer_models import KoperasiPaymentSettings, TransferProof


def png_bytes(size=(40, 30), color=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def make_paid_order(variant, quantity: int = 1, *, paid: bool = True, number: str | None = None,
                    recipient: str = "Siti Aminah"):
    """An order as checkout leaves it: one line, stock allocated through inventory, paid (dikemas) or not."""
    from marketplace.extensions import db
    from marketplace.inventory.services import LineRequest, allocate_lines
    from marketplace.orders import services as order_services
    from marketplace.orders.models import Order, OrderLine

    number = number or f"OP{next(_orders):08d}"
    order = Order(number=number, checkout_token=f"tok-{number}", koperasi_id=variant.koperasi_id,
                  email=f"{recipient.split()[0].lower()}@pembeli.opop.id",
                  address={"recipient": recipient, "phone": "+6281234567890", "street": "Jl. Pesantren 1",
                           "region_code": "kota-surabaya", "postal_code": "60244"},
                  courier="jne", subtotal=variant.price * quantity, shipping_cost=10000,
                  total=variant.price * quantity + 10000, weight_grams=variant.weight_grams * quantity)
    order.lines.append(OrderLine(variant_id=variant.id, product_name=variant.product.name, variant_label=variant.label,
                                 sku=variant.sku, unit_price=variant.price, quantity=quantity,
                                 weight_grams=variant.weight_grams))
    db.session.add(order)
    db.session.flush()
    order_services.record_created(order)
    allocate_lines([LineRequest(variant.id, quantity, order.lines[0].id)], reference=number)
    if paid:
        order_services.mark_paid(order)
    db.session.flush()
    return order


_orders = itertools.count(1)


class Shop:
    """One koperasi with one of everything a seller route can name: product, variant, image, certificate,
    member, invitation, import job, warehouse (with stock) and a paid order."""

    def __init__(self, koperasi, product, variant, image, certification, invitation, job, owner, extra_member,
                 warehouse, order, channel_account=None, channel_listing=None):
        self.koperasi, self.product, self.variant, self.image = koperasi, product, variant, image
        self.certification, self.invitation, self.job, self.owner = certification, invitation, job, owner
        self.member, self.warehouse, self.order = extra_member, warehouse, order
        self.channel_account, self.channel_listing = channel_account, channel_listing
        self.proof = self.refund = None  # payment rows, made by ``add_payment_rows``

    def ids(self) -> dict:
        """URL argument name -> this shop's id, for every kind of id a seller route may take."""
        return {
            "product_id": self.product.id, "variant_id": self.variant.id, "image_id": self.image.id,
            "certification_id": self.certification.id, "member_id": self.member.id,
            "invitation_id": self.invitation.id, "job_id": self.job.id, "warehouse_id": self.warehouse.id,
            "number": self.order.number, "account_id": self.channel_account.id,
            "listing_id": self.channel_listing.id,
            "proof_id": self.proof.id if self.proof else 0, "refund_id": self.refund.id if self.refund else 0,
        }


def add_payment_rows(shop: Shop) -> Shop:
    """Bank account and COD settings, a transfer proof waiting for the koperasi, and a refund waiting to be
    transferred back by hand, each on an order of its own."""
    from marketplace.extensions import db
    from marketplace.orders import services as order_services
    from marketplace.payments import transfer
    from marketplace.payments.models import Payment, PaymentStatus, Refund
    from marketplace.payments.transfer_models import KoperasiPaymentSettings

    db.session.add(KoperasiPaymentSettings(koperasi_id=shop.koperasi.id, cod_enabled=True, cod_max_amount=500000,
                                           bank_name="BCA", bank_account_number=f"88{shop.koperasi.id:08d}",
                                           bank_account_holder=shop.koperasi.name))

    def paid_by_transfer(order, status):
        payment = Payment(checkout_token=order.checkout_token, amount=order.total, method="transfer",
                          gateway="manual", status=status)
        db.session.add(payment)
        db.session.flush()
        order.payment_id = payment.id
        db.session.flush()
        return payment

    waiting = make_paid_order(shop.variant, 1, paid=False, recipient="Pembeli Transfer")
    shop.proof = transfer.submit_proof(paid_by_transfer(waiting, PaymentStatus.PENDING), shop.owner.id, png_bytes())
    cancelled = make_paid_order(shop.variant, 1, recipient="Pembeli Refund")
    payment = paid_by_transfer(cancelled, PaymentStatus.SUCCEEDED)
    order_services.request_refund(cancelled, "Dibatalkan koperasi")
    shop.refund = Refund(payment_id=payment.id, order_id=cancelled.id, amount=cancelled.total, status="manual",
                         attempts=1, last_error="Dana transfer manual dikembalikan lewat transfer bank.")
    db.session.add(shop.refund)
    db.session.commit()
    return shop


_emails = itertools.count(1)


@pytest.fixture
def make_staff(make_user):
    """A staff member with a unique email."""
    def make(name: str = "Staf Koperasi"):
        return make_user(email=f"staf{next(_emails)}@koperasi.opop.id", name=name)

    return make


@pytest.fixture
def make_shop(db, make_koperasi, make_staff, make_product):
    def make(name: str | None = None, owner=None) -> Shop:
        owner = owner or make_staff(name="Pemilik")
        koperasi = make_koperasi(name=name, owner=owner)
        product = make_product(koperasi=koperasi, prices=(25000, 30000))
        variant = product.variants[0]
        image = add_product_image(product, png_bytes())
        cert = catalog.set_certification(product, CertificationKind.HALAL, "ID35110000123456",
                                         date.today() + timedelta(days=400))
        member = koperasi_services.add_member(koperasi, make_staff(name="Staf Katalog"), Role.CATALOG)
        invitation = Invitation(koperasi_id=koperasi.id, email=f"calon{koperasi.id}@uji.test", role=Role.STOCK)
        job = ImportJob(koperasi_id=koperasi.id, user_id=owner.id, filename="lama.csv", content=b"")
        db.session.add_all([invitation, job])
        warehouse = create_warehouse(koperasi, "Gudang Pondok")
        for v in product.variants:
            set_stock(v, warehouse, 20, reason=MovementReason.INITIAL)
        order = make_paid_order(variant, 2)
        account = ChannelAccount(koperasi_id=koperasi.id, platform="shopee", shop_id=f"{koperasi.id}00")
        listing = ChannelListing(account=account, item_id="1", model_id="0", partner_sku=variant.sku,
                                 variant_id=variant.id, match_state=MatchState.AUTO)
        db.session.add_all([account, listing])
        db.session.commit()
        return Shop(koperasi, product, variant, image, cert, invitation, job, owner, member, warehouse, order,
                    account, listing)

    return make


@pytest.fixture
def csrf(app, client):
    """Turns CSRF protection on for this test and returns a function giving a valid token for the client's
    session (read from a rendered form, exactly as a browser gets it)."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        def token(path: str = "/masuk") -> str:
            html = client.get(path).get_data(as_text=True)
            match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
            assert match, f"no CSRF token on {path}"
            return match.group(1)

        yield token
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def fingerprint(db) -> tuple:
    """Everything a seller action could change, as plain values: equal fingerprints mean nothing changed."""
    def rows(model, *columns):
        return tuple(db.session.execute(select(*columns).order_by(model.id)).all())

    db.session.expire_all()
    return (
        rows(Product, Product.id, Product.name, Product.status, Product.description, Product.category_id,
             Product.koperasi_id),
        rows(Variant, Variant.id, Variant.sku, Variant.price, Variant.weight_grams, Variant.is_active, Variant.name,
             Variant.low_stock_threshold),
        rows(Warehouse, Warehouse.id, Warehouse.name, Warehouse.is_active, Warehouse.region_code),
        rows(Stock, Stock.id, Stock.quantity, Stock.quantity_allocated),
        rows(StockMovement, StockMovement.id),
        rows(Order, Order.id, Order.status, Order.packed_at, Order.courier, Order.tracking_number),
        rows(ProductImage, ProductImage.id, ProductImage.position, ProductImage.product_id),
        rows(Certification, Certification.id, Certification.number, Certification.valid_until),
        rows(Membership, Membership.id, Membership.role, Membership.koperasi_id),
        rows(Invitation, Invitation.id, Invitation.revoked_at, Invitation.accepted_at),
        rows(ImportJob, ImportJob.id, ImportJob.status),
        rows(Payment, Payment.id, Payment.status, Payment.method, Payment.amount),
        rows(Refund, Refund.id, Refund.status),
        rows(TransferProof, TransferProof.id, TransferProof.status),
        tuple(db.session.execute(select(KoperasiPaymentSettings.koperasi_id, KoperasiPaymentSettings.cod_enabled,
                                        KoperasiPaymentSettings.cod_max_amount,
                                        KoperasiPaymentSettings.bank_account_number)
                                 .order_by(KoperasiPaymentSettings.koperasi_id)).all()),
        rows(AuditEntry, AuditEntry.id),  # last: some tests compare everything but the audit log
    )


@pytest.fixture
def snapshot(db):
    return lambda: fingerprint(db)
