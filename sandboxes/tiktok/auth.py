"""TikTok Shop authorisation: the seller's approve page, the single-use auth code (30 minutes), token get and
refresh (the refresh token stays valid until it expires; expiries are absolute timestamps), authorised shops."""

from flask import Blueprint, redirect, render_template_string, request

from sandboxes.common import auth
from sandboxes.common.errors import ApiError
from sandboxes.tiktok.signed import ok, sandbox, seller_call

bp = Blueprint("tiktok_auth", __name__)

APPROVE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorise app</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:40rem}button{background:#fe2c55;color:#fff;
border:0;padding:.5rem 1rem;border-radius:4px}</style></head><body><h1>TikTok Shop (sandbox): authorise app
{{ app_key }}</h1><p>The app asks to manage your shop's products, inventory and orders.</p>
{% for shop in shops %}<form method="post"><input type="hidden" name="shop_id" value="{{ shop.ext_id }}">
<input type="hidden" name="redirect_uri" value="{{ redirect_uri }}"><input type="hidden" name="state"
value="{{ state }}"><p>{{ shop.name }} (shop {{ shop.ext_id }})
<button type="submit" name="approve" value="1">Authorize</button></p></form>
{% else %}<p>No shops in this sandbox.</p>{% endfor %}</body></html>"""


@bp.get("/oauth/authorize")
def authorise_page():
    sb = sandbox()
    if request.args.get("app_key") != sb.platform.app_key:
        raise ApiError("partner", "invalid app_key")
    return render_template_string(APPROVE_PAGE, app_key=sb.platform.app_key, state=request.args.get("state", ""),
                                  redirect_uri=auth.checked_redirect(request.args.get("redirect_uri"), "redirect_uri"),
                                  shops=sb.store.all("SELECT * FROM shops ORDER BY id"))


@bp.post("/oauth/authorize")
def approve():
    target = auth.checked_redirect(request.form.get("redirect_uri"), "redirect_uri")
    return redirect(auth.approve_redirect(sandbox(), request.form.get("shop_id", ""), target,
                                          state=request.form.get("state", "")))


def _app_credentials() -> None:
    platform = sandbox().platform
    if request.args.get("app_key") != platform.app_key or request.args.get("app_secret") != platform.app_secret:
        raise ApiError("partner", "invalid app_key or app_secret")


def _token_data(tokens: dict, shop_pk: int) -> dict:
    shop = sandbox().store.one("SELECT * FROM shops WHERE id = ?", (shop_pk,))
    return {"access_token": tokens["access_token"], "access_token_expire_in": tokens["access_expires_at"],
            "refresh_token": tokens["refresh_token"], "refresh_token_expire_in": tokens["refresh_expires_at"],
            "open_id": f"open-{shop['ext_id']}", "seller_name": shop["name"], "seller_base_region": "ID",
            "user_type": 0, "granted_scopes": ["seller.product.basic", "seller.order.info"]}


@bp.get("/api/v2/token/get")
def token_get():
    _app_credentials()
    if request.args.get("grant_type") != "authorized_code":
        raise ApiError("param", "grant_type must be authorized_code")
    shop_pk = auth.redeem_code(sandbox(), request.args.get("auth_code"))
    return ok(_token_data(auth.issue_tokens(sandbox(), shop_pk), shop_pk))


@bp.get("/api/v2/token/refresh")
def token_refresh():
    _app_credentials()
    if request.args.get("grant_type") != "refresh_token":
        raise ApiError("param", "grant_type must be refresh_token")
    tokens = auth.refresh(sandbox(), request.args.get("refresh_token"), single_use=False)
    return ok(_token_data(tokens, tokens["shop_id"]))


@bp.get("/authorization/202309/shops")
def authorized_shops():
    shop = seller_call()
    return ok({"shops": [{"id": shop["ext_id"], "name": shop["name"], "region": "ID", "seller_type": "LOCAL",
                          "cipher": shop["cipher"], "code": f"IDLC{shop['id']:06d}"}]})
