"""Product change events. Search (and any other listener) must hear about every change a buyer could see: name,
text, price, status, certificates. Services call ``product_changed`` explicitly; the flush hook below is the safety
net for edits made some other way (a new service that forgets, a bulk import), so the index never silently drifts."""

from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.catalog.models import Certification, Product, Variant
from marketplace.extensions import db
from marketplace.outbox import services as outbox
from marketplace.outbox.models import OutboxEvent

_SEEN = "changed_products"


def product_changed(product: Product | int) -> None:
    """Records ``product.changed`` once per product per transaction, however many edits it had."""
    _record(db.session, product if isinstance(product, int) else product.id)


def _record(session: Session, product_id: int | None) -> None:
    seen = session.info.setdefault(_SEEN, set())
    if product_id is not None and product_id not in seen:
        seen.add(product_id)
        outbox.record("product.changed", product_id=product_id)


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
        if product_id is not None and product_id not in session.info.get(_SEEN, ()):
            seen = session.info.setdefault(_SEEN, set())
            seen.add(product_id)
            session.add(OutboxEvent(topic="product.changed", payload={"product_id": product_id}))
            session.info["outbox_pending"] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, *args) -> None:
    session.info.pop(_SEEN, None)
