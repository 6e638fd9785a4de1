"""Real Saleor clients against the live server: `node --test tests/clients/` runs @saleor/sdk and Apollo Client
(Node 20, dependencies from the committed lockfile) against /graphql/ on a free port, paying on localstripe."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.services import IN_CI

CLIENTS = Path(__file__).resolve().parent.parent / "clients"
BUYER_PASSWORD = "rahasia123"


def _node() -> str:
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        if IN_CI:
            pytest.fail("Node and npm are required under CI=true")
        pytest.skip("Node 20 and npm are not installed; the Saleor client tests need them")
    return node


def _install() -> None:
    """`npm ci` only when the lockfile changed since the last install (node_modules is kept between runs)."""
    stamp = CLIENTS / "node_modules" / ".opop-lock"
    lock = (CLIENTS / "package-lock.json").read_text()
    if stamp.exists() and stamp.read_text() == lock:
        return
    result = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"], cwd=CLIENTS,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    stamp.write_text(lock)


def _seed(app) -> dict:
    """Two verified koperasi with stocked products and a buyer, committed in the live server's database."""
    from marketplace.accounts.models import User
    from marketplace.catalog import services as catalog
    from marketplace.catalog.images import add_product_image
    from marketplace.catalog.models import ProductStatus
    from marketplace.demo.images import draw_product_image
    from marketplace.extensions import db
    from marketplace.inventory.models import MovementReason
    from marketplace.inventory.services import set_stock
    from tests.factories import verified_koperasi
    from tests.stock_fixtures import warehouse_of

    with app.app_context():
        slugs = []
        for n, (name, region) in enumerate((("Koppontren Klien Satu", "kab-jember"),
                                            ("Koppontren Klien Dua", "kab-malang"))):
            koperasi = verified_koperasi(name, region, f"77{n:011d}")
            warehouse = warehouse_of(koperasi)
            for k in range(2):
                product = catalog.create_product(koperasi, f"Kopi Klien {n}{k}", status=ProductStatus.PUBLISHED)
                variant = catalog.add_variant(product, f"KLIEN-{n}{k}", 25000 + 5000 * k, 250, name="250 g")
                add_product_image(product, draw_product_image(product.name, "kopi", n * 2 + k, size=200))
                db.session.flush()
                set_stock(variant, warehouse, 20, reason=MovementReason.INITIAL)
                slugs.append(product.slug)
        buyer = User(email="klien.pembeli@uji.opop.id", name="Pembeli Klien")
        buyer.set_password(BUYER_PASSWORD)
        db.session.add(buyer)
        db.session.commit()
        return {"slugs": [slugs[0], slugs[2]], "email": buyer.email}


def test_saleor_clients(live_app):
    node = _node()
    _install()
    seeded = _seed(live_app)
    live_app.config["API_ACCESS_TOKEN_SECONDS"] = 4  # short, so the clients' refresh paths run
    env = {**os.environ, "OPOP_API_URL": live_app.config["PUBLIC_BASE_URL"] + "/graphql/",
           "OPOP_BUYER_EMAIL": seeded["email"], "OPOP_BUYER_PASSWORD": BUYER_PASSWORD,
           "OPOP_ACCESS_TOKEN_SECONDS": "4", "OPOP_PRODUCT_SLUGS": ",".join(seeded["slugs"])}
    try:
        result = subprocess.run([node, "--test", "--test-concurrency=1", "--test-reporter=spec"], cwd=CLIENTS,
                                env=env, capture_output=True, text=True, timeout=300)
    finally:
        live_app.config["API_ACCESS_TOKEN_SECONDS"] = 300
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
