"""Queueing and delivering mail. Callers render the message in their own request (locale, links) and queue it;
nothing is sent before their transaction commits, and nothing at all if it rolls back."""

from celery.exceptions import Retry
from flask_mailman import EmailMessage
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.core.celery import enqueue
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.mail.models import MailDelivery
from marketplace.outbox import services as outbox
from marketplace.outbox.models import OutboxEvent

TOPIC = "mail.requested"


class MailNotSent(Exception):
    """A delivery failed (recorded on its MailDelivery row); the task retries it with backoff."""

TASK = "mail.deliver"


def queue_mail(to: list[str] | str, subject: str, body: str) -> None:
    recipients = [to] if isinstance(to, str) else list(to)
    outbox.record(TOPIC, to=recipients, subject=str(subject), body=body)


def enqueue_deliveries(events: list[OutboxEvent]) -> None:
    """Outbox handler: one delivery task per message, so one failing address never holds back the others. The
    task gets the message itself: it may run before the dispatcher's transaction commits."""
    for outbox_event in events:
        try:
            enqueue(TASK, outbox_event.id, outbox_event.payload, queue="mail")
        except (MailNotSent, Retry):  # only when tasks run eagerly (tests, CLI): the failure is recorded, go on
            continue


def claim(event_id: int) -> bool:
    """Marks the message as being sent (the caller commits before sending). False if it was sent already or is
    being sent by another worker."""
    delivery = db.session.scalar(select(MailDelivery).where(MailDelivery.event_id == event_id))
    if delivery is None:
        delivery = MailDelivery(event_id=event_id, attempts=0)
        db.session.add(delivery)
    elif delivery.status != "failed":
        return False
    delivery.status = "sending"
    delivery.attempts += 1
    delivery.updated_at = utcnow()
    try:
        db.session.flush()
    except IntegrityError:  # another worker inserted the claim first
        db.session.rollback()
        return False
    return True


def send(message: dict) -> None:
    EmailMessage(message["subject"], message["body"], to=message["to"]).send()


def mark(event_id: int, error: Exception | None = None) -> None:
    delivery = db.session.scalar(select(MailDelivery).where(MailDelivery.event_id == event_id))
    delivery.status = "failed" if error else "sent"
    delivery.last_error = repr(error)[:500] if error else None
    delivery.updated_at = utcnow()
    db.session.flush()
