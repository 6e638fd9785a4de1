"""The staff audit log: one entry per staff action, written in the same transaction as the action, so a
rolled-back action leaves no entry and a committed one always has one. Only the koperasi's owner reads it."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from marketplace.core.pagination import Page
from marketplace.extensions import db
from marketplace.koperasi.models import AuditEntry, Membership


def audit(membership: Membership, action: str, subject: str = "", **details) -> AuditEntry:
    """An action taken by a member of the koperasi."""
    return audit_system(membership.koperasi_id, action, subject, user_id=membership.user_id, **details)


def audit_system(koperasi_id: int, action: str, subject: str = "", *, user_id: int | None = None,
                 **details) -> AuditEntry:
    """An action taken for the koperasi by the system (a daily sweep), or by a known user."""
    entry = AuditEntry(koperasi_id=koperasi_id, user_id=user_id, action=action, subject=subject[:300],
                       details=details)
    db.session.add(entry)
    return entry


def audit_log(koperasi_id: int, page: int = 1, per_page: int = 50) -> Page:
    query = select(AuditEntry).where(AuditEntry.koperasi_id == koperasi_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(
        query.options(joinedload(AuditEntry.user))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), page=page, per_page=per_page, total=total)
