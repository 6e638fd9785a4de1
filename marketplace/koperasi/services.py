"""Koperasi (sellers): registration data, verification by the OPOP team, membership and access."""

import re

from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.errors import NoAccess, NotFound, ValidationError
from marketplace.core.regions import REGIONS_BY_CODE
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi, Membership, Pesantren, Role, VerificationStatus
from marketplace.outbox.services import record

_TRANSITIONS = {
    VerificationStatus.DRAFT: {VerificationStatus.SUBMITTED},
    VerificationStatus.SUBMITTED: {VerificationStatus.VERIFIED, VerificationStatus.DRAFT},
    VerificationStatus.VERIFIED: {VerificationStatus.SUSPENDED},
    VerificationStatus.SUSPENDED: {VerificationStatus.VERIFIED},
}


def unique_slug(model, text: str) -> str:
    base = slugify(text)[:150] or "item"
    slug, n = base, 1
    while db.session.scalar(select(func.count()).select_from(model).where(model.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_region(region_code: str) -> None:
    if region_code not in REGIONS_BY_CODE:
        raise ValidationError(_("Kabupaten/kota tidak dikenal."), field="region_code")


def create_pesantren(name: str, region_code: str, **fields) -> Pesantren:
    _check_region(region_code)
    pesantren = Pesantren(name=name, slug=unique_slug(Pesantren, name), region_code=region_code, **fields)
    db.session.add(pesantren)
    db.session.flush()
    return pesantren


def validate_legal_numbers(nib: str, npwp: str | None) -> None:
    if not re.fullmatch(r"\d{13}", nib or ""):
        raise ValidationError(_("NIB harus 13 digit angka."), field="nib")
    if npwp and not re.fullmatch(r"\d{15,16}", npwp):
        raise ValidationError(_("NPWP harus 15 atau 16 digit angka."), field="npwp")
    if db.session.scalar(select(Koperasi.id).where(Koperasi.nib == nib)):
        raise ValidationError(_("NIB ini sudah dipakai koperasi lain."), field="nib")


def create_koperasi(
    pesantren: Pesantren, name: str, nib: str, legal_entity_number: str, region_code: str, **fields
) -> Koperasi:
    _check_region(region_code)
    validate_legal_numbers(nib, fields.get("npwp"))
    koperasi = Koperasi(
        pesantren=pesantren,
        name=name,
        slug=unique_slug(Koperasi, name),
        nib=nib,
        legal_entity_number=legal_entity_number,
        region_code=region_code,
        **fields,
    )
    db.session.add(koperasi)
    db.session.flush()
    return koperasi


def change_status(koperasi: Koperasi, new_status: VerificationStatus) -> Koperasi:
    """Moves a koperasi along draft → submitted → verified → suspended; other jumps are refused."""
    if new_status not in _TRANSITIONS[koperasi.status]:
        raise ValidationError(
            _("Status %(old)s tidak bisa diubah menjadi %(new)s.", old=koperasi.status.value, new=new_status.value)
        )
    koperasi.status = new_status
    # Its products appear in or leave the storefront and search with it.
    record("koperasi.changed", koperasi_id=koperasi.id)
    if new_status == VerificationStatus.VERIFIED:
        koperasi.verified_at = utcnow()
    db.session.flush()
    return koperasi


def add_member(koperasi: Koperasi, user: User, role: Role) -> Membership:
    existing = db.session.scalar(
        select(Membership).where(Membership.koperasi_id == koperasi.id, Membership.user_id == user.id)
    )
    if existing:
        existing.role = role
        db.session.flush()
        return existing
    membership = Membership(koperasi=koperasi, user=user, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


def memberships_of(user: User) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership).join(Membership.koperasi).where(Membership.user_id == user.id).order_by(Koperasi.name)
        )
    )


def membership_for(user: User, koperasi_slug: str, roles: set[Role] | None = None) -> Membership:
    """The user's membership in this koperasi. Not a member looks exactly like a missing koperasi, so nobody can
    probe which koperasi exist; a member lacking the role is told so (they know the koperasi exists)."""
    membership = db.session.scalar(
        select(Membership)
        .join(Membership.koperasi)
        .where(Membership.user_id == user.id, Koperasi.slug == koperasi_slug)
    )
    if membership is None:
        raise NotFound(_("Koperasi tidak ditemukan."))
    if roles and membership.role not in roles and membership.role != Role.OWNER:
        raise NoAccess(_("Peran Anda di koperasi ini tidak mencakup halaman ini. Minta pemilik koperasi untuk "
                         "menambah peran Anda."))
    return membership


def verified_koperasi_by_slug(slug: str) -> Koperasi:
    koperasi = db.session.scalar(
        select(Koperasi).where(Koperasi.slug == slug, Koperasi.status == VerificationStatus.VERIFIED)
    )
    if koperasi is None:
        raise NotFound(_("Koperasi tidak ditemukan."))
    return koperasi


def pesantren_by_slug(slug: str) -> Pesantren:
    pesantren = db.session.scalar(select(Pesantren).where(Pesantren.slug == slug))
    if pesantren is None:
        raise NotFound(_("Pesantren tidak ditemukan."))
    return pesantren


def koperasi_for_review(status: VerificationStatus | None = None) -> list[Koperasi]:
    query = select(Koperasi).order_by(Koperasi.created_at.desc())
    if status:
        query = query.where(Koperasi.status == status)
    return list(db.session.scalars(query))
