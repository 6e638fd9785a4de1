from celery import shared_task

from marketplace.extensions import db
from marketplace.outbox.services import dispatch_pending


@shared_task(name="outbox.dispatch", ignore_result=True)
def dispatch_outbox() -> int:
    sent = dispatch_pending()
    db.session.commit()
    return sent
