"""Shopee authorisation: the shop owner's approve page, the single-use code, token exchange, refresh (the old
refresh token stops working), and the lost-push queue a partner fetches undelivered pushes from."""

from flask import Blueprint, redirect, render_template_string, request

from sandboxes.common import auth
from sandboxes.common.errors import ApiError
from sandboxes.common.pushes import list_pushes
from sandboxes.shopee.signed import body, ok, partner_call, sandbox

bp = Blueprint("shopee_auth", __name__, url_prefix="/api/v2")

APPROVE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorise partner</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:40rem}button{background:#ee4d2d;color:#fff;
border:0;padding:.5rem 1rem;border-radius:4px}</style></head><body><h1>Shopee (sandbox): authorise partner
{{ partner_id }}</h1><p>The app asks to manage your shop's products, stock and orders.</p>
{% for shop in shops %}<form method="post"><input type="hidden" name="shop_id" value="{{ shop.ext_id }}">
<input type="hidden" name="redirect" value="{{ redirect_url }}"><p>{{ shop.name }} (shop {{ shop.ext_id }})
<button type="submit" name="approve" value="1">Approve</button></p></form>
{% else %}<p>No shops in this sandbox.</p>{% endfor %}</body></html>"""


@bp.get("/shop/auth_partner")
def authorise_page():
    partner_call()
    sb = sandbox()
    return render_template_string(APPROVE_PAGE, partner_id=sb.platform.partner_id,
                                  redirect_url=auth.checked_redirect(request.args.get("redirect"), "redirect"),
                                  shops=sb.store.all("SELECT * FROM shops ORDER BY id"))


@bp.post("/shop/auth_partner")
def approve():
    """The owner clicked Approve: a code for this shop, single use, sent back on the redirect."""
    shop_id = request.form.get("shop_id", "")
    target = auth.checked_redirect(request.form.get("redirect"), "redirect")
    return redirect(auth.approve_redirect(sandbox(), shop_id, target, shop_id=shop_id))


def _shop_pk(shop_id) -> int:
    row = sandbox().store.one("SELECT id FROM shops WHERE ext_id = ?", (str(shop_id),))
    if row is None or isinstance(shop_id, bool) or not isinstance(shop_id, int):
        raise ApiError("param", "shop_id must be the number of an authorising shop.")
    return row["id"]


def _check_partner_in_body(data: dict) -> None:
    if data.get("partner_id") != sandbox().platform.partner_id:
        raise ApiError("param", "partner_id in the body must match the query.")


@bp.post("/auth/token/get")
def token_get():
    partner_call()
    data = body()
    _check_partner_in_body(data)
    shop_pk = _shop_pk(data.get("shop_id"))
    if auth.redeem_code(sandbox(), data.get("code")) != shop_pk:
        raise ApiError("auth", "The code was not issued for this shop.")
    tokens = auth.issue_tokens(sandbox(), shop_pk)
    return ok(access_token=tokens["access_token"], refresh_token=tokens["refresh_token"],
              expire_in=tokens["access_ttl"], shop_id_list=[data["shop_id"]], merchant_id_list=[])


@bp.post("/auth/access_token/get")
def access_token_get():
    partner_call()
    data = body()
    _check_partner_in_body(data)
    shop_pk = _shop_pk(data.get("shop_id"))
    row = sandbox().store.one("SELECT shop_id FROM tokens WHERE token = ? AND kind = 'refresh'",
                              (str(data.get("refresh_token")),))
    if row is not None and row["shop_id"] != shop_pk:
        raise ApiError("auth", "The refresh_token was not issued for this shop.")
    try:
        tokens = auth.refresh(sandbox(), data.get("refresh_token"), single_use=True)
    except ApiError as error:
        raise ApiError("auth" if error.kind == "token_expired" else error.kind, f"Invalid refresh_token: "
                       f"{error.message}.") from None
    return ok(access_token=tokens["access_token"], refresh_token=tokens["refresh_token"],
              expire_in=tokens["access_ttl"], partner_id=data["partner_id"], shop_id=data["shop_id"])


@bp.get("/push/get_lost_push_message")
def get_lost_push_message():
    """Up to 100 of the oldest pushes nobody took, until the partner confirms them."""
    partner_call()
    lost = list_pushes(sandbox(), "lost")
    page = lost[:100]
    return ok({"push_message_list": [sandbox().platform.lost_message(p) for p in page],
               "has_next_page": len(lost) > 100, "last_message_id": page[-1]["id"] if page else 0})


@bp.post("/push/confirm_consumed_lost_push_message")
def confirm_consumed():
    partner_call()
    last = body().get("last_message_id")
    if isinstance(last, bool) or not isinstance(last, int) or last < 0:
        raise ApiError("param", "last_message_id must be a whole number.")
    with sandbox().store.tx() as conn:
        conn.execute("UPDATE pushes SET state = 'consumed' WHERE state = 'lost' AND id <= ?", (last,))
    return ok({})
