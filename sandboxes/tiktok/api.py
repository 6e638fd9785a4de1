"""TikTok Shop calls: products and inventory (`/product/202309/...`), orders (`/order/202309/...`)."""

from flask import Blueprint, request

from sandboxes.common import commerce
from sandboxes.common.errors import ApiError
from sandboxes.common.signing import decode_cursor, encode_cursor
from sandboxes.tiktok.platform import PRODUCT_BASE, SKU_BASE
from sandboxes.tiktok.signed import body, ok, page_size, sandbox, shop_call

bp = Blueprint("tiktok_api", __name__)
ORDER_STATUSES = {"UNPAID", "ON_HOLD", "AWAITING_SHIPMENT", "PARTIALLY_SHIPPING", "AWAITING_COLLECTION",
                  "IN_TRANSIT", "DELIVERED", "COMPLETED", "CANCELLED"}
MAX_SKUS = 100
FAR_FUTURE = 2**40


def _product(shop: dict, product_id: str) -> dict:
    pk = int(product_id) - PRODUCT_BASE if product_id.isdigit() else -1
    found = commerce.products(sandbox(), shop["id"], [pk]) if pk > 0 else []
    if not found:
        raise ApiError("not_found", f"product {product_id} not found")
    return found[0]


def _page_token(kind: str) -> dict | None:
    raw = request.args.get("page_token", "")
    if not raw:
        return None
    data = decode_cursor(raw)
    if not data or data.get("kind") != kind:
        raise ApiError("param", "invalid page_token")
    return data


@bp.post("/product/202309/products/search")
def search_products():
    shop = shop_call()
    size = page_size()
    body()
    offset = (_page_token("products") or {}).get("offset", 0)
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ApiError("param", "invalid page_token")
    found = commerce.products(sandbox(), shop["id"], offset=offset, limit=size)
    total = commerce.count_products(sandbox(), shop["id"])
    more = offset + len(found) < total
    return ok({"products": [sandbox().platform.product_json(p) for p in found], "total_count": total,
               "next_page_token": encode_cursor({"kind": "products", "offset": offset + len(found)}) if more
               else ""})


@bp.get("/product/202309/products/<product_id>")
def get_product(product_id):
    shop = shop_call()
    return ok(sandbox().platform.product_json(_product(shop, product_id)))


def _sku_quantity(entry) -> tuple:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise ApiError("param", "each sku needs a string id")
    inventory = entry.get("inventory")
    if not isinstance(inventory, list) or len(inventory) != 1 or not isinstance(inventory[0], dict):
        raise ApiError("param", "inventory must hold one {warehouse_id?, quantity} entry")
    quantity = inventory[0].get("quantity")
    if not commerce.is_stock(quantity):
        raise ApiError("param", f"quantity must be a whole number from 0 to {commerce.MAX_STOCK}")
    return entry["id"], quantity, inventory[0].get("warehouse_id")


@bp.post("/product/202309/products/<product_id>/inventory/update")
def update_inventory(product_id):
    """Absolute quantities; an unknown SKU (or warehouse) fails alone in data.errors."""
    shop = shop_call()
    skus = body().get("skus")
    if not isinstance(skus, list) or not 1 <= len(skus) <= MAX_SKUS:
        raise ApiError("param", f"skus must hold 1 to {MAX_SKUS} entries")
    wanted = [_sku_quantity(entry) for entry in skus]
    product = _product(shop, product_id)
    variants = {str(SKU_BASE + v["id"]): v for v in product["variants"]}
    warehouse = sandbox().platform.warehouse_id(shop["id"])
    errors = []
    with sandbox().store.tx() as conn:
        for sku_id, quantity, warehouse_id in wanted:
            if sku_id not in variants:
                errors.append({"code": 17019004, "message": f"sku {sku_id} does not belong to the product",
                               "detail": {"sku_id": sku_id}})
            elif warehouse_id not in (None, "", warehouse):
                errors.append({"code": 17019005, "message": f"warehouse {warehouse_id} not found",
                               "detail": {"sku_id": sku_id, "warehouse_id": warehouse_id}})
            else:
                commerce.set_stock(conn, product["id"], variants[sku_id]["id"], quantity)
    return ok({"errors": errors} if errors else {})


def _time(data: dict, key: str, default: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiError("param", f"{key} must be a unix timestamp in seconds")
    return value


@bp.post("/order/202309/orders/search")
def search_orders():
    shop = shop_call()
    size = page_size()
    field = request.args.get("sort_field", "create_time")
    if field not in ("create_time", "update_time") or request.args.get("sort_order", "ASC") != "ASC":
        raise ApiError("param", "sort_field must be create_time or update_time; the sandbox sorts ASC only")
    filters = body()
    bounds = {column: (_time(filters, f"{column}_ge", 0), _time(filters, f"{column}_lt", FAR_FUTURE) - 1)
              for column in ("create_time", "update_time")}
    status = filters.get("order_status")
    if status is not None and (not isinstance(status, str) or status not in ORDER_STATUSES):
        raise ApiError("param", "unknown order_status")
    query = [field, [[column, list(bound)] for column, bound in sorted(bounds.items())], status]
    token = _page_token("orders")
    if token and (token.get("q") != query or not isinstance(token.get("k"), list)):
        raise ApiError("param", "page_token belongs to another query")
    rows, more = commerce.order_page(sandbox(), shop["id"], field, bounds, tuple(token["k"]) if token else None,
                                     size, (status,) if status else ())
    details = {o["ext_id"]: o for o in commerce.orders_with_lines(sandbox(), shop["id"],
                                                                   [row["ext_id"] for row in rows])} if rows else {}
    orders = [details[row["ext_id"]] for row in rows]
    total = commerce.count_orders(sandbox(), shop["id"], bounds, (status,) if status else ())
    next_token = encode_cursor({"kind": "orders", "q": query, "k": [rows[-1][field], rows[-1]["id"]]}) if more \
        else ""
    return ok({"orders": [sandbox().platform.order_json(o) for o in orders], "next_page_token": next_token,
               "total_count": total})


@bp.get("/order/202309/orders")
def get_orders():
    shop = shop_call()
    ids = [part for part in request.args.get("ids", "").split(",") if part]
    if not 1 <= len(ids) <= 50:
        raise ApiError("param", "ids must hold 1 to 50 comma-separated order ids")
    orders = commerce.orders_with_lines(sandbox(), shop["id"], ids)
    return ok({"orders": [sandbox().platform.order_json(o) for o in orders]})
