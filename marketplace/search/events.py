"""Outbox handlers: product, price, stock and seller changes become one indexing task on the ``search`` queue per
dispatched batch. The task re-reads the products, so events only need to say which products changed."""

from collections.abc import Iterable

from sqlalchemy import select

from marketplace.catalog.models import Product, Variant
from marketplace.core.celery import enqueue
from marketplace.extensions import db
from marketplace.outbox.models import OutboxEvent

TOPICS = ("product.changed", "stock.changed", "koperasi.changed")


def product_ids_from(events: Iterable[OutboxEvent]) -> list[int]:
    """The products a batch of events concerns: events name a product, a variant or a whole koperasi."""
    product_ids, variant_ids, koperasi_ids = set(), set(), set()
    for event in events:
        payload = event.payload or {}
        if payload.get("product_id") is not None:
            product_ids.add(int(payload["product_id"]))
        elif payload.get("variant_id") is not None:
            variant_ids.add(int(payload["variant_id"]))
        elif payload.get("koperasi_id") is not None:
            koperasi_ids.add(int(payload["koperasi_id"]))
    if variant_ids:
        product_ids |= set(db.session.scalars(select(Variant.product_id).where(Variant.id.in_(variant_ids))))
    if koperasi_ids:
        product_ids |= set(db.session.scalars(select(Product.id).where(Product.koperasi_id.in_(koperasi_ids))))
    return sorted(product_ids)


def enqueue_reindex(events: list[OutboxEvent]) -> None:
    """Outbox handler: one indexing task for the whole batch (the task re-reads the products)."""
    product_ids = product_ids_from(events)
    if product_ids:
        enqueue("search.index_products", product_ids, queue="search")
