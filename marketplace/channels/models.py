"""Partner marketplace accounts (a koperasi's shop on Shopee or TikTok Shop), their listings linked to our
variants or bundles, the push rules, and what happened to each listing (sync log, drift reports)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


def _enum(cls, length: int = 16):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Platform(StrEnum):
    SHOPEE = "shopee"
    TIKTOK = "tiktok"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"  # tokens can no longer be refreshed: the owner must reconnect
    DISCONNECTED = "disconnected"  # the koperasi switched the link off


class ShareKind(StrEnum):
    ALL = "all"  # everything available after the reserve
    PERCENT = "percent"  # this percentage of it, rounded down
    FIXED = "fixed"  # at most this many units


class MatchState(StrEnum):
    UNMATCHED = "unmatched"
    AUTO = "auto"  # matched by SKU
    MANUAL = "manual"  # matched by a person in the dashboard
    IGNORED = "ignored"  # a person decided this listing is not synced


class SyncKind(StrEnum):
    PUSH = "push"
    RECONCILE = "reconcile"
    MATCH = "match"


class ChannelAccount(db.Model):
    """One partner shop linked to one koperasi. Tokens are kept encrypted (``credentials``, Fernet); the expiries
    are plain so that refreshing ahead of time and listing expired accounts need no decryption."""

    __table_args__ = (
        UniqueConstraint("platform", "shop_id"),
        CheckConstraint("reserve >= 0", name="reserve_not_negative"),
        CheckConstraint("share_value >= 0", name="share_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), index=True)
    platform: Mapped[Platform] = mapped_column(_enum(Platform))
    shop_id: Mapped[str] = mapped_column(String(64))
    shop_name: Mapped[str] = mapped_column(String(160), default="")
    shop_cipher: Mapped[str] = mapped_column(String(128), default="")  # TikTok Shop's per-shop routing key
    credentials: Mapped[str] = mapped_column(Text, default="")  # Fernet token of the JSON tokens
    access_expires_at: Mapped[datetime | None]
    refresh_expires_at: Mapped[datetime | None]
    status: Mapped[AccountStatus] = mapped_column(_enum(AccountStatus), default=AccountStatus.ACTIVE)
    status_reason: Mapped[str] = mapped_column(String(300), default="")
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Account-level push rule; a listing may override it.
    push_enabled: Mapped[bool] = mapped_column(default=True)
    reserve: Mapped[int] = mapped_column(default=0)
    share_kind: Mapped[ShareKind] = mapped_column(_enum(ShareKind), default=ShareKind.ALL)
    share_value: Mapped[int] = mapped_column(default=100)
    # Order pull: everything updated before this instant has been read (the poller re-reads an overlap).
    order_watermark: Mapped[datetime | None]
    last_push_at: Mapped[datetime | None]
    last_reconcile_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    connected_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    koperasi = relationship("Koperasi")
    listings: Mapped[list["ChannelListing"]] = relationship(back_populates="account", order_by="ChannelListing.id")

    @property
    def needs_reconnect(self) -> bool:
        return self.status == AccountStatus.EXPIRED


class ChannelBundle(db.Model):
    """A package sold on a partner as one item but made of our variants ("Paket Kopi + Madu"): its available
    quantity is that of its scarcest part."""

    __table_args__ = (UniqueConstraint("koperasi_id", "sku"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    components: Mapped[list["ChannelBundleComponent"]] = relationship(
        back_populates="bundle", cascade="all, delete-orphan", order_by="ChannelBundleComponent.id")


class ChannelBundleComponent(db.Model):
    __table_args__ = (
        UniqueConstraint("bundle_id", "variant_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("channel_bundle.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"), index=True)
    quantity: Mapped[int] = mapped_column(default=1)

    bundle: Mapped[ChannelBundle] = relationship(back_populates="components")
    variant = relationship("Variant")


class ChannelListing(db.Model):
    """One sellable unit on the partner (Shopee item/model, TikTok product/SKU) and what it shows of ours.

    Pushes coalesce through two counters: every stock change of the linked variant bumps ``push_requested``;
    a push reads the counter, pushes the *current* value and sets ``push_done`` to what it read. A listing is
    dirty while ``push_requested > push_done``."""

    __table_args__ = (
        UniqueConstraint("account_id", "item_id", "model_id"),
        Index("ix_channel_listing_dirty", "account_id", "push_requested", "push_done"),
        CheckConstraint("reserve IS NULL OR reserve >= 0", name="reserve_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("channel_account.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(64))  # Shopee item_id, TikTok product id
    model_id: Mapped[str] = mapped_column(String(64), default="")  # Shopee model_id ("0": no models), TikTok SKU id
    partner_sku: Mapped[str] = mapped_column(String(64), default="", index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variant.id"), index=True)
    bundle_id: Mapped[int | None] = mapped_column(ForeignKey("channel_bundle.id"), index=True)
    match_state: Mapped[MatchState] = mapped_column(_enum(MatchState), default=MatchState.UNMATCHED)
    # Listing-level rule: None falls back to the account's.
    push_enabled: Mapped[bool] = mapped_column(default=True)
    reserve: Mapped[int | None]
    share_kind: Mapped[ShareKind | None] = mapped_column(_enum(ShareKind))
    share_value: Mapped[int | None]
    push_requested: Mapped[int] = mapped_column(default=0)
    push_done: Mapped[int] = mapped_column(default=0)
    last_pushed_value: Mapped[int | None]
    last_pushed_at: Mapped[datetime | None]
    remote_stock: Mapped[int | None]  # as last read from the partner (reconcile)
    remote_missing: Mapped[bool] = mapped_column(default=False)  # the partner no longer knows this listing
    error_code: Mapped[str] = mapped_column(String(64), default="")
    error_message: Mapped[str] = mapped_column(String(500), default="")
    error_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    account: Mapped[ChannelAccount] = relationship(back_populates="listings")
    variant = relationship("Variant")
    bundle: Mapped[ChannelBundle | None] = relationship()

    @property
    def is_linked(self) -> bool:
        return self.match_state in (MatchState.AUTO, MatchState.MANUAL) and (
            self.variant_id is not None or self.bundle_id is not None)

    @property
    def is_dirty(self) -> bool:
        return self.push_requested > self.push_done


class ChannelSyncLog(db.Model):
    """What happened to one listing: a value pushed (or read back), when, and the partner's answer. The koperasi
    reads it to see why a listing shows what it shows."""

    __table_args__ = (Index("ix_channel_sync_log_listing_created", "listing_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("channel_account.id"), index=True)
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("channel_listing.id", ondelete="CASCADE"))
    kind: Mapped[SyncKind] = mapped_column(_enum(SyncKind))
    value: Mapped[int | None]  # what we pushed, or what the partner showed
    expected: Mapped[int | None]  # reconcile: what it should have shown
    ok: Mapped[bool] = mapped_column(default=True)
    code: Mapped[str] = mapped_column(String(64), default="")
    message: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    listing = relationship("ChannelListing", viewonly=True)  # the account's log page names each line's listing


class ChannelDriftReport(db.Model):
    """One reconcile run of one account: how many listings were read, how many showed something else than they
    should, and how many of those were fixed by a push."""

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("channel_account.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    checked: Mapped[int] = mapped_column(default=0)
    drifted: Mapped[int] = mapped_column(default=0)
    fixed: Mapped[int] = mapped_column(default=0)
    missing: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(String(500), default="")


class ChannelLease(db.Model):
    """A named, expiring claim on an account ("push", "refresh", "pull") shared by every worker process through the
    database: taken and released in short committed transactions, so no row lock is ever held while a partner is
    called, and a killed holder's claim simply runs out."""

    account_id: Mapped[int] = mapped_column(ForeignKey("channel_account.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64), default="")
    until: Mapped[datetime] = mapped_column(default=utcnow)
