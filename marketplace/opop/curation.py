"""Flagship curation (produk unggulan). ``Product.is_flagship`` is what the storefront reads (badge, home shelf);
changing it is a catalogue change, so the page cache and search hear of it through the existing flush hooks.
``FlagshipMark`` keeps the history the targets dashboard counts."""

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, selectinload

from marketplace.accounts.models import User
from marketplace.catalog.models import Product, ProductStatus
from marketplace.core.errors import NotFound, ValidationError
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi, VerificationStatus
from marketplace.opop.models import FlagshipMark
from marketplace.opop.services import AlreadyDecided, NotOpopTeam


def _product_for_update(actor: User, product_id: int) -> Product:
    if not actor.is_opop_admin:
        raise NotOpopTeam(_("Hanya Tim OPOP yang dapat mengkurasi produk unggulan."))
    product = db.session.scalar(select(Product).where(Product.id == product_id).with_for_update())
    if product is None:
        raise NotFound(_("Produk tidak ditemukan."))
    return product


def open_mark(product_id: int) -> FlagshipMark | None:
    return db.session.scalar(select(FlagshipMark).where(FlagshipMark.product_id == product_id,
                                                        FlagshipMark.unmarked_at.is_(None)))


def mark_flagship(actor: User, product_id: int, note: str) -> FlagshipMark:
    product = _product_for_update(actor, product_id)
    if product.is_flagship:
        raise AlreadyDecided(_("%(name)s sudah menjadi produk unggulan.", name=product.name))
    if product.status != ProductStatus.PUBLISHED or product.koperasi.status != VerificationStatus.VERIFIED:
        raise ValidationError(_("Hanya produk yang tayang dari koperasi terverifikasi yang dapat menjadi unggulan."))
    note = (note or "").strip()
    if len(note) < 5:
        raise ValidationError(_("Tuliskan catatan kurasi (minimal 5 huruf)."), field="note")
    product.is_flagship = True
    mark = FlagshipMark(product_id=product.id, note=note[:2000], marked_by_id=actor.id)
    db.session.add(mark)
    db.session.flush()
    return mark


def unmark_flagship(actor: User, product_id: int, note: str = "") -> Product:
    product = _product_for_update(actor, product_id)
    if not product.is_flagship:
        raise AlreadyDecided(_("%(name)s bukan produk unggulan.", name=product.name))
    product.is_flagship = False
    mark = open_mark(product.id)
    if mark is not None:
        mark.unmarked_at, mark.unmarked_by_id, mark.unmark_note = utcnow(), actor.id, (note or "").strip()[:2000]
    db.session.flush()
    return product


def curation_list(query: str = "", flagship_only: bool = False, limit: int = 50) -> list[tuple[Product, FlagshipMark]]:
    """Published products of verified koperasi matching the query (name, koperasi), flagship ones first."""
    stmt = (select(Product, FlagshipMark)
            .join(Koperasi, Koperasi.id == Product.koperasi_id)
            .outerjoin(FlagshipMark, (FlagshipMark.product_id == Product.id) & FlagshipMark.unmarked_at.is_(None))
            .options(contains_eager(Product.koperasi), selectinload(FlagshipMark.marked_by))
            .where(Product.status == ProductStatus.PUBLISHED, Koperasi.status == VerificationStatus.VERIFIED))
    query = (query or "").strip()[:100]
    if query:
        pattern = f"%{query}%"
        stmt = stmt.where(or_(Product.name.ilike(pattern), Koperasi.name.ilike(pattern)))
    if flagship_only:
        stmt = stmt.where(Product.is_flagship.is_(True))
    stmt = stmt.order_by(Product.is_flagship.desc(), Product.name).limit(limit)
    return [(product, mark) for product, mark in db.session.execute(stmt)]
