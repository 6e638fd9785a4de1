"""Named, expiring claims on an account, kept in the database so that every worker process on every machine sees
them: "push" (one pusher per account, so pushes for a listing never overtake each other), "refresh" (one token
refresh at a time: Shopee's refresh token works once). The caller commits right after claiming and after
releasing; no row lock outlives those short transactions, and a killed holder's claim simply runs out."""

import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from marketplace.channels.models import ChannelLease
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


def new_holder() -> str:
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def claim(account_id: int, name: str, holder: str, seconds: float) -> bool:
    """Takes (or extends, for the same holder) the claim if it is free or ran out. Flushes; the caller commits."""
    now = utcnow()
    until = now + timedelta(seconds=seconds)
    taken = db.session.execute(
        update(ChannelLease)
        .where(ChannelLease.account_id == account_id, ChannelLease.name == name,
               or_(ChannelLease.until < now, ChannelLease.holder == holder))
        .values(holder=holder, until=until)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken:
        return True
    if db.session.scalar(select(ChannelLease.holder).where(ChannelLease.account_id == account_id,
                                                           ChannelLease.name == name)) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(ChannelLease(account_id=account_id, name=name, holder=holder, until=until))
    except IntegrityError:  # another process inserted the first claim at the same moment
        return False
    return True


def holds(account_id: int, name: str, holder: str) -> bool:
    until = db.session.scalar(select(ChannelLease.until).where(
        ChannelLease.account_id == account_id, ChannelLease.name == name, ChannelLease.holder == holder))
    return until is not None and until > utcnow()


def release(account_id: int, name: str, holder: str) -> None:
    db.session.execute(delete(ChannelLease).where(ChannelLease.account_id == account_id, ChannelLease.name == name,
                                                  ChannelLease.holder == holder)
                       .execution_options(synchronize_session=False))
