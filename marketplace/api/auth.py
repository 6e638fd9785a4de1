"""JWT access and refresh tokens with the claims Saleor clients read (``exp``, ``iat``, ``type``, ``email``,
``user_id``, ``owner``). Signed with the app's secret; a refresh token stops working when the password changes,
so a reset logs out every device."""

import hashlib
from datetime import timedelta

import jwt
from flask import current_app

from marketplace.accounts.models import User
from marketplace.api.errors import api_error
from marketplace.api.ids import to_global_id
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db

ALGORITHM = "HS256"
OWNER = "saleor"  # @saleor/sdk refreshes only tokens whose owner is "saleor"


class TokenError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def _key() -> str:
    """Derived from the app secret, so a JWT key is never the cookie-signing key itself (and always 256 bits)."""
    return hashlib.sha256(b"opop-api-jwt:" + current_app.config["SECRET_KEY"].encode()).hexdigest()


def _password_stamp(user: User) -> str:
    return user.password_hash[-12:]


def create_token(user: User, kind: str) -> str:
    now = utcnow()
    lifetime = current_app.config["API_ACCESS_TOKEN_SECONDS" if kind == "access" else "API_REFRESH_TOKEN_SECONDS"]
    claims = {"iat": now, "exp": now + timedelta(seconds=lifetime), "type": kind, "owner": OWNER,
              "email": user.email, "user_id": to_global_id("User", user.id), "is_staff": bool(user.is_opop_admin),
              "token": _password_stamp(user)}
    return jwt.encode(claims, _key(), algorithm=ALGORITHM)


def decode(token: str, kind: str) -> dict:
    try:
        claims = jwt.decode(token, _key(), algorithms=[ALGORITHM],
                            options={"require": ["exp", "iat", "type", "user_id"]})
    except jwt.ExpiredSignatureError:
        raise TokenError("Signature has expired", "ExpiredSignatureError") from None
    except jwt.PyJWTError:
        raise TokenError("Invalid token", "DecodeError") from None
    if claims.get("type") != kind:
        raise TokenError("Invalid token type", "InvalidTokenError")
    return claims


def user_from_claims(claims: dict) -> User | None:
    from marketplace.api.ids import from_global_id

    try:
        key = from_global_id(claims["user_id"], "User")
    except Exception:  # noqa: BLE001  (any malformed claim is simply not a user)
        return None
    user = db.session.get(User, int(key)) if key.isdigit() else None
    if user is None or not user.is_active or _password_stamp(user) != claims.get("token"):
        return None
    return user


def user_from_token(token: str, kind: str = "access") -> User:
    """The user an access token names. Raises TokenError (code ``ExpiredSignatureError`` when it has expired,
    which makes Saleor clients refresh)."""
    user = user_from_claims(decode(token, kind))
    if user is None:
        raise TokenError("User doesn't exist or is inactive", "InvalidTokenError")
    return user


def bearer_token(headers) -> str | None:
    """``Authorization: Bearer <t>`` (Saleor 3) or ``Authorization-Bearer: <t>`` (@saleor/sdk)."""
    value = headers.get("Authorization-Bearer")
    if value:
        return value.strip()
    header = headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() in ("bearer", "jwt") and token.strip():
        return token.strip()
    return None


def token_error(error: TokenError):
    return api_error(error.message, error.code)
