"""Shopee shop calls: catalogue and stock (`product/...`) and orders (`order/...`)."""

from flask import Blueprint, request

from sandboxes.common import commerce
from sandboxes.common.errors import ApiError
from sandboxes.common.signing import decode_cursor, encode_cursor
from sandboxes.shopee.platform import ITEM_BASE, LOCATION_ID, MODEL_BASE, Shopee
from sandboxes.shopee.signed import body, id_list, int_arg, ok, sandbox, shop_call

bp = Blueprint("shopee_api", __name__, url_prefix="/api/v2")
ITEM_STATUSES = {"NORMAL", "BANNED", "UNLIST", "REVIEWING", "SELLER_DELETE", "SHOPEE_DELETE"}
ORDER_STATUSES = {"UNPAID", "READY_TO_SHIP", "PROCESSED", "SHIPPED", "COMPLETED", "IN_CANCEL", "CANCELLED",
                  "INVOICE_PENDING"}
MAX_WINDOW = 15 * 86400


def _stock_info(variant: dict) -> dict:
    return {"summary_info": {"total_reserved_stock": 0, "total_available_stock": variant["stock"]},
            "seller_stock": [{"location_id": LOCATION_ID, "stock": variant["stock"]}]}


def _products_by_item_ids(shop: dict, item_ids: list[str]) -> list[dict]:
    pks = [int(i) - ITEM_BASE for i in item_ids if i.isdigit() and int(i) > ITEM_BASE]
    return commerce.products(sandbox(), shop["id"], pks) if pks else []


@bp.get("/product/get_item_list")
def get_item_list():
    shop = shop_call()
    offset, size = int_arg("offset", 0, 10**9, default=0), int_arg("page_size", 1, 100)
    statuses = {s for raw in request.args.getlist("item_status") for s in raw.split(",") if s}
    if not statuses or not statuses <= ITEM_STATUSES:
        raise ApiError("param", "item_status is required: NORMAL, BANNED, UNLIST, ...")
    found = commerce.products(sandbox(), shop["id"], offset=offset, limit=size) if "NORMAL" in statuses else []
    total = commerce.count_products(sandbox(), shop["id"]) if "NORMAL" in statuses else 0
    return ok({"item": [{"item_id": Shopee.item_id(p), "item_status": "NORMAL", "update_time": p["update_time"]}
                        for p in found],
               "total_count": total, "has_next_page": offset + len(found) < total, "next_offset": offset + len(found)})


@bp.get("/product/get_item_base_info")
def get_item_base_info():
    shop = shop_call()
    items = []
    for product in _products_by_item_ids(shop, id_list("item_id_list", 50)):
        item = {"item_id": Shopee.item_id(product), "item_name": product["name"], "item_sku": product["sku"] or "",
                "item_status": "NORMAL", "has_model": bool(product["has_variants"]),
                "update_time": product["update_time"], "create_time": product["created_at"]}
        if not product["has_variants"]:
            variant = product["variants"][0]
            item |= {"stock_info_v2": _stock_info(variant),
                     "price_info": [{"currency": "IDR", "current_price": variant["price"],
                                     "original_price": variant["price"]}]}
        items.append(item)
    return ok({"item_list": items})


@bp.get("/product/get_model_list")
def get_model_list():
    shop = shop_call()
    products = _products_by_item_ids(shop, id_list("item_id", 1))
    if not products:
        raise ApiError("param", "item_id not found in this shop.")
    product = products[0]
    if not product["has_variants"]:
        return ok({"tier_variation": [], "model": []})
    return ok({"tier_variation": [{"name": "Variasi", "option_list": [{"option": v["name"]}
                                                                      for v in product["variants"]]}],
               "model": [{"model_id": Shopee.model_id(product, v), "model_sku": v["sku"] or "", "tier_index": [i],
                          "price_info": [{"currency": "IDR", "current_price": v["price"],
                                          "original_price": v["price"]}], "stock_info_v2": _stock_info(v)}
                         for i, v in enumerate(product["variants"])]})


def _model_stock(entry) -> tuple:
    """(model_id, stock, location) or an ApiError for the whole call: malformed input refuses the batch."""
    if not isinstance(entry, dict) or isinstance(entry.get("model_id"), bool) or \
            not isinstance(entry.get("model_id"), int):
        raise ApiError("param", "Each stock_list entry needs an integer model_id.")
    seller_stock = entry.get("seller_stock")
    if not isinstance(seller_stock, list) or len(seller_stock) != 1 or not isinstance(seller_stock[0], dict):
        raise ApiError("param", "seller_stock must hold one {location_id?, stock} entry.")
    stock = seller_stock[0].get("stock")
    if not commerce.is_stock(stock):
        raise ApiError("param", f"stock must be a whole number from 0 to {commerce.MAX_STOCK}.")
    return entry["model_id"], stock, seller_stock[0].get("location_id")


@bp.post("/product/update_stock")
def update_stock():
    """Absolute values; an unknown model fails alone in failure_list, the others are set."""
    shop = shop_call()
    data = body()
    stock_list = data.get("stock_list")
    if not isinstance(stock_list, list) or not 1 <= len(stock_list) <= 50:
        raise ApiError("param", "stock_list must hold 1 to 50 entries.")
    wanted = [_model_stock(entry) for entry in stock_list]
    item_id = data.get("item_id")
    products = _products_by_item_ids(shop, [str(item_id)]) if isinstance(item_id, int) else []
    if not products:
        raise ApiError("param", "item_id not found in this shop.")
    product = products[0]
    variants = {Shopee.model_id(product, v): v for v in product["variants"]}
    success, failure = [], []
    with sandbox().store.tx() as conn:
        for model_id, stock, location in wanted:
            if model_id not in variants:
                failure.append({"model_id": model_id, "failed_reason": "model_id not found"})
            elif location not in (None, "", LOCATION_ID):
                failure.append({"model_id": model_id, "failed_reason": f"location_id {location} not found"})
            else:
                commerce.set_stock(conn, product["id"], variants[model_id]["id"], stock)
                success.append({"model_id": model_id, "location_id": LOCATION_ID, "stock": stock})
    return ok({"success_list": success, "failure_list": failure})


def _cursor(field: str, time_from: int, time_to: int) -> tuple | None:
    raw = request.args.get("cursor", "")
    if not raw:
        return None
    data = decode_cursor(raw)
    if not data or data.get("w") != [field, time_from, time_to] or not isinstance(data.get("k"), list):
        raise ApiError("param", "Invalid cursor: use next_cursor with the same query.")
    return tuple(data["k"])


@bp.get("/order/get_order_list")
def get_order_list():
    shop = shop_call()
    field = request.args.get("time_range_field")
    if field not in ("create_time", "update_time"):
        raise ApiError("param", "time_range_field must be create_time or update_time.")
    time_from, time_to = int_arg("time_from", 0, 2**40), int_arg("time_to", 0, 2**40)
    if time_to < time_from or time_to - time_from > MAX_WINDOW:
        raise ApiError("param", "The time range must not exceed 15 days (and time_to >= time_from).")
    size = int_arg("page_size", 1, 100)
    status = request.args.get("order_status")
    if status is not None and status not in ORDER_STATUSES:
        raise ApiError("param", "Unknown order_status.")
    rows, more = commerce.order_page(sandbox(), shop["id"], field, {field: (time_from, time_to)},
                                     _cursor(field, time_from, time_to), size, (status,) if status else ())
    next_cursor = encode_cursor({"w": [field, time_from, time_to], "k": [rows[-1][field], rows[-1]["id"]]}) \
        if more else ""
    return ok({"more": more, "next_cursor": next_cursor,
               "order_list": [{"order_sn": row["ext_id"]} for row in rows]})


@bp.get("/order/get_order_detail")
def get_order_detail():
    shop = shop_call()
    orders = commerce.orders_with_lines(sandbox(), shop["id"], id_list("order_sn_list", 50))
    return ok({"order_list": [{
        "order_sn": order["ext_id"], "order_status": order["status"], "create_time": order["create_time"],
        "update_time": order["update_time"], "currency": "IDR", "region": "ID",
        "total_amount": sum(line["price"] * line["quantity"] for line in order["lines"]),
        "item_list": [{"item_id": ITEM_BASE + line["product_id"], "item_name": line["product_name"],
                       "model_id": MODEL_BASE + line["variant_id"] if line["has_variants"] else 0,
                       "model_sku": line["sku"] or "", "model_name": line["variant_name"],
                       "model_quantity_purchased": line["quantity"], "model_discounted_price": line["price"]}
                      for line in order["lines"]]} for order in orders]})
