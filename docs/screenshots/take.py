"""Phone screenshots for the closing note of issue 15: the demo marketplace in Chromium on a 390×844 phone.

    .venv/bin/python docs/screenshots/take.py [--out docs/screenshots] [--only phone-cart]

Starts everything it needs in a temporary directory and removes it afterwards: the app with the demo data
(`flask demo seed`, SQLite), served over HTTP on a free port, and localstripe for the card payment. Then a buyer
walks the shop (product page, a cart from two koperasi, checkout, payment) and a koperasi's staff opens the order
desk. Each step that names a file saves a PNG there with a stable name, so a run after a change shows the
difference in `git diff --stat` and the images can be compared side by side.

To add a page (the payment choice, a VA or QRIS page), add a step to STEPS where the walk passes it: a step is a
file name (or None for a step that only moves on) and a function of the Walk.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True,
         "has_touch": True, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}
PASSWORD = "opop12345"  # marketplace.demo.seed.DEMO_PASSWORD
BUYER = "pembeli@demo.opop.id"
ADDRESS = {"recipient": "Siti Pembeli", "phone": "0812 3456 7890", "district": "Wonokromo", "village": "Jagir",
           "street": "Jl. Jagir Wonokromo No. 5", "postal_code": "60244", "region_code": "kota-surabaya"}


@dataclass
class Walk:
    """What the steps share: the server's address, the browser, the buyer's page and the demo rows picked."""

    base: str
    browser: object
    page: object
    app: object
    shops: list[dict] = field(default_factory=list)  # [{"slug", "product_slug", "product", "staff"}] × 2

    def log_in(self, page, email: str) -> None:
        page.goto(f"{self.base}/masuk")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("main form button:has-text('Masuk')")
        if "/masuk" in page.url:
            raise RuntimeError(f"login as {email} failed")


# --- steps -------------------------------------------------------------------------------------------------------

def product_page(walk: Walk) -> None:
    walk.log_in(walk.page, BUYER)
    walk.page.goto(f"{walk.base}/produk/{walk.shops[0]['product_slug']}")


def cart(walk: Walk) -> None:
    for shop in walk.shops:
        walk.page.goto(f"{walk.base}/produk/{shop['product_slug']}")
        with walk.page.expect_navigation():
            walk.page.click("button:has-text('+ Keranjang')")
    walk.page.goto(f"{walk.base}/keranjang")


def checkout_to_payment(walk: Walk) -> None:
    page = walk.page
    page.goto(f"{walk.base}/checkout/alamat")
    if page.locator("[name=recipient]").count():
        for name, value in ADDRESS.items():
            if name == "region_code":
                page.select_option(f"select[name={name}]", value)
            else:
                page.fill(f"[name={name}]", value)
    with page.expect_navigation():
        page.click("button:has-text('Lanjut ke pengiriman')")
    with page.expect_navigation():
        page.click("form[action$='/selesai'] button.btn")
    if "/pembayaran/" not in page.url:
        raise RuntimeError(f"checkout did not reach the payment page: {page.url}")


def pay_by_card(walk: Walk) -> None:
    page = walk.page
    page.wait_for_selector("#card-element input")
    with page.expect_navigation():
        page.click("button:has-text('Visa 4242')")  # Stripe's pm_card_visa through the server-side confirmation
    page.wait_for_selector("[data-testid=paid]", timeout=30_000)  # localstripe's signed webhook arrived


def buyer_orders(walk: Walk) -> None:
    walk.page.goto(f"{walk.base}/pesanan")


def seller_orders(walk: Walk) -> None:
    shop = walk.shops[0]
    context = walk.browser.new_context(**PHONE)
    walk.page = context.new_page()  # the staff's own phone from here on
    walk.log_in(walk.page, shop["staff"])
    walk.page.goto(f"{walk.base}/seller/{shop['slug']}/pesanan")


# (file name or None, step, full page?) — in walking order.
STEPS: list[tuple[str | None, Callable[[Walk], None], bool]] = [
    ("phone-product.png", product_page, False),
    ("phone-cart.png", cart, True),
    (None, checkout_to_payment, False),
    (None, pay_by_card, False),
    ("phone-orders.png", buyer_orders, False),
    ("phone-seller-orders.png", seller_orders, True),
]


# --- plumbing ----------------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 20) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def _pick_shops(app) -> list[dict]:
    """Two koperasi with a published product in stock (the demo is deterministic, so the same two every run),
    and the owner who opens the first one's order desk."""
    from sqlalchemy import select

    from marketplace.catalog.models import Product, ProductStatus
    from marketplace.inventory.queries import available_variants_of_products
    from marketplace.koperasi.models import Koperasi, Membership, Role

    with app.app_context():
        from marketplace.extensions import db

        shops = []
        for koperasi in db.session.scalars(select(Koperasi).order_by(Koperasi.id)):
            products = db.session.scalars(select(Product).where(
                Product.koperasi_id == koperasi.id, Product.status == ProductStatus.PUBLISHED,
            ).order_by(Product.id)).all()
            stock = available_variants_of_products([p.id for p in products], db.session.connection())
            # Every variant in stock, so the page preselects the first one and "+ Keranjang" adds it.
            product = next((p for p in products if p.variants and
                            all(stock.get(p.id, {}).get(v.id, 0) >= 3 for v in p.variants)), None)
            if product is None:
                continue
            owner = db.session.scalar(select(Membership).where(Membership.koperasi_id == koperasi.id,
                                                               Membership.role == Role.OWNER))
            shops.append({"slug": koperasi.slug, "product_slug": product.slug, "product": product.name,
                          "staff": owner.user.email})
            if len(shops) == 2:
                return shops
    raise RuntimeError("the demo has no two koperasi with a product in stock")


def _start_app(workdir: Path, stripe: str):
    os.environ["OPOP_INSTANCE_DIR"] = str(workdir / "instance")  # before config is imported: every path in there
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from marketplace import create_app
    from marketplace.demo.seed import seed_demo
    from marketplace.extensions import db

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(None, SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir / 'demo.db'}", CELERY_TASK_ALWAYS_EAGER=True,
                     STRIPE_API_BASE=stripe, STRIPE_JS_URL=f"{stripe}/js.stripe.com/v3/", PUBLIC_BASE_URL=base,
                     MAIL_BACKEND="locmem")
    with app.app_context():
        upgrade()
        seed_demo(with_images=True)
        db.session.commit()
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    result = app.test_cli_runner().invoke(args=["payments", "register-webhook"])
    if result.exit_code != 0:
        raise RuntimeError(f"payments register-webhook failed: {result.output}")
    return app, server, base


def _compile_translations() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in ROOT.glob("translations/*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po, po_path.with_suffix(".mo").open("wb") as mo:
            write_mo(mo, read_po(po))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="where the PNGs go (default: docs/screenshots)")
    parser.add_argument("--only", action="append", default=[], help="save only this file (repeatable)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    _compile_translations()
    workdir = Path(tempfile.mkdtemp(prefix="opop-shots-"))
    stripe_port = _free_port()
    stripe = f"http://127.0.0.1:{stripe_port}"
    localstripe = subprocess.Popen([str(Path(sys.executable).parent / "localstripe"), "--port", str(stripe_port),
                                    "--from-scratch"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = None
    try:
        _wait_for(f"{stripe}/js.stripe.com/v3/")
        app, server, base = _start_app(workdir, stripe)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
            walk = Walk(base=base, browser=browser, page=browser.new_context(**PHONE).new_page(), app=app,
                        shops=_pick_shops(app))
            for name, step, full_page in STEPS:
                step(walk)
                if name and (not args.only or name.removesuffix(".png") in
                             {o.removesuffix(".png") for o in args.only}):
                    walk.page.wait_for_load_state("load")
                    walk.page.screenshot(path=str(args.out / name), full_page=full_page)
                    print(f"{args.out / name}  ({step.__name__}: {walk.page.url.removeprefix(base)})")
            browser.close()
    finally:
        if server is not None:
            server.shutdown()
        localstripe.terminate()
        localstripe.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
