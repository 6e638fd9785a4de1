from celery import shared_task

from marketplace.extensions import db
from marketplace.mail import services


@shared_task(name=services.TASK, ignore_result=True, autoretry_for=(services.MailNotSent,), retry_backoff=5,
             retry_backoff_max=600, max_retries=8)
def deliver(event_id: int, message: dict) -> bool:
    """Claims the message (committed), sends it, records the outcome. Safe twice: a claimed message is skipped."""
    claimed = services.claim(event_id)
    db.session.commit()
    if not claimed:
        return False
    try:
        services.send(message)
    except OSError as error:  # SMTP and file backends raise OSError subclasses
        db.session.rollback()
        services.mark(event_id, error)
        db.session.commit()
        raise services.MailNotSent(str(error)) from error
    services.mark(event_id)
    db.session.commit()
    return True
