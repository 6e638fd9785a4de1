"""Shops, products with variants, stock and buyer orders: the platform-neutral core. Each platform names the
things its own way (items/models, products/SKUs) and formats the ids; the rules live here once."""

import time

from sandboxes.common import validate
from sandboxes.common.errors import BadInput

MAX_STOCK = 99_999


def is_stock(value) -> bool:
    """What both platforms accept as a stock figure: a whole number from 0 to 99,999."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_STOCK


def _now() -> int:
    return int(time.time())


def create_shop(sb, data) -> dict:
    data = validate.obj(data)
    name = validate.text(data, "name")
    ext_id = data.get("shop_id")
    if ext_id is not None and (isinstance(ext_id, bool) or not isinstance(ext_id, int | str) or not str(ext_id)):
        raise BadInput("shop_id must be a number or a string")
    if ext_id is not None:
        sb.platform.check_shop_id(ext_id)
    rate_limit = validate.number(data, "rate_limit", 0.1, 10_000) if "rate_limit" in data else None
    with sb.store.tx() as conn:
        if ext_id is not None and conn.execute("SELECT 1 FROM shops WHERE ext_id = ?", (str(ext_id),)).fetchone():
            raise BadInput(f"shop {ext_id} already exists", 409)
        pk = conn.execute("INSERT INTO shops (ext_id, name, cipher, rate_limit, created_at) VALUES (?, ?, '', ?, ?)",
                          (f"new-{time.monotonic_ns()}", name, rate_limit, _now())).lastrowid
        ext_id = str(ext_id) if ext_id is not None else sb.platform.shop_ext_id(pk)
        conn.execute("UPDATE shops SET ext_id = ?, cipher = ? WHERE id = ?", (ext_id, sb.platform.cipher(pk), pk))
        return dict(conn.execute("SELECT * FROM shops WHERE id = ?", (pk,)).fetchone())


def get_shop(sb, ext_id) -> dict:
    row = sb.store.one("SELECT * FROM shops WHERE ext_id = ?", (str(ext_id),))
    if row is None:
        raise BadInput(f"no shop {ext_id}", 404)
    return dict(row)


def update_shop(sb, shop: dict, data) -> dict:
    data = validate.obj(data)
    if not data or set(data) - {"rate_limit", "name"}:
        raise BadInput("give name and/or rate_limit; nothing else can be changed")
    name = validate.text(data, "name") if "name" in data else shop["name"]
    rate = validate.number(data, "rate_limit", 0.1, 10_000) if "rate_limit" in data else shop["rate_limit"]
    with sb.store.tx() as conn:
        conn.execute("UPDATE shops SET name = ?, rate_limit = ? WHERE id = ?", (name, rate, shop["id"]))
    return get_shop(sb, shop["ext_id"])


def _variant(entry, default_name: str) -> tuple:
    entry = validate.obj(entry, "each variant")
    name = validate.text(entry, "name", required=False) or default_name
    return (name, validate.text(entry, "sku", required=False), validate.integer(entry, "price", 0, 10**12),
            validate.integer(entry, "stock", 0, MAX_STOCK))


def add_product(sb, shop: dict, data) -> int:
    """A product without `variants` gets one hidden variant (Shopee's model_id 0)."""
    data = validate.obj(data)
    name = validate.text(data, "name")
    if "variants" in data:
        variants = [_variant(v, name) for v in validate.items(data, "variants", 1, sb.platform.max_variants)]
    else:
        variants = [_variant(data, name)]
    now = _now()
    with sb.store.tx() as conn:
        pk = conn.execute("INSERT INTO products (shop_id, name, sku, has_variants, created_at, update_time) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          (shop["id"], name, validate.text(data, "sku", required=False), int("variants" in data),
                           now, now)).lastrowid
        conn.executemany("INSERT INTO variants (product_id, shop_id, name, sku, price, stock) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         [(pk, shop["id"], *variant) for variant in variants])
    return pk


def products(sb, shop_id: int, product_ids=None, offset: int = 0, limit: int = 10**9) -> list[dict]:
    """Products (oldest first) each with its variants, as plain dicts."""
    if product_ids is not None:
        marks = ",".join("?" * len(product_ids))
        rows = sb.store.all(f"SELECT * FROM products WHERE shop_id = ? AND id IN ({marks}) ORDER BY id",
                            (shop_id, *product_ids))
    else:
        rows = sb.store.all("SELECT * FROM products WHERE shop_id = ? ORDER BY id LIMIT ? OFFSET ?",
                            (shop_id, limit, offset))
    result = [dict(row) | {"variants": []} for row in rows]
    by_id = {product["id"]: product for product in result}
    if by_id:
        marks = ",".join("?" * len(by_id))
        for variant in sb.store.all(f"SELECT * FROM variants WHERE product_id IN ({marks}) ORDER BY id",
                                    tuple(by_id)):
            by_id[variant["product_id"]]["variants"].append(dict(variant))
    return result


def count_products(sb, shop_id: int) -> int:
    return sb.store.one("SELECT COUNT(*) AS n FROM products WHERE shop_id = ?", (shop_id,))["n"]


def set_stock(conn, product_id: int, variant_id: int, quantity: int) -> None:
    conn.execute("UPDATE variants SET stock = ? WHERE id = ?", (quantity, variant_id))
    conn.execute("UPDATE products SET update_time = ? WHERE id = ?", (_now(), product_id))


def place_order(sb, shop: dict, data) -> dict:
    """A buyer's order lowers the partner-side stock at once (as the platforms reserve at checkout)."""
    data = validate.obj(data)
    wanted = []
    for entry in validate.items(data, "lines", 1, 50):
        entry = validate.obj(entry, "each line")
        wanted.append((validate.text(entry, "sku"), validate.integer(entry, "quantity", 1, 1000, default=1)))
    pay = data.get("paid", False)
    if not isinstance(pay, bool):
        raise BadInput("paid must be true or false")
    now = _now()
    with sb.store.tx() as conn:
        lines = []
        for sku, quantity in wanted:
            variant = conn.execute("SELECT * FROM variants WHERE shop_id = ? AND sku = ? ORDER BY id",
                                   (shop["id"], sku)).fetchone()
            if variant is None:
                raise BadInput(f"no variant with sku {sku!r} in shop {shop['ext_id']}")
            taken = sum(q for v, q in lines if v["id"] == variant["id"])
            if variant["stock"] < taken + quantity:
                raise BadInput(f"sku {sku!r} has only {variant['stock']} in stock", 409)
            lines.append((variant, quantity))
        pk = conn.execute("INSERT INTO orders (shop_id, ext_id, status, create_time, update_time) "
                          "VALUES (?, ?, ?, ?, ?)",
                          (shop["id"], f"new-{time.monotonic_ns()}", sb.platform.initial_status, now, now)).lastrowid
        conn.execute("UPDATE orders SET ext_id = ? WHERE id = ?", (sb.platform.order_ext_id(pk, now), pk))
        for variant, quantity in lines:
            conn.execute("INSERT INTO order_lines (order_id, variant_id, quantity, price) VALUES (?, ?, ?, ?)",
                         (pk, variant["id"], quantity, variant["price"]))
            conn.execute("UPDATE variants SET stock = stock - ? WHERE id = ?", (quantity, variant["id"]))
        order = dict(conn.execute("SELECT * FROM orders WHERE id = ?", (pk,)).fetchone())
        sb.pushes.order_changed(shop, order)
        if pay:
            order = change_order(sb, order["ext_id"], "pay")
    return order


def get_order(sb, ext_id: str) -> dict:
    row = sb.store.one("SELECT * FROM orders WHERE ext_id = ?", (ext_id,))
    if row is None:
        raise BadInput(f"no order {ext_id}", 404)
    return dict(row)


def change_order(sb, ext_id: str, action: str) -> dict:
    """Moves an order as the platform does; a cancellation puts the stock back."""
    if action not in sb.platform.actions:
        raise BadInput(f"unknown action {action!r}; known: {', '.join(sb.platform.actions)}")
    sources, target, restock = sb.platform.actions[action]
    with sb.store.tx() as conn:
        order = get_order(sb, ext_id)
        if order["status"] not in sources:
            raise BadInput(f"cannot {action} an order that is {order['status']}", 409)
        if restock:
            for line in conn.execute("SELECT * FROM order_lines WHERE order_id = ?", (order["id"],)).fetchall():
                conn.execute("UPDATE variants SET stock = MIN(?, stock + ?) WHERE id = ?",
                             (MAX_STOCK, line["quantity"], line["variant_id"]))
        update_time = max(_now(), order["update_time"])
        conn.execute("UPDATE orders SET status = ?, update_time = ? WHERE id = ?", (target, update_time, order["id"]))
        order |= {"status": target, "update_time": update_time}
        shop = dict(conn.execute("SELECT * FROM shops WHERE id = ?", (order["shop_id"],)).fetchone())
        sb.pushes.order_changed(shop, order)
    return order


def _order_filter(shop_id: int, bounds: dict, statuses: tuple) -> tuple[str, list]:
    """`bounds` maps create_time/update_time to inclusive (low, high) limits."""
    sql, args = "shop_id = ?", [shop_id]
    for column, (low, high) in bounds.items():
        assert column in ("create_time", "update_time")
        sql += f" AND {column} BETWEEN ? AND ?"
        args += [low, high]
    if statuses:
        sql += f" AND status IN ({','.join('?' * len(statuses))})"
        args += statuses
    return sql, args


def order_page(sb, shop_id: int, field: str, bounds: dict, after: tuple | None, size: int,
               statuses: tuple = ()) -> tuple[list[dict], bool]:
    """Keyset paging on (time field, id): every order in the window exactly once while it does not change."""
    assert field in ("create_time", "update_time")
    sql, args = _order_filter(shop_id, bounds, statuses)
    if after:
        sql += f" AND ({field} > ? OR ({field} = ? AND id > ?))"
        args += [after[0], after[0], after[1]]
    rows = sb.store.all(f"SELECT * FROM orders WHERE {sql} ORDER BY {field}, id LIMIT ?", (*args, size + 1))
    return [dict(row) for row in rows[:size]], len(rows) > size


def count_orders(sb, shop_id: int, bounds: dict, statuses: tuple = ()) -> int:
    sql, args = _order_filter(shop_id, bounds, statuses)
    return sb.store.one(f"SELECT COUNT(*) AS n FROM orders WHERE {sql}", args)["n"]


def orders_with_lines(sb, shop_id: int, ext_ids: list[str]) -> list[dict]:
    marks = ",".join("?" * len(ext_ids))
    orders = [dict(row) | {"lines": []} for row in sb.store.all(
        f"SELECT * FROM orders WHERE shop_id = ? AND ext_id IN ({marks}) ORDER BY id", (shop_id, *ext_ids))]
    by_id = {order["id"]: order for order in orders}
    if by_id:
        for line in sb.store.all(
                "SELECT l.*, v.sku, v.name AS variant_name, v.product_id, p.name AS product_name, p.has_variants "
                f"FROM order_lines l JOIN variants v ON v.id = l.variant_id JOIN products p ON p.id = v.product_id "
                f"WHERE l.order_id IN ({','.join('?' * len(by_id))}) ORDER BY l.id", tuple(by_id)):
            by_id[line["order_id"]]["lines"].append(dict(line))
    return orders


def recent_orders(sb, shop_id: int, limit: int = 20) -> list[dict]:
    ext_ids = [row["ext_id"] for row in sb.store.all(
        "SELECT ext_id FROM orders WHERE shop_id = ? ORDER BY id DESC LIMIT ?", (shop_id, limit))]
    return list(reversed(orders_with_lines(sb, shop_id, ext_ids))) if ext_ids else []
