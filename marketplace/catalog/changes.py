"""Product change events. Search (and any other listener) must hear about every change a buyer could see: name,
text, price, status, certificates. Services call ``product_changed`` explicitly; the flush hook below is the safety
net for edits made some other way (a new service that forgets, a bulk import), so the index never silently drifts."""

from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.catalog import versions
from marketplace.catalog.models import Certification, Product, Variant
from marketplace.extensions import db
from marketplace.outbox import services as outbox

TOPIC = "product.changed"


def product_changed(product: Product | int) -> None:
    """Records ``product.changed`` once per product per transaction, however many edits it had."""
    _record(db.session, product if isinstance(product, int) else product.id)


def products_changed(product_ids) -> None:
    """The same for many products at once (bulk statements that bypass the flush hooks): one INSERT, still once
    per product; their cached pages and every listing go stale at commit (``versions``)."""
    product_ids = sorted(product_ids)
    outbox.record_many(TOPIC, ({"product_id": product_id} for product_id in product_ids), once_by="product_id")
    versions.mark_products(product_ids)


def _record(session: Session, product_id: int | None) -> None:
    if product_id is not None:
        outbox.record_once(TOPIC, product_id, session=session, product_id=product_id)


@event.listens_for(Session, "before_flush")
def _changes_in_flush(session: Session, flush_context, instances) -> None:
    touched = set()
    for obj in (*session.dirty, *session.deleted, *session.new):
        if isinstance(obj, Product):
            if obj.id is not None and (obj in session.deleted or session.is_modified(obj, include_collections=False)):
                touched.add(obj.id)
        elif isinstance(obj, Variant | Certification):
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            product_id = obj.product_id if obj.product_id is not None else getattr(obj.product, "id", None)
            touched.add(product_id)
    for product_id in touched:
        _record(session, product_id)
