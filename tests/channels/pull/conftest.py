"""A koperasi whose variants are also sold on a sandbox shop, connected as a ChannelAccount (tokens from the
sandbox's real authorisation), with the adapters pointed at the test sandbox and quick retries."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from marketplace.channels import credentials as vault
from marketplace.channels.adapters.base import Tokens
from marketplace.channels.models import ChannelAccount
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db as _db


@dataclass
class PullShop:
    sandbox: object
    shop_id: str
    account: ChannelAccount
    variants: list  # ours, same SKUs as the sandbox's products
    product: dict  # the sandbox's product


@pytest.fixture
def pull_shop(app, db, monkeypatch, make_stocked_product, shopee_sandbox, tiktok_sandbox):
    """pull_shop("shopee", stock=(10, 5)) -> PullShop whose sandbox product has one model per local variant."""
    monkeypatch.setitem(app.config, "SHOPEE_BASE_URL", shopee_sandbox.base_url)
    monkeypatch.setitem(app.config, "TIKTOK_BASE_URL", tiktok_sandbox.base_url)
    monkeypatch.setitem(app.config, "CHANNEL_RETRY_WAIT", 0.01)
    monkeypatch.setitem(app.config, "CHANNEL_RETRY_WAIT_MAX", 0.05)
    monkeypatch.setitem(app.config, "CHANNEL_HTTP_TIMEOUT", 2)

    def make(platform: str = "shopee", stock: tuple[int, ...] = (10,), koperasi=None, rate_limit: int = 1000):
        sandbox = shopee_sandbox if platform == "shopee" else tiktok_sandbox
        product = make_stocked_product(stock=stock, koperasi=koperasi)
        return connect_shop(sandbox, platform, product, stock, rate_limit)

    return make


def connect_shop(sandbox, platform: str, product, stock: tuple[int, ...], rate_limit: int = 1000) -> PullShop:
    """A sandbox shop selling ``product``'s variants (same SKUs), authorised for real, saved as our account."""
    variants = list(product.variants)
    shop = sandbox.ctl("POST", "/shops", {"name": "Koppontren Uji", "rate_limit": rate_limit})
    models = [{"name": v.label, "sku": v.sku, "price": v.price, "stock": q}
              for v, q in zip(variants, stock, strict=True)]
    remote = sandbox.ctl("POST", f"/shops/{shop['shop_id']}/products", {"name": product.name, "variants": models})
    answer = sandbox.connect(shop["shop_id"])
    now = utcnow()
    tokens = Tokens(access_token=answer["access_token"], refresh_token=answer["refresh_token"],
                    access_expires_at=now + timedelta(hours=3), refresh_expires_at=now + timedelta(days=20),
                    shop_id=str(shop["shop_id"]), shop_cipher=answer.get("cipher", ""))
    account = ChannelAccount(koperasi_id=product.koperasi_id, platform=platform, shop_id=str(shop["shop_id"]),
                             shop_name="Koppontren Uji", shop_cipher=tokens.shop_cipher,
                             credentials=vault.seal(tokens), access_expires_at=tokens.access_expires_at,
                             refresh_expires_at=tokens.refresh_expires_at, order_watermark=now - timedelta(minutes=1))
    _db.session.add(account)
    _db.session.commit()
    return PullShop(sandbox, str(shop["shop_id"]), account, variants, remote)


def place(shop: PullShop, quantities: dict[str, int], paid: bool = True) -> str:
    order = shop.sandbox.ctl("POST", f"/shops/{shop.shop_id}/orders", {
        "lines": [{"sku": sku, "quantity": q} for sku, q in quantities.items()], "paid": paid})
    return order["order_id"]
