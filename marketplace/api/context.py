"""Per-request context: the caller (from the bearer token, looked up only when a resolver asks) and small
per-request caches that keep a page of products to a fixed number of queries."""

from dataclasses import dataclass, field

import strawberry
from flask import Request, Response, url_for

from marketplace.accounts.models import User
from marketplace.api import read_model
from marketplace.api.auth import TokenError, bearer_token, token_error, user_from_token
from marketplace.api.errors import permission_denied
from marketplace.inventory.queries import available_by_variant

_UNSET = object()


@dataclass
class ApiContext:
    request: Request
    response: Response
    _user: object = _UNSET
    _categories: dict[int, read_model.CategoryRef] | None = None
    _available: dict[int, int] = field(default_factory=dict)
    _pending_variants: set[int] = field(default_factory=set)
    _listed: set[int] = field(default_factory=set)
    _full: dict[int, read_model.ProductCard] = field(default_factory=dict)
    _media_prefix: str | None = None
    mutated: bool = False

    @property
    def user(self) -> User | None:
        if self._user is _UNSET:
            token = bearer_token(self.request.headers)
            try:
                self._user = user_from_token(token) if token else None
            except TokenError as error:
                raise token_error(error) from None
        return self._user

    def require_user(self) -> User:
        if self.user is None:
            raise permission_denied()
        return self.user

    def categories(self) -> dict[int, read_model.CategoryRef]:
        if self._categories is None:
            self._categories = {c.id: c for c in read_model.categories()}
        return self._categories

    def expect_variants(self, variant_ids) -> None:
        """Variants a resolver is about to show: their availability is loaded together, on first use."""
        self._pending_variants.update(v for v in variant_ids if v not in self._available)

    def expect_full(self, product_ids) -> None:
        """Listing cards whose full data (variants, media, ...) may be asked for: loaded together, on first use."""
        self._listed.update(product_ids)

    def full_card(self, card: read_model.ProductCard) -> read_model.ProductCard:
        if card.complete:
            return card
        if card.id not in self._full:
            wanted = sorted((self._listed | {card.id}) - set(self._full))
            loaded = read_model.cards_by_ids(wanted)
            self._full.update(loaded)
            self.expect_variants(v.id for full in loaded.values() for v in full.variants)
        return self._full.get(card.id, card)

    def media_url(self, path: str) -> str:
        if self._media_prefix is None:
            self._media_prefix = url_for("media", filename="x", _external=True)[:-1]
        return self._media_prefix + path

    def available(self, variant_id: int) -> int:
        if variant_id not in self._available:
            wanted = self._pending_variants | {variant_id}
            self._available.update(available_by_variant(sorted(wanted)))
            self._pending_variants.clear()
        return self._available[variant_id]


Info = strawberry.Info[ApiContext, None]
