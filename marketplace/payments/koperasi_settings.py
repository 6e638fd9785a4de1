"""A koperasi's payment settings: cash on delivery (on/off, up to a maximum order value) and the bank account
buyers transfer to by hand. Changed by the owner, admins and finance staff; every change is in the audit log."""

import re

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.errors import ValidationError
from marketplace.core.numbers import MAX_PRICE
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.koperasi.audit import audit
from marketplace.koperasi.models import Membership, Role
from marketplace.payments.transfer_models import KoperasiPaymentSettings

# Banks a koperasi's account may be at (the ones East Java's pesantren cooperatives bank with).
BANKS = ("BCA", "BNI", "BRI", "Mandiri", "BSI (Bank Syariah Indonesia)", "Bank Jatim", "Bank Jatim Syariah",
         "Bank Muamalat", "CIMB Niaga", "Permata", "BTN", "Danamon", "BPR/BPRS")
# Who manages payment settings, waiting transfers and manual refunds (besides the owner).
FINANCE_ROLES = (Role.OWNER, Role.ADMIN, Role.FINANCE)
_FIELDS = ("cod_enabled", "cod_max_amount", "bank_name", "bank_account_number", "bank_account_holder")


def settings_of(koperasi_id: int) -> KoperasiPaymentSettings | None:
    return db.session.get(KoperasiPaymentSettings, koperasi_id)


def settings_by_koperasi(koperasi_ids: list[int]) -> dict[int, KoperasiPaymentSettings]:
    rows = db.session.scalars(select(KoperasiPaymentSettings)
                              .where(KoperasiPaymentSettings.koperasi_id.in_(koperasi_ids)))
    return {row.koperasi_id: row for row in rows}


def _clean(cod_enabled: bool, cod_max_amount: int | None, bank_name: str, bank_account_number: str,
           bank_account_holder: str) -> dict:
    bank_name = (bank_name or "").strip()
    number = re.sub(r"[\s.-]", "", bank_account_number or "")
    holder = " ".join((bank_account_holder or "").split())
    if cod_enabled and cod_max_amount is None:
        raise ValidationError(_("Isi batas nilai pesanan COD."), field="cod_max_amount")
    if cod_max_amount is not None and not 10_000 <= cod_max_amount <= MAX_PRICE:
        raise ValidationError(_("Batas COD antara Rp 10.000 dan Rp 1.000.000.000."), field="cod_max_amount")
    if any((bank_name, number, holder)):
        if bank_name not in BANKS:
            raise ValidationError(_("Pilih bank dari daftar."), field="bank_name")
        if not re.fullmatch(r"\d{6,20}", number):
            raise ValidationError(_("Nomor rekening harus 6–20 digit angka."), field="bank_account_number")
        if not 3 <= len(holder) <= 120:
            raise ValidationError(_("Isi nama pemilik rekening (3–120 huruf)."), field="bank_account_holder")
    return {"cod_enabled": bool(cod_enabled), "cod_max_amount": cod_max_amount, "bank_name": bank_name or None,
            "bank_account_number": number or None, "bank_account_holder": holder or None}


def update_settings(actor: Membership, *, cod_enabled: bool, cod_max_amount: int | None, bank_name: str = "",
                    bank_account_number: str = "", bank_account_holder: str = "") -> KoperasiPaymentSettings:
    """Validates everything before changing anything; the audit entry lists what changed (old and new)."""
    values = _clean(cod_enabled, cod_max_amount, bank_name, bank_account_number, bank_account_holder)
    settings = settings_of(actor.koperasi_id)
    if settings is None:
        settings = KoperasiPaymentSettings(koperasi_id=actor.koperasi_id, cod_enabled=False)
        db.session.add(settings)
    changes = {field: [getattr(settings, field), value] for field, value in values.items()
               if getattr(settings, field) != value}
    if changes:
        for field, (_old, new) in changes.items():
            setattr(settings, field, new)
        settings.updated_at = utcnow()
        audit(actor, "payments.settings", actor.koperasi.name, changes=changes)
    db.session.flush()
    return settings


def staff_emails(koperasi_id: int, roles) -> list[str]:
    """The addresses of the koperasi's members in these roles, each once."""
    from marketplace.accounts.models import User

    emails = db.session.scalars(
        select(User.email).join(Membership, Membership.user_id == User.id)
        .where(Membership.koperasi_id == koperasi_id, Membership.role.in_(list(roles))).order_by(User.email)).all()
    return list(dict.fromkeys(emails))


def seed_payment_settings(koperasi, products, rng) -> None:
    """Demo step: every demo koperasi takes COD up to Rp 1.000.000 and has a bank account for manual transfers."""
    if settings_of(koperasi.id) is not None:
        return
    db.session.add(KoperasiPaymentSettings(
        koperasi_id=koperasi.id, cod_enabled=True, cod_max_amount=1_000_000, bank_name=BANKS[koperasi.id % 6],
        bank_account_number=str(7_100_000_000 + koperasi.id * 7919),  # from the id: the others' rng is untouched
        bank_account_holder=koperasi.name[:120]))
    db.session.flush()
