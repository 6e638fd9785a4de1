"""Mail in tests: messages are queued through the outbox and delivered after commit, so a test first lets the
outbox dispatch (Celery runs eagerly in tests) and then reads what the test mail backend received."""


def sent_mail(app) -> list:
    from marketplace.outbox.services import dispatch_pending

    dispatch_pending()
    return getattr(app.extensions["mailman"], "outbox", [])
