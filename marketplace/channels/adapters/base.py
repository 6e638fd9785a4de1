"""The one interface every partner platform speaks, and the shapes it speaks in.

Adapters are the only code that talks HTTP to a partner. They sign, send, translate answers into these plain
values and platform errors into the ``ChannelError`` family below; they never touch the database, never sleep to
respect a rate limit and never retry (``channels.client`` does that around them, the same for every platform).
"""

import hashlib
import hmac
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import requests


class ChannelError(Exception):
    """A partner call failed. ``code`` is the platform's own error code (kept for the sync log)."""

    retryable = False

    def __init__(self, message: str, *, code: str = "", status: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class ChannelAuthExpired(ChannelError):
    """The access token was refused as expired or invalid: refresh once, then try again."""


class ChannelAuthRevoked(ChannelError):
    """The refresh token no longer works (revoked, expired, reused): only the shop owner can fix it, by
    reconnecting."""


class ChannelRateLimited(ChannelError):
    retryable = True


class ChannelUnavailable(ChannelError):
    """5xx, timeouts, connection errors: the same call may work a moment later."""

    retryable = True


class ChannelRejected(ChannelError):
    """The partner refused the request itself (bad parameter, unknown item): retrying the same call won't help."""


@dataclass(frozen=True)
class AdapterSettings:
    base_url: str
    partner_id: str  # Shopee partner_id, TikTok app_key
    partner_key: str  # Shopee partner key, TikTok app secret
    timeout: float = 10.0


@dataclass
class Tokens:
    """What the account keeps after connecting or refreshing. Expiries are naive UTC."""

    access_token: str
    refresh_token: str
    access_expires_at: datetime
    refresh_expires_at: datetime | None
    shop_id: str = ""
    shop_name: str = ""
    shop_cipher: str = ""


@dataclass
class CallbackResult:
    code: str
    shop_id: str = ""
    state: str = ""


@dataclass(frozen=True)
class ListingRef:
    item_id: str
    model_id: str


@dataclass
class RemoteListing:
    item_id: str
    model_id: str
    sku: str
    title: str
    stock: int

    @property
    def ref(self) -> ListingRef:
        return ListingRef(self.item_id, self.model_id)


@dataclass
class StockUpdate:
    item_id: str
    model_id: str
    quantity: int

    @property
    def ref(self) -> ListingRef:
        return ListingRef(self.item_id, self.model_id)


@dataclass
class StockResult:
    ref: ListingRef
    ok: bool
    code: str = ""
    message: str = ""
    missing: bool = False  # the partner does not know this listing (deleted item, not owned)


@dataclass
class OrderLine:
    item_id: str
    model_id: str
    sku: str
    name: str
    quantity: int
    price: int  # rupiah per unit


@dataclass
class PartnerOrder:
    order_id: str
    status: str
    create_time: int  # unix seconds, as the platform gives them
    update_time: int
    total: int
    lines: list[OrderLine] = field(default_factory=list)
    raw: dict = field(default_factory=dict)


@dataclass
class OrderPage:
    order_ids: list[str]
    next_cursor: str  # "" when there is no further page
    more: bool


def hmac_hex(key: str, message: str | bytes) -> str:
    return hmac.new(key.encode(), message if isinstance(message, bytes) else message.encode(),
                    hashlib.sha256).hexdigest()


class ChannelAdapter(ABC):
    """One partner platform. An instance holds the app's credentials and, for shop calls, the account's tokens."""

    platform: str = ""
    # At most this many listings in one stock call, and listings of one ``batch_key`` only.
    max_stock_batch: int = 50
    max_order_detail_batch: int = 50
    max_order_window_days: int = 15
    order_page_size: int = 100

    def __init__(self, settings: AdapterSettings, tokens: Tokens | None = None,
                 http: requests.Session | None = None):
        self.settings = settings
        self.tokens = tokens
        self.http = http or requests.Session()
        # Wraps every request (send and read the answer): the caller's rate limit and retries apply per request,
        # so a read of many pages that meets a 429 on page 90 retries page 90, not the whole read.
        self.request_wrapper: Callable[[Callable[[], dict]], dict] | None = None

    # --- authorisation -------------------------------------------------------------------------------------
    @abstractmethod
    def authorise_url(self, redirect_url: str, state: str) -> str:
        """The partner's page where the shop owner approves our app; it redirects back to ``redirect_url``."""

    @abstractmethod
    def parse_callback(self, args: dict) -> CallbackResult:
        """The code (and shop, state) from the redirect's query; ``ChannelRejected`` when it carries none."""

    @abstractmethod
    def exchange_code(self, callback: CallbackResult) -> Tokens:
        """Trades the single-use code for tokens, with the shop's id, name and routing key filled in."""

    @abstractmethod
    def refresh(self) -> Tokens:
        """New tokens from the refresh token; ``ChannelAuthRevoked`` when it no longer works."""

    # --- catalogue and stock -------------------------------------------------------------------------------
    @abstractmethod
    def list_listings(self) -> Iterator[RemoteListing]:
        """Every sellable unit of the shop with its SKU and current stock, page by page."""

    @abstractmethod
    def read_stock(self, refs: list[ListingRef]) -> dict[ListingRef, int | None]:
        """Current partner stock per listing; None for a listing the partner does not know."""

    def batch_key(self, ref: ListingRef) -> str:
        """Listings with the same key may go in one stock call (one Shopee item, one TikTok product)."""
        return ref.item_id

    @abstractmethod
    def update_stock(self, updates: list[StockUpdate]) -> list[StockResult]:
        """Sets absolute stock for up to ``max_stock_batch`` listings of one ``batch_key``. Listings the partner
        refuses one by one come back as failed results; a refusal of the whole call raises."""

    # --- orders (used by the order pull) -------------------------------------------------------------------
    @abstractmethod
    def list_orders(self, time_from: int, time_to: int, cursor: str = "", *, field: str = "update_time",
                    page_size: int | None = None) -> OrderPage:
        """Order ids created/updated in [time_from, time_to] (unix seconds), one page; pass ``next_cursor`` on."""

    @abstractmethod
    def get_orders(self, order_ids: list[str]) -> list[PartnerOrder]:
        """Details of up to ``max_order_detail_batch`` orders."""

    @abstractmethod
    def cancel_order(self, order_id: str, reason: str = "OUT_OF_STOCK") -> None:
        """Cancels a partner order we cannot fill (the last unit went elsewhere)."""

    # --- webhooks ------------------------------------------------------------------------------------------
    @abstractmethod
    def verify_webhook(self, url: str, raw_body: bytes, headers: dict) -> bool:
        """Whether a push really comes from the platform (its documented signature over the raw body)."""

    # --- shared plumbing -----------------------------------------------------------------------------------
    def _require_tokens(self) -> Tokens:
        if self.tokens is None:
            raise ChannelAuthRevoked("The account has no tokens.", code="no_tokens")
        return self.tokens

    def _request(self, attempt: Callable[[], dict]) -> dict:
        """One request through the caller's wrapper (budget, retries), or directly."""
        return self.request_wrapper(attempt) if self.request_wrapper is not None else attempt()

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            return self.http.request(method, url, timeout=self.settings.timeout, allow_redirects=False, **kwargs)
        except requests.Timeout as error:
            raise ChannelUnavailable(f"timeout: {error}", code="timeout") from error
        except requests.ConnectionError as error:
            raise ChannelUnavailable(f"connection: {error}", code="connection") from error

    @staticmethod
    def _json(response: requests.Response) -> dict:
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            if response.status_code >= 500 or response.status_code == 429:
                kind = ChannelRateLimited if response.status_code == 429 else ChannelUnavailable
                raise kind(f"HTTP {response.status_code}", code=str(response.status_code),
                           status=response.status_code)
            raise ChannelRejected(f"HTTP {response.status_code}: not JSON", code=str(response.status_code),
                                  status=response.status_code)
        return data
