"""`flask demo sandbox shopee|tiktok`: one demo shop on a partner sandbox holding the first demo koperasi's
published products, with the same SKUs and the stock available here. The sandbox is a separate process, so
this speaks its control API over HTTP; 'Partner sync' then connects the koperasi to the shop through OAuth."""

import time

import requests
from sqlalchemy import select

from marketplace.catalog.models import Product, ProductStatus
from marketplace.extensions import db
from marketplace.inventory.queries import available_by_variant
from marketplace.koperasi.models import Koperasi
from sandboxes import credentials

SANDBOXES = {
    "shopee": (credentials.SHOPEE_BASE_URL, credentials.SHOPEE_DEMO_SHOP_ID),
    "tiktok": (credentials.TIKTOK_BASE_URL, credentials.TIKTOK_DEMO_SHOP_ID),
}
MAX_PARTNER_STOCK = 99_999


class SandboxUnavailable(Exception):
    pass


def demo_shop_payload(koperasi_id: int | None = None) -> tuple[str, list[dict]]:
    """The koperasi's (by default the first one's) name and its published products as control-API bodies."""
    query = select(Koperasi).order_by(Koperasi.id).limit(1)
    koperasi = db.session.scalar(query.where(Koperasi.id == koperasi_id) if koperasi_id else query)
    if koperasi is None:
        raise SandboxUnavailable("no koperasi yet: run `flask demo seed` first")
    products = db.session.scalars(select(Product).where(Product.koperasi_id == koperasi.id,
                                                        Product.status == ProductStatus.PUBLISHED)
                                  .order_by(Product.id)).all()
    variants = [v for p in products for v in p.variants if v.is_active]
    available = available_by_variant([v.id for v in variants])
    bodies = []
    for product in products:
        active = [v for v in product.variants if v.is_active]
        entries = [{"name": v.name or product.name, "sku": v.sku, "price": v.price,
                    "stock": min(available[v.id], MAX_PARTNER_STOCK)} for v in active]
        if len(entries) == 1 and not active[0].options:
            bodies.append({"name": product.name} | entries[0])
        elif entries:
            bodies.append({"name": product.name, "variants": entries})
    return koperasi.name, bodies


def seed_sandbox(platform: str, base_url: str | None = None, wait: float = 30.0,
                 koperasi_id: int | None = None) -> dict:
    """Creates the demo shop once; a second run (the shop exists) changes nothing."""
    default_url, shop_id = SANDBOXES[platform]
    control = f"{(base_url or default_url).rstrip('/')}/_sandbox"
    deadline = time.monotonic() + wait
    with requests.Session() as http:
        while True:
            try:
                http.get(f"{control}/health", timeout=2).raise_for_status()
                break
            except requests.RequestException as error:
                if time.monotonic() > deadline:
                    raise SandboxUnavailable(f"{platform} sandbox did not answer at {control}: {error}") from error
                time.sleep(0.5)
        if http.get(f"{control}/shops/{shop_id}", timeout=5).status_code == 200:
            return {"skipped": True, "shop_id": shop_id}
        name, bodies = demo_shop_payload(koperasi_id)
        http.post(f"{control}/shops", json={"name": name, "shop_id": shop_id}, timeout=5).raise_for_status()
        for body in bodies:
            http.post(f"{control}/shops/{shop_id}/products", json=body, timeout=5).raise_for_status()
    return {"skipped": False, "shop_id": shop_id, "products": len(bodies)}
