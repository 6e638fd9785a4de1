"""An account whose authorisation can no longer be renewed is never silent: it stops syncing, shows in the
dashboard, and its owners get a mail, once per expiry."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.channels.models import AccountStatus, ChannelAccount
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.koperasi.models import Membership, Role
from marketplace.mail.services import queue_mail


def set_status(account: ChannelAccount, status: AccountStatus, reason: str) -> None:
    if account.status != status or account.status_reason != reason:
        account.status, account.status_reason, account.status_changed_at = status, reason[:300], utcnow()


def owner_emails(koperasi_id: int) -> list[str]:
    return list(db.session.scalars(select(User.email).join(Membership, Membership.user_id == User.id).where(
        Membership.koperasi_id == koperasi_id, Membership.role == Role.OWNER).order_by(User.email)))


def mark_account_expired(account: ChannelAccount, reason: str) -> bool:
    """The partner no longer accepts the account's tokens: stop syncing it, show it, and mail the owners once."""
    if account.status == AccountStatus.EXPIRED:
        return False
    set_status(account, AccountStatus.EXPIRED, reason)
    link = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/seller/{account.koperasi.slug}/kanal/"
    body = _("Otorisasi toko %(shop)s di %(platform)s sudah tidak berlaku (%(reason)s). Stok tidak lagi "
             "disinkronkan ke toko itu sampai Anda menghubungkannya ulang di %(link)s",
             shop=account.shop_name, platform=platform_label(account.platform), reason=reason, link=link)
    recipients = owner_emails(account.koperasi_id)
    if recipients:
        queue_mail(recipients, _("Toko %(shop)s perlu dihubungkan ulang", shop=account.shop_name), body)
    db.session.flush()
    return True


def platform_label(platform: str) -> str:
    return {"shopee": "Shopee", "tiktok": "TikTok Shop / Tokopedia"}.get(str(platform), str(platform))
