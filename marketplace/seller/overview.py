"""What the overview page shows, in a fixed number of queries whatever the catalog size."""

from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.catalog.services import expiring_certifications
from marketplace.extensions import db
from marketplace.koperasi.models import Membership
from marketplace.seller.access import can


def product_counts(koperasi_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Product.status, func.count()).where(Product.koperasi_id == koperasi_id).group_by(Product.status)
    )
    return {status.value: n for status, n in rows}


def overview_for(membership: Membership) -> dict:
    koperasi_id = membership.koperasi_id
    data: dict = {"counts": product_counts(koperasi_id)}
    if can(membership, "products"):
        data["cert_alerts"] = expiring_certifications(koperasi_id)
        data["recent_products"] = list(db.session.scalars(
            select(Product).where(Product.koperasi_id == koperasi_id)
            .order_by(Product.updated_at.desc(), Product.id.desc()).limit(5)
        ))
    return data
