"""Partner tokens at rest: Fernet (AES-128-CBC + HMAC) with the key(s) from ``CHANNEL_CREDENTIALS_KEY``. Several
comma-separated keys allow rotation: the first encrypts, any decrypts. A database dump alone never gives away a
shop's access."""

import json
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

from config import Config
from marketplace.channels.adapters.base import Tokens


class CredentialsUnreadable(Exception):
    """The stored tokens cannot be decrypted with the configured keys (key changed without rotation)."""


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in Config.channel_credentials_keys(current_app.config)])


def seal(tokens: Tokens) -> str:
    payload = {"access_token": tokens.access_token, "refresh_token": tokens.refresh_token}
    return _fernet().encrypt(json.dumps(payload).encode()).decode()


def unseal(ciphertext: str, *, access_expires_at: datetime | None, refresh_expires_at: datetime | None,
           shop_id: str, shop_name: str = "", shop_cipher: str = "") -> Tokens:
    try:
        payload = json.loads(_fernet().decrypt(ciphertext.encode()))
    except (InvalidToken, ValueError) as error:
        raise CredentialsUnreadable(str(error) or "invalid token") from error
    return Tokens(access_token=payload["access_token"], refresh_token=payload["refresh_token"],
                  access_expires_at=access_expires_at, refresh_expires_at=refresh_expires_at, shop_id=shop_id,
                  shop_name=shop_name, shop_cipher=shop_cipher)
