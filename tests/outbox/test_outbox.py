"""The outbox is the only writer of outbox rows, its handlers belong to one app, and mail leaves only after
commit, once per event, a failed delivery retried alone."""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.mail.models import MailDelivery
from marketplace.mail.services import queue_mail
from marketplace.outbox import services as outbox
from marketplace.outbox.models import OutboxEvent
from tests.mail import sent_mail

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_outside_the_outbox_writes_outbox_rows():
    writers = []
    for path in [*ROOT.glob("marketplace/**/*.py"), *ROOT.glob("search_index/**/*.py")]:
        if "outbox" in path.parts:
            continue
        text = path.read_text()
        if re.search(r"OutboxEvent\(|insert\(OutboxEvent|outbox_pending|session\.info\[.outbox", text):
            writers.append(str(path.relative_to(ROOT)))
    assert writers == []


def test_handlers_belong_to_their_app(tmp_path):
    """A second create_app in the same process neither inherits nor doubles the first one's handlers."""
    first = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'a.db'}")
    second = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'b.db'}")
    heard = []
    outbox.subscribe(first, "test.topic", heard.append)
    assert "test.topic" not in second.extensions["outbox"].handlers
    assert first.extensions["outbox"].handlers["order.paid"] == second.extensions["outbox"].handlers["order.paid"]
    handlers = first.extensions["outbox"].handlers["order.paid"]
    assert len(handlers) == len(set(handlers)) == 2  # the buyer's confirmation and the koperasi's notice


def test_record_once_and_record_many_write_one_event_per_key(db):
    before = db.session.scalar(select(func.count()).select_from(OutboxEvent))
    outbox.record_once("product.changed", 7, product_id=7)
    outbox.record_once("product.changed", 7, product_id=7)
    outbox.record_many("product.changed", [{"product_id": 7}, {"product_id": 8}], once_by="product_id")
    db.session.flush()
    topics = db.session.scalars(select(OutboxEvent.payload).order_by(OutboxEvent.id).offset(before)).all()
    assert topics == [{"product_id": 7}, {"product_id": 8}]


def test_no_mail_for_a_rolled_back_transaction(app, db):
    sent_before = len(sent_mail(app))
    with pytest.raises(RuntimeError):
        with db.session.begin_nested():
            queue_mail("santri@pesantren.id", "Tidak jadi", "isi")
            db.session.flush()
            raise RuntimeError("the request failed after queueing the mail")
    assert len(sent_mail(app)) == sent_before


def test_a_mail_is_sent_once_however_often_its_task_runs(app, db):
    queue_mail("santri@pesantren.id", "Sekali saja", "isi")
    db.session.commit()
    mails = [m for m in sent_mail(app) if m.subject == "Sekali saja"]
    event = db.session.scalar(select(OutboxEvent).where(OutboxEvent.topic == "mail.requested")
                              .order_by(OutboxEvent.id.desc()))
    app.extensions["celery"].tasks["mail.deliver"].apply(args=[event.id, event.payload])  # a redelivered task
    assert [m for m in sent_mail(app) if m.subject == "Sekali saja"] == mails and len(mails) == 1
    delivery = db.session.scalar(select(MailDelivery).where(MailDelivery.event_id == event.id))
    assert delivery.status == "sent" and delivery.attempts == 1


def test_a_failed_mail_is_retried_alone(app, db, monkeypatch):
    from marketplace.mail import services

    queue_mail("gagal@pesantren.id", "Akan gagal", "isi")
    queue_mail("baik@pesantren.id", "Akan sampai", "isi")
    db.session.commit()
    real_send = services.send

    def flaky(message):
        if message["to"] == ["gagal@pesantren.id"]:
            raise ConnectionRefusedError("SMTP down")
        real_send(message)

    monkeypatch.setattr(services, "send", flaky)  # the SMTP server is the edge of the internet
    subjects = [m.subject for m in sent_mail(app)]
    assert "Akan sampai" in subjects and "Akan gagal" not in subjects
    failed = db.session.scalar(select(MailDelivery).where(MailDelivery.status == "failed"))
    assert "SMTP down" in failed.last_error
    monkeypatch.setattr(services, "send", real_send)
    event = db.session.get(OutboxEvent, failed.event_id)
    app.extensions["celery"].tasks["mail.deliver"].apply(args=[event.id, event.payload])
    subjects = [m.subject for m in app.extensions["mailman"].outbox]
    assert subjects.count("Akan gagal") == 1 and subjects.count("Akan sampai") == 1
