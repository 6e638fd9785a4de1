"""`flask demo sandbox`: the demo shop on each sandbox carries the koperasi's SKUs and available stock, once."""

import pytest

from marketplace.catalog.models import ProductStatus
from marketplace.demo.sandboxes import seed_sandbox
from sandboxes import credentials


@pytest.mark.parametrize("platform", ["shopee", "tiktok"])
def test_demo_shop_mirrors_the_koperasi(db, make_stocked_product, make_product, shopee_sandbox, tiktok_sandbox,
                                        platform):
    sandbox = {"shopee": shopee_sandbox, "tiktok": tiktok_sandbox}[platform]
    shop_id = {"shopee": credentials.SHOPEE_DEMO_SHOP_ID, "tiktok": credentials.TIKTOK_DEMO_SHOP_ID}[platform]
    coffee = make_stocked_product(stock=(4, 0), name="Kopi Uji")
    honey = make_stocked_product(stock=(6,), name="Madu Uji", koperasi=coffee.koperasi)
    make_product(koperasi=coffee.koperasi, status=ProductStatus.DRAFT)
    result = seed_sandbox(platform, sandbox.base_url, wait=5, koperasi_id=coffee.koperasi.id)
    assert result == {"skipped": False, "shop_id": shop_id, "products": 2}
    shop = sandbox.ctl("GET", f"/shops/{shop_id}")
    assert shop["name"] == coffee.koperasi.name
    listed = sandbox.ctl("GET", f"/shops/{shop_id}/stock")["products"]
    variants_key, sku_key = ("models", "model_sku") if platform == "shopee" else ("skus", "seller_sku")
    stock = {v[sku_key]: v["stock"] for p in listed for v in p[variants_key]}
    expected = {v.sku: q for v, q in zip([*coffee.variants, *honey.variants], (4, 0, 6), strict=True)}
    assert stock == expected
    assert seed_sandbox(platform, sandbox.base_url, wait=5, koperasi_id=coffee.koperasi.id)["skipped"] is True
