"""A connected demo-like shop on each sandbox: two products (one with variants, one without), authorised."""

from dataclasses import dataclass

import pytest

COFFEE = {"name": "Kopi Robusta Jember", "variants": [
    {"name": "250 g", "sku": "KOPI-250", "price": 35000, "stock": 20},
    {"name": "500 g", "sku": "KOPI-500", "price": 65000, "stock": 10}]}
HONEY = {"name": "Madu Hutan", "sku": "MADU-1", "price": 90000, "stock": 7}


@dataclass
class ConnectedShop:
    shop_id: int | str
    tokens: dict
    products: list[dict]


@pytest.fixture
def shopee_shop(shopee_sandbox) -> ConnectedShop:
    shop = shopee_sandbox.ctl("POST", "/shops", {"name": "Koppontren Demo", "rate_limit": 1000})
    products = [shopee_sandbox.ctl("POST", f"/shops/{shop['shop_id']}/products", p) for p in (COFFEE, HONEY)]
    return ConnectedShop(shop["shop_id"], shopee_sandbox.connect(shop["shop_id"]), products)


@pytest.fixture
def tiktok_shop(tiktok_sandbox) -> ConnectedShop:
    shop = tiktok_sandbox.ctl("POST", "/shops", {"name": "Koppontren Demo", "rate_limit": 1000})
    products = [tiktok_sandbox.ctl("POST", f"/shops/{shop['shop_id']}/products", p) for p in (COFFEE, HONEY)]
    return ConnectedShop(shop["shop_id"], tiktok_sandbox.connect(shop["shop_id"]), products)
