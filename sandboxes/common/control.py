"""The control API (`/_sandbox/...`, JSON): what tests, the demo seeding and the sync benchmark use to set the
scene — shops, catalogue, buyer orders and their moves, faults, settings, push callback — and to read the request
log. Bad input answers 400 (404 for unknown ids, 409 for a conflict) with `{"error": "..."}`."""

from flask import Blueprint, current_app, jsonify, request

from sandboxes.common import auth, commerce, validate
from sandboxes.common.errors import BadInput
from sandboxes.common.pushes import list_pushes
from sandboxes.common.settings import RUNTIME

control = Blueprint("control", __name__, url_prefix="/_sandbox")


def _sb():
    return current_app.extensions["sandbox"]


def _body() -> dict:
    return validate.obj(request.get_json(silent=True), "request body")


def _shop_json(shop: dict) -> dict:
    return {"shop_id": _sb().platform.shop_id_out(shop["ext_id"]), "name": shop["name"], "cipher": shop["cipher"],
            "rate_limit": shop["rate_limit"] or _sb().settings.rate_limit}


@control.get("/health")
def health():
    return jsonify(ok=True, platform=_sb().platform.name)


@control.post("/reset")
def reset():
    _sb().reset()
    return jsonify(ok=True)


@control.route("/faults", methods=["GET", "PUT"])
def faults():
    if request.method == "PUT":
        return jsonify(_sb().faults.update(_body()))
    return jsonify(_sb().faults.snapshot())


@control.route("/config", methods=["GET", "PUT"])
def config():
    sb = _sb()
    if request.method == "PUT":
        changes = {}
        for key, value in _body().items():
            if key not in RUNTIME:
                raise BadInput(f"unknown setting {key!r}; changeable: {', '.join(RUNTIME)}")
            low, high = (1, 100) if key == "push_max_attempts" else (0, 10**8)
            if key == "push_max_attempts":
                changes[key] = validate.integer({key: value}, key, low, high)
            else:
                changes[key] = validate.number({key: value}, key, low, high)
        if "duplicate_push_rate" in changes:
            sb.faults.update({"duplicate_push_rate": changes["duplicate_push_rate"]})
        sb.adjust(changes)
    return jsonify({key: getattr(sb.settings, key) for key in RUNTIME})


@control.route("/push-callback", methods=["GET", "PUT"])
def push_callback():
    sb = _sb()
    if request.method == "PUT":
        url = validate.text(_body(), "url", max_len=2000)
        if not url.startswith(("http://", "https://")):
            raise BadInput("url must start with http:// or https://")
        sb.store.set_setting("push_url", url)
    return jsonify(url=sb.store.setting("push_url"))


@control.get("/pushes")
def pushes():
    return jsonify(pushes=list_pushes(_sb(), request.args.get("state")))


@control.route("/requests", methods=["GET", "DELETE"])
def requests_log():
    """Filters: path (exact), api (route pattern), shop_id, since_id. `counts` groups the matches by path."""
    sb = _sb()
    if request.method == "DELETE":
        with sb.store.tx() as conn:
            conn.execute("DELETE FROM requests")
        return jsonify(ok=True)
    sql, args = "SELECT * FROM requests WHERE 1 = 1", []
    for key, column in (("path", "path"), ("api", "api"), ("shop_id", "shop")):
        if request.args.get(key):
            sql += f" AND {column} = ?"
            args.append(request.args[key])
    since = request.args.get("since_id", "0")
    if not since.isdigit():
        raise BadInput("since_id must be a whole number")
    rows = [dict(row) for row in sb.store.all(sql + " AND id > ? ORDER BY id", (*args, int(since)))]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["path"]] = counts.get(row["path"], 0) + 1
    return jsonify(total=len(rows), counts=counts, requests=rows)


@control.route("/shops", methods=["GET", "POST"])
def shops():
    sb = _sb()
    if request.method == "POST":
        return jsonify(_shop_json(commerce.create_shop(sb, _body()))), 201
    return jsonify(shops=[_shop_json(dict(row)) for row in sb.store.all("SELECT * FROM shops ORDER BY id")])


@control.route("/shops/<shop_id>", methods=["GET", "PATCH"])
def shop(shop_id):
    sb = _sb()
    found = commerce.get_shop(sb, shop_id)
    if request.method == "PATCH":
        found = commerce.update_shop(sb, found, _body())
    return jsonify(_shop_json(found))


@control.post("/shops/<shop_id>/products")
def add_product(shop_id):
    sb = _sb()
    found = commerce.get_shop(sb, shop_id)
    pk = commerce.add_product(sb, found, _body())
    return jsonify(sb.platform.describe_product(commerce.products(sb, found["id"], [pk])[0])), 201


@control.get("/shops/<shop_id>/stock")
def stock(shop_id):
    sb = _sb()
    found = commerce.get_shop(sb, shop_id)
    return jsonify(products=[sb.platform.describe_product(p) for p in commerce.products(sb, found["id"])])


@control.post("/shops/<shop_id>/orders")
def place_order(shop_id):
    sb = _sb()
    order = commerce.place_order(sb, commerce.get_shop(sb, shop_id), _body())
    return jsonify(order_id=order["ext_id"], status=order["status"]), 201


@control.post("/shops/<shop_id>/revoke")
def revoke(shop_id):
    sb = _sb()
    return jsonify(revoked=auth.revoke_shop(sb, commerce.get_shop(sb, shop_id)["id"]))


@control.get("/orders/<order_id>")
def order(order_id):
    found = commerce.get_order(_sb(), order_id)
    return jsonify(order_id=found["ext_id"], status=found["status"], create_time=found["create_time"],
                   update_time=found["update_time"])


@control.post("/orders/<order_id>/<action>")
def move_order(order_id, action):
    moved = commerce.change_order(_sb(), order_id, action)
    return jsonify(order_id=moved["ext_id"], status=moved["status"])
