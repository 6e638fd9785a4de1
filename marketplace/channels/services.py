"""Channel accounts and listings as the koperasi manages them: connecting a shop, importing and matching its
listings, push rules, bundles, retries, and the account that can no longer be refreshed.

Services flush and never commit. The connect and listing-import steps call the partner (through the adapters);
they run without row locks, before anything is written."""

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from marketplace.catalog.models import Variant
from marketplace.channels.adapters import adapter_for, platforms
from marketplace.channels.adapters.base import ChannelError, Tokens
from marketplace.channels.client import account_client, store_tokens
from marketplace.channels.expiry import mark_account_expired, owner_emails, platform_label, set_status  # noqa: F401
from marketplace.channels.models import (
    AccountStatus,
    ChannelAccount,
    ChannelBundle,
    ChannelBundleComponent,
    ChannelListing,
    ChannelSyncLog,
    MatchState,
    ShareKind,
    SyncKind,
)
from marketplace.channels.push import request_push
from marketplace.core.errors import NotFound, ValidationError
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi

STATE_MAX_AGE = 1800  # seconds between clicking "connect" and coming back from the partner


class ConnectFailed(ValidationError):
    code = "connect_failed"


# --- accounts ------------------------------------------------------------------------------------------------
def account_of(koperasi_id: int, account_id: int) -> ChannelAccount:
    """The koperasi's own account; another koperasi's id is simply not found."""
    account = db.session.get(ChannelAccount, account_id)
    if account is None or account.koperasi_id != koperasi_id:
        raise NotFound(_("Akun kanal tidak ditemukan."))
    return account


def accounts_of(koperasi_id: int) -> list[ChannelAccount]:
    return list(db.session.scalars(select(ChannelAccount).where(ChannelAccount.koperasi_id == koperasi_id)
                                   .order_by(ChannelAccount.platform, ChannelAccount.id)))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="channels-connect")


def check_platform(platform: str) -> str:
    if platform not in platforms():
        raise NotFound(_("Platform tidak dikenal."))
    return platform


def authorise_url(koperasi: Koperasi, platform: str, user_id: int, callback_url: str) -> str:
    """The partner's approve page. The signed ``state`` ties the answer to this koperasi and person."""
    check_platform(platform)
    state = _serializer().dumps({"k": koperasi.id, "p": platform, "u": user_id})
    return adapter_for(platform).authorise_url(callback_url, state)


def peek_state(state: str) -> dict | None:
    """The koperasi and person a connect answer belongs to, or None if the state is forged or too old."""
    try:
        data = _serializer().loads(state, max_age=STATE_MAX_AGE)
    except BadSignature:
        return None
    return data if isinstance(data, dict) and {"k", "p", "u"} <= set(data) else None


def connect_account(koperasi: Koperasi, platform: str, user_id: int, args: dict) -> ChannelAccount:
    """Completes the connect flow: checks the state, trades the code for tokens and links (or re-links) the shop.
    A reconnect of an expired account makes it active again and asks for every listing to be pushed anew."""
    check_platform(platform)
    if args.get("error"):
        raise ConnectFailed(_("Otorisasi dibatalkan di platform mitra."))
    try:
        state = _serializer().loads(args.get("state") or "", max_age=STATE_MAX_AGE)
    except SignatureExpired as error:
        raise ConnectFailed(_("Tautan otorisasi sudah kedaluwarsa. Silakan hubungkan ulang.")) from error
    except BadSignature as error:
        raise ConnectFailed(_("Jawaban otorisasi tidak sah.")) from error
    if state != {"k": koperasi.id, "p": platform, "u": user_id}:
        raise ConnectFailed(_("Jawaban otorisasi tidak sah."))
    adapter = adapter_for(platform)
    try:
        tokens = adapter.exchange_code(adapter.parse_callback(args))
    except ChannelError as error:
        raise ConnectFailed(_("Platform mitra menolak otorisasi: %(reason)s", reason=error.message)) from error
    return link_account(koperasi, platform, tokens, user_id)


def link_account(koperasi: Koperasi, platform: str, tokens: Tokens, user_id: int | None = None) -> ChannelAccount:
    account = db.session.scalar(select(ChannelAccount).where(ChannelAccount.platform == platform,
                                                             ChannelAccount.shop_id == tokens.shop_id))
    if account is not None and account.koperasi_id != koperasi.id:
        raise ConnectFailed(_("Toko ini sudah terhubung dengan koperasi lain."))
    if account is None:
        account = ChannelAccount(koperasi_id=koperasi.id, platform=platform, shop_id=tokens.shop_id)
        db.session.add(account)
    account.shop_name = tokens.shop_name or account.shop_name or tokens.shop_id
    account.shop_cipher = tokens.shop_cipher or account.shop_cipher
    account.connected_by_id = user_id
    set_status(account, AccountStatus.ACTIVE, "")
    store_tokens(account, tokens)
    request_push(account_id=account.id, forget_last=True)  # after a gap the partner may show anything
    return account


def disconnect_account(account: ChannelAccount) -> None:
    set_status(account, AccountStatus.DISCONNECTED, _("Diputus oleh koperasi."))
    db.session.flush()


# --- push rules ----------------------------------------------------------------------------------------------
def _checked_rule(reserve, share_kind, share_value) -> tuple[int, ShareKind, int]:
    try:
        reserve, share_value, share_kind = int(reserve), int(share_value), ShareKind(share_kind)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Aturan stok tidak valid.")) from error
    if reserve < 0 or reserve > 99_999:
        raise ValidationError(_("Cadangan stok harus antara 0 dan 99.999."), field="reserve")
    if share_kind == ShareKind.PERCENT and not 0 <= share_value <= 100:
        raise ValidationError(_("Persentase harus antara 0 dan 100."), field="share_value")
    if share_kind == ShareKind.FIXED and not 0 <= share_value <= 99_999:
        raise ValidationError(_("Jumlah tetap harus antara 0 dan 99.999."), field="share_value")
    return reserve, share_kind, share_value if share_kind != ShareKind.ALL else 100


def update_account_rule(account: ChannelAccount, *, push_enabled: bool, reserve: int, share_kind: str,
                        share_value: int) -> ChannelAccount:
    account.reserve, account.share_kind, account.share_value = _checked_rule(reserve, share_kind, share_value)
    account.push_enabled = bool(push_enabled)
    request_push(account_id=account.id)
    db.session.flush()
    return account


def update_listing_rule(listing: ChannelListing, *, push_enabled: bool, override: bool, reserve: int = 0,
                        share_kind: str = "all", share_value: int = 100) -> ChannelListing:
    listing.push_enabled = bool(push_enabled)
    if override:
        listing.reserve, listing.share_kind, listing.share_value = _checked_rule(reserve, share_kind, share_value)
    else:
        listing.reserve = listing.share_kind = listing.share_value = None
    request_push([listing.id])
    db.session.flush()
    return listing


# --- listings and matching -----------------------------------------------------------------------------------
def listing_of(koperasi_id: int, listing_id: int) -> ChannelListing:
    listing = db.session.get(ChannelListing, listing_id)
    if listing is None or listing.account.koperasi_id != koperasi_id:
        raise NotFound(_("Listing tidak ditemukan."))
    return listing


def import_listings(account: ChannelAccount) -> dict[str, int]:
    """Reads the shop's catalogue from the partner, records new listings, flags vanished ones and matches what
    it can by SKU. Network first, then the writes (flushed)."""
    remote = account_client(account).call(lambda adapter: list(adapter.list_listings()))
    known = {(listing.item_id, listing.model_id): listing for listing in account.listings}
    counts = {"new": 0, "matched": 0, "missing": 0, "total": len(remote)}
    now = utcnow()
    for item in remote:
        listing = known.pop((item.item_id, item.model_id), None)
        if listing is None:
            listing = ChannelListing(account=account, item_id=item.item_id, model_id=item.model_id)
            db.session.add(listing)
            counts["new"] += 1
        listing.partner_sku, listing.title, listing.remote_stock = item.sku[:64], item.title[:300], item.stock
        listing.remote_missing = False
    for listing in known.values():
        if not listing.remote_missing:
            listing.remote_missing, listing.error_code, listing.error_at = True, "missing", now
            listing.error_message = "listing not found on the partner"
        counts["missing"] += 1
    db.session.flush()
    counts["matched"] = auto_match(account)
    return counts


def auto_match(account: ChannelAccount) -> int:
    """Links unmatched listings whose partner SKU equals one of our variant (or bundle) SKUs."""
    unmatched = [listing for listing in account.listings
                 if listing.match_state == MatchState.UNMATCHED and listing.partner_sku]
    if not unmatched:
        return 0
    skus = {listing.partner_sku for listing in unmatched}
    variants = dict(db.session.execute(select(Variant.sku, Variant.id).where(
        Variant.koperasi_id == account.koperasi_id, Variant.sku.in_(skus))).all())
    bundles = dict(db.session.execute(select(ChannelBundle.sku, ChannelBundle.id).where(
        ChannelBundle.koperasi_id == account.koperasi_id, ChannelBundle.sku.in_(skus))).all())
    matched = []
    for listing in unmatched:
        if listing.partner_sku in variants:
            listing.variant_id, listing.bundle_id = variants[listing.partner_sku], None
        elif listing.partner_sku in bundles:
            listing.variant_id, listing.bundle_id = None, bundles[listing.partner_sku]
        else:
            continue
        listing.match_state = MatchState.AUTO
        matched.append(listing)
    db.session.flush()
    _log_matches(matched, "auto")
    request_push([listing.id for listing in matched], forget_last=True)
    return len(matched)


def _log_matches(listings: list[ChannelListing], code: str, sku: str = "") -> None:
    """The log keeps a code and the SKU; the page words them in the reader's language."""
    for listing in listings:
        db.session.add(ChannelSyncLog(account_id=listing.account_id, listing_id=listing.id, kind=SyncKind.MATCH,
                                      code=code, message=(sku or listing.partner_sku)[:500]))


def match_listing(listing: ChannelListing, *, variant_id: int | None = None, bundle_id: int | None = None,
                  ignore: bool = False) -> ChannelListing:
    """A person links a listing to one of the koperasi's variants or bundles (or decides it is not synced)."""
    koperasi_id = listing.account.koperasi_id
    if ignore:
        listing.variant_id = listing.bundle_id = None
        listing.match_state = MatchState.IGNORED
        _log_matches([listing], "ignored")
        db.session.flush()
        return listing
    if variant_id is not None:
        variant = db.session.get(Variant, variant_id)
        if variant is None or variant.koperasi_id != koperasi_id:
            raise ValidationError(_("Varian tidak ditemukan di koperasi ini."), field="variant_id")
        listing.variant_id, listing.bundle_id = variant.id, None
        label = variant.sku
    elif bundle_id is not None:
        bundle = db.session.get(ChannelBundle, bundle_id)
        if bundle is None or bundle.koperasi_id != koperasi_id:
            raise ValidationError(_("Paket tidak ditemukan di koperasi ini."), field="bundle_id")
        listing.variant_id, listing.bundle_id = None, bundle.id
        label = bundle.sku
    else:
        raise ValidationError(_("Pilih varian atau paket."), field="variant_id")
    listing.match_state = MatchState.MANUAL
    listing.error_code, listing.error_message, listing.error_at = "", "", None
    _log_matches([listing], "manual", label)
    db.session.flush()
    request_push([listing.id], forget_last=True)
    return listing


def match_by_sku(listing: ChannelListing, sku: str) -> ChannelListing:
    """Manual matching as people do it: by typing our SKU (a variant's or a bundle's)."""
    sku = sku.strip()
    koperasi_id = listing.account.koperasi_id
    variant_id = db.session.scalar(select(Variant.id).where(Variant.koperasi_id == koperasi_id, Variant.sku == sku))
    if variant_id is not None:
        return match_listing(listing, variant_id=variant_id)
    bundle_id = db.session.scalar(select(ChannelBundle.id).where(ChannelBundle.koperasi_id == koperasi_id,
                                                                 ChannelBundle.sku == sku))
    if bundle_id is not None:
        return match_listing(listing, bundle_id=bundle_id)
    raise ValidationError(_("SKU %(sku)s tidak ditemukan di koperasi ini.", sku=sku or "-"), field="sku")


def retry_listing(listing: ChannelListing) -> ChannelListing:
    """The retry button: forget the error (and a vanished flag) and push the current value again."""
    listing.error_code, listing.error_message, listing.error_at = "", "", None
    listing.remote_missing = False
    db.session.flush()
    request_push([listing.id], forget_last=True)
    return listing


def bundles_of(koperasi_id: int) -> list[ChannelBundle]:
    return list(db.session.scalars(select(ChannelBundle).where(ChannelBundle.koperasi_id == koperasi_id)
                                   .order_by(ChannelBundle.sku)))


def create_bundle_from_text(koperasi_id: int, sku: str, name: str, parts_text: str) -> ChannelBundle:
    """Parts as people write them, one per line: ``KOPI-250 x 2`` (or ``KOPI-250=2``, or just the SKU for one)."""
    parts = []
    for raw in (parts_text or "").splitlines():
        line = raw.strip().replace("=", " x ").replace("×", " x ")
        if not line:
            continue
        part_sku, _sep, quantity = line.partition(" x ")
        try:
            count = int(quantity.strip() or 1)
        except ValueError as error:
            raise ValidationError(_("Baris paket tidak dikenali: %(line)s", line=raw.strip()), field="parts") \
                from error
        variant_id = db.session.scalar(select(Variant.id).where(Variant.koperasi_id == koperasi_id,
                                                                Variant.sku == part_sku.strip()))
        if variant_id is None:
            raise ValidationError(_("SKU %(sku)s tidak ditemukan di koperasi ini.", sku=part_sku.strip() or "-"),
                                  field="parts")
        parts.append((variant_id, count))
    return create_bundle(koperasi_id, sku, name, parts)


def create_bundle(koperasi_id: int, sku: str, name: str, parts: list[tuple[int, int]]) -> ChannelBundle:
    sku, name = (sku or "").strip(), (name or "").strip()
    if not sku or not name:
        raise ValidationError(_("SKU dan nama paket wajib diisi."), field="sku")
    if not parts or any(quantity < 1 for _v, quantity in parts):
        raise ValidationError(_("Paket perlu setidaknya satu varian dengan jumlah minimal 1."), field="parts")
    variant_ids = {variant_id for variant_id, _q in parts}
    owned = set(db.session.scalars(select(Variant.id).where(Variant.id.in_(variant_ids),
                                                            Variant.koperasi_id == koperasi_id)))
    if owned != variant_ids or len(variant_ids) != len(parts):
        raise ValidationError(_("Varian paket tidak ditemukan di koperasi ini."), field="parts")
    if db.session.scalar(select(ChannelBundle.id).where(ChannelBundle.koperasi_id == koperasi_id,
                                                        ChannelBundle.sku == sku)):
        raise ValidationError(_("SKU paket sudah dipakai."), field="sku")
    bundle = ChannelBundle(koperasi_id=koperasi_id, sku=sku, name=name,
                           components=[ChannelBundleComponent(variant_id=v, quantity=q) for v, q in parts])
    db.session.add(bundle)
    db.session.flush()
    return bundle
