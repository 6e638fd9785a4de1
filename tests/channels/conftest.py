"""A koperasi with coffee (two variants) and honey linked to a shop on the Shopee or TikTok sandbox through the
real connect flow, with fast retries; helpers to change stock here and read it there."""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Variant
from marketplace.channels import services
from marketplace.channels.models import ChannelAccount
from marketplace.extensions import db as _db
from marketplace.inventory.services import set_stock
from marketplace.outbox.services import dispatch_pending
from tests.channels.helpers import approve
from tests.stock_fixtures import warehouse_of

PARTNER_PRODUCTS = [
    {"name": "Kopi Robusta Jember", "variants": [
        {"name": "250 g", "sku": "KOPI-250", "price": 35000, "stock": 99},
        {"name": "500 g", "sku": "KOPI-500", "price": 65000, "stock": 99}]},
    {"name": "Madu Hutan", "sku": "MADU-1", "price": 90000, "stock": 99},
    {"name": "Barang lain", "sku": "LAIN-1", "price": 1000, "stock": 5},  # nothing of ours: stays unmatched
]
# One call in flight: the rolled-back test session is bound to one connection, which threads must not share.
FAST = {"CHANNEL_RETRY_WAIT": 0.02, "CHANNEL_RETRY_WAIT_MAX": 0.2, "CHANNEL_PUSH_ATTEMPTS": 8,
        "CHANNEL_PUSH_PARALLEL": 1}


@dataclass
class Linked:
    platform: str
    sandbox: object
    shop_id: object
    koperasi: object
    account: ChannelAccount
    variants: dict  # sku -> Variant
    owner: object

    def set_local(self, sku: str, quantity: int) -> None:
        """A stock take here, committed and dispatched (as the outbox worker would)."""
        set_stock(self.variants[sku], warehouse_of(self.koperasi), quantity)
        _db.session.commit()
        dispatch_pending()
        _db.session.commit()

    def remote(self) -> dict[str, int]:
        """Stock per SKU as the sandbox shows it."""
        shown = {}
        for product in self.sandbox.ctl("GET", f"/shops/{self.shop_id}/stock")["products"]:
            for unit in product.get("models") or product.get("skus") or []:
                sku = unit.get("model_sku") or unit.get("seller_sku") or product.get("item_sku")
                shown[sku] = unit["stock"]
        return shown

    def stock_calls(self, since_id: int = 0) -> int:
        log = self.sandbox.requests_log(since_id=since_id)
        return sum(1 for r in log["requests"] if r["path"].endswith(("/update_stock", "/inventory/update")))


def connect_shop(app, sandbox, platform: str, koperasi, user_id: int):
    """Runs the dashboard's connect flow against the sandbox: authorise URL → approve → callback → tokens."""
    url = services.authorise_url(koperasi, platform, user_id, f"http://127.0.0.1:5000/channels/{platform}/callback")
    shop_id = sandbox.ctl("GET", "/shops")["shops"][-1]["shop_id"]
    location = approve(sandbox.http, url, shop_id)
    args = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    return services.connect_account(koperasi, platform, user_id, args)


@pytest.fixture
def channel_config(app, monkeypatch, shopee_sandbox, tiktok_sandbox):
    monkeypatch.setitem(app.config, "SHOPEE_BASE_URL", shopee_sandbox.base_url)
    monkeypatch.setitem(app.config, "TIKTOK_BASE_URL", tiktok_sandbox.base_url)
    for key, value in FAST.items():
        monkeypatch.setitem(app.config, key, value)
    app.extensions.pop("channels_budget", None)
    return app.config


@pytest.fixture
def make_linked(app, db, channel_config, shopee_sandbox, tiktok_sandbox, make_stocked_product, make_user,
                make_koperasi):
    def make(platform: str = "shopee", stock=(20, 10, 7), rate_limit: float = 1000) -> Linked:
        sandbox = shopee_sandbox if platform == "shopee" else tiktok_sandbox
        shop = sandbox.ctl("POST", "/shops", {"name": "Koppontren Uji", "rate_limit": rate_limit})
        for product in PARTNER_PRODUCTS:
            sandbox.ctl("POST", f"/shops/{shop['shop_id']}/products", product)
        owner = make_user(name="Pemilik Kanal")
        koperasi = make_koperasi(owner=owner)
        coffee = make_stocked_product(stock=stock[:2], koperasi=koperasi, name="Kopi Robusta Jember")
        honey = make_stocked_product(stock=stock[2:], koperasi=koperasi, name="Madu Hutan")
        for variant, sku in zip([*coffee.variants, *honey.variants], ["KOPI-250", "KOPI-500", "MADU-1"],
                                strict=True):
            variant.sku = sku
        db.session.commit()
        dispatch_pending()
        account = connect_shop(app, sandbox, platform, koperasi, owner.id)
        db.session.commit()
        services.import_listings(account)
        db.session.commit()
        variants = {v.sku: v for v in db.session.scalars(select(Variant).where(Variant.koperasi_id == koperasi.id))}
        return Linked(platform, sandbox, shop["shop_id"], koperasi, account, variants, owner)

    return make
