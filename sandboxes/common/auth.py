"""Authorisation codes and tokens, shared by both platforms; they differ in lifetimes and in whether a refresh
token survives its use (Shopee: single use; TikTok: reusable until it expires)."""

import secrets
import time
from urllib.parse import urlencode, urlsplit

from sandboxes.common.errors import ApiError


def checked_redirect(value: str | None, name: str) -> str:
    if not value or urlsplit(value).scheme not in ("http", "https"):
        raise ApiError("param", f"{name} must be an http(s) URL")
    return value


def approve_redirect(sb, shop_ext_id: str, target: str, **extra: str) -> str:
    """The owner clicked Approve: a single-use code for the shop, appended (with `extra`) to the redirect URL."""
    shop = sb.store.one("SELECT * FROM shops WHERE ext_id = ?", (shop_ext_id,))
    if shop is None:
        raise ApiError("param", "unknown shop_id")
    joiner = "&" if urlsplit(target).query else "?"
    return f"{target}{joiner}{urlencode({'code': issue_code(sb, shop['id'])} | extra)}"


def issue_code(sb, shop_id: int) -> str:
    code = secrets.token_hex(16)
    with sb.store.tx() as conn:
        conn.execute("INSERT INTO auth_codes (code, shop_id, expires_at) VALUES (?, ?, ?)",
                     (code, shop_id, time.time() + sb.settings.code_ttl))
    return code


def redeem_code(sb, code) -> int:
    """Returns the shop's id; a code works once, and only before it expires."""
    if not isinstance(code, str) or not code:
        raise ApiError("param", "code is required")
    with sb.store.tx() as conn:
        row = conn.execute("SELECT * FROM auth_codes WHERE code = ?", (code,)).fetchone()
        if row is None or row["used"]:
            raise ApiError("auth", "invalid code" if row is None else "code has already been used")
        if row["expires_at"] < time.time():
            raise ApiError("auth", "code has expired")
        conn.execute("UPDATE auth_codes SET used = 1 WHERE code = ?", (code,))
    return row["shop_id"]


def issue_tokens(sb, shop_id: int, refresh_token: str | None = None) -> dict:
    now = time.time()
    access = secrets.token_hex(16)
    with sb.store.tx() as conn:
        conn.execute("INSERT INTO tokens (token, kind, shop_id, expires_at) VALUES (?, 'access', ?, ?)",
                     (access, shop_id, now + sb.settings.access_token_ttl))
        if refresh_token is None:
            refresh_token = secrets.token_hex(16)
            conn.execute("INSERT INTO tokens (token, kind, shop_id, expires_at) VALUES (?, 'refresh', ?, ?)",
                         (refresh_token, shop_id, now + sb.settings.refresh_token_ttl))
        refresh_expires = conn.execute("SELECT expires_at FROM tokens WHERE token = ?",
                                       (refresh_token,)).fetchone()["expires_at"]
    return {"access_token": access, "access_expires_at": int(now + sb.settings.access_token_ttl),
            "access_ttl": int(sb.settings.access_token_ttl), "refresh_token": refresh_token,
            "refresh_expires_at": int(refresh_expires)}


def _live_token(conn, token, kind: str) -> dict:
    if not isinstance(token, str) or not token:
        raise ApiError("param", f"{kind}_token is required")
    row = conn.execute("SELECT * FROM tokens WHERE token = ? AND kind = ?", (token, kind)).fetchone()
    if row is None or row["revoked"]:
        raise ApiError("auth", f"invalid {kind}_token")
    if row["expires_at"] < time.time():
        raise ApiError("token_expired", f"{kind}_token has expired")
    return row


def refresh(sb, token, single_use: bool) -> dict:
    with sb.store.tx() as conn:
        row = _live_token(conn, token, "refresh")
        if single_use:
            conn.execute("UPDATE tokens SET revoked = 1 WHERE token = ?", (token,))
        return issue_tokens(sb, row["shop_id"], refresh_token=None if single_use else token) | {
            "shop_id": row["shop_id"]}


def check_access(sb, token, shop_id: int) -> None:
    with sb.store.tx() as conn:
        row = _live_token(conn, token, "access")
    if row["shop_id"] != shop_id:
        raise ApiError("auth", "access_token does not belong to this shop")


def revoke_shop(sb, shop_id: int) -> int:
    with sb.store.tx() as conn:
        return conn.execute("UPDATE tokens SET revoked = 1 WHERE shop_id = ? AND revoked = 0", (shop_id,)).rowcount
