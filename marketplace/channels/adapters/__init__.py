"""The registry: a platform name to its adapter class and the settings it reads. Adding Lazada or Blibli is an
adapter module plus one line here (see docs/sync.md)."""

from flask import current_app

from marketplace.channels.adapters.base import AdapterSettings, ChannelAdapter, Tokens
from marketplace.channels.adapters.shopee import ShopeeAdapter
from marketplace.channels.adapters.tiktok import TikTokAdapter

# platform -> (adapter class, config prefix): <PREFIX>_BASE_URL, <PREFIX>_PARTNER_ID, <PREFIX>_PARTNER_KEY
ADAPTERS: dict[str, tuple[type[ChannelAdapter], str]] = {
    "shopee": (ShopeeAdapter, "SHOPEE"),
    "tiktok": (TikTokAdapter, "TIKTOK"),
}


def platforms() -> list[str]:
    return list(ADAPTERS)


def adapter_settings(platform: str, config=None) -> AdapterSettings:
    config = config if config is not None else current_app.config
    prefix = ADAPTERS[str(platform)][1]
    return AdapterSettings(base_url=config[f"{prefix}_BASE_URL"].rstrip("/"),
                           partner_id=str(config[f"{prefix}_PARTNER_ID"]), partner_key=config[f"{prefix}_PARTNER_KEY"],
                           timeout=float(config.get("CHANNEL_HTTP_TIMEOUT", 10)))


def adapter_for(platform: str, tokens: Tokens | None = None, config=None, http=None) -> ChannelAdapter:
    """An adapter for ``platform`` with the app's partner credentials and, for shop calls, the account's tokens.
    ``KeyError`` for a platform nobody registered."""
    cls = ADAPTERS[str(platform)][0]
    return cls(adapter_settings(platform, config), tokens, http)
