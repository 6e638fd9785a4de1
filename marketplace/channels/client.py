"""Calling a partner for one account, the same way for every platform and every caller (push, reconcile, order
pull): inside the shop's shared call budget, with tokens refreshed ahead of expiry and once more when the partner
refuses them, retrying 429s, 5xx and timeouts with exponential backoff and jitter (tenacity), and marking the
account expired — visibly, with a mail to the owner — when its authorisation cannot be renewed.

This is work at the edge: a token refresh is committed at once (Shopee's old refresh token stops working the
moment a new one is issued, so losing the new one would lock the shop out). Callers must not hold row locks.
"""

import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from flask import current_app
from sqlalchemy import select
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from marketplace.channels import credentials, leases
from marketplace.channels.adapters import adapter_for
from marketplace.channels.adapters.base import (
    ChannelAdapter,
    ChannelAuthExpired,
    ChannelAuthRevoked,
    ChannelError,
    Tokens,
)
from marketplace.channels.expiry import mark_account_expired
from marketplace.channels.models import AccountStatus, ChannelAccount
from marketplace.channels.ratelimit import call_budget
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db

T = TypeVar("T")


class AccountUnavailable(ChannelError):
    """The account is not active (expired, disconnected): nothing is sent until the owner reconnects."""


def _retryable(error: BaseException) -> bool:
    return isinstance(error, ChannelError) and error.retryable


class AccountClient:
    def __init__(self, account: ChannelAccount, *, guard: Callable[[], None] | None = None):
        self.account_id = account.id
        self.platform = str(account.platform)
        self.guard = guard  # called before every attempt (the pusher checks it still holds its lease)
        config = current_app.config
        self.per_second = float(config["CHANNEL_RATE_LIMITS"].get(self.platform, 10))
        self.margin = timedelta(seconds=config["CHANNEL_REFRESH_MARGIN"])
        self.attempts = config["CHANNEL_PUSH_ATTEMPTS"]
        self.wait, self.wait_max = config["CHANNEL_RETRY_WAIT"], config["CHANNEL_RETRY_WAIT_MAX"]
        self.calls = 0
        self._adapter: ChannelAdapter | None = None

    def _adapter_for(self, tokens: Tokens) -> ChannelAdapter:
        adapter = adapter_for(self.platform, tokens)
        adapter.request_wrapper = self._with_retries
        return adapter

    def _account(self) -> ChannelAccount:
        return db.session.scalar(select(ChannelAccount).where(ChannelAccount.id == self.account_id)
                                 .execution_options(populate_existing=True))

    @staticmethod
    def tokens_of(account: ChannelAccount) -> Tokens:
        """The account's tokens. Unreadable ones (the key changed without rotation) make the account expired,
        shown and mailed like a revoked one: reconnecting stores new tokens under the current key."""
        try:
            return credentials.unseal(account.credentials, access_expires_at=account.access_expires_at,
                                      refresh_expires_at=account.refresh_expires_at, shop_id=account.shop_id,
                                      shop_name=account.shop_name, shop_cipher=account.shop_cipher)
        except credentials.CredentialsUnreadable as error:
            mark_account_expired(account, "stored tokens unreadable (CHANNEL_CREDENTIALS_KEY changed)")
            db.session.commit()
            raise AccountUnavailable("The stored tokens cannot be decrypted.", code="credentials") from error

    def adapter(self) -> ChannelAdapter:
        """The adapter with current tokens, refreshed first if they expire within the margin."""
        account = self._account()
        if account is None or account.status != AccountStatus.ACTIVE:
            raise AccountUnavailable("The account is not active.", code=str(account.status) if account else "gone")
        if account.access_expires_at is not None and account.access_expires_at - self.margin <= utcnow():
            return self.refresh(stale_token=None)
        if self._adapter is None or self._adapter.tokens.access_token != self.tokens_of(account).access_token:
            self._adapter = self._adapter_for(self.tokens_of(account))
        return self._adapter

    def refresh(self, stale_token: str | None) -> ChannelAdapter:
        """One refresh at a time per account. If another process refreshed while we waited, its tokens are used;
        ``stale_token`` is the access token the partner just refused (None: refreshing ahead of expiry)."""
        holder = leases.new_holder()
        deadline = time.monotonic() + 30
        while not leases.claim(self.account_id, "refresh", holder, 30):
            db.session.commit()
            if time.monotonic() > deadline:
                raise AccountUnavailable("Another process is refreshing the tokens.", code="refresh_busy")
            time.sleep(0.05)
        db.session.commit()
        try:
            account = self._account()
            if account.status != AccountStatus.ACTIVE:
                raise AccountUnavailable("The account is not active.", code=str(account.status))
            current = self.tokens_of(account)
            fresh_enough = account.access_expires_at is None or account.access_expires_at - self.margin > utcnow()
            if (stale_token is None and fresh_enough) or (stale_token is not None and
                                                          current.access_token != stale_token):
                self._adapter = self._adapter_for(current)
                return self._adapter
            adapter = self._adapter_for(current)
            try:
                tokens = adapter.refresh()
            except ChannelAuthRevoked as error:
                mark_account_expired(self._account(), error.message)
                db.session.commit()
                raise
            account = self._account()
            store_tokens(account, tokens)
            db.session.commit()
            self._adapter = self._adapter_for(tokens)
            return self._adapter
        finally:
            leases.release(self.account_id, "refresh", holder)
            db.session.commit()

    def _with_retries(self, request: Callable[[], T]) -> T:
        """Every single partner request: the pusher's guard, the shop's budget, then the request; 429, 5xx and
        timeouts are tried again with exponential backoff and full jitter."""
        retrying = Retrying(retry=retry_if_exception(_retryable), stop=stop_after_attempt(self.attempts),
                            wait=wait_random_exponential(multiplier=self.wait, max=self.wait_max), reraise=True)
        for attempt in retrying:
            with attempt:
                if self.guard is not None:
                    self.guard()
                call_budget().acquire(f"{self.platform}:{self.account_id}", self.per_second)
                self.calls += 1
                return request()
        raise AssertionError("unreachable")

    def call(self, fn: Callable[[ChannelAdapter], T]) -> T:
        """Runs ``fn(adapter)`` (any number of requests, each with budget and retries) and, when the partner
        refuses the token, refreshes once and runs it again."""
        adapter = self.adapter()
        try:
            return fn(adapter)
        except ChannelAuthExpired:
            adapter = self.refresh(stale_token=adapter.tokens.access_token)
        try:
            return fn(adapter)
        except ChannelAuthExpired as error:  # refused right after a successful refresh: access was withdrawn
            mark_account_expired(self._account(), error.message)
            db.session.commit()
            raise ChannelAuthRevoked(error.message, code=error.code, status=error.status) from error


def store_tokens(account: ChannelAccount, tokens: Tokens) -> None:
    account.credentials = credentials.seal(tokens)
    account.access_expires_at = tokens.access_expires_at
    account.refresh_expires_at = tokens.refresh_expires_at
    db.session.flush()


def account_client(account: ChannelAccount, **kwargs) -> AccountClient:
    return AccountClient(account, **kwargs)
