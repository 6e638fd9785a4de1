"""Partner push endpoints: verify, store, enqueue, answer — nothing slower, the platforms wait at most seconds."""

import logging

from flask import Blueprint, current_app, jsonify, request

from marketplace.channels.pull import webhooks
from marketplace.core.celery import enqueue
from marketplace.core.errors import NotFound, ValidationError
from marketplace.extensions import csrf, db

bp = Blueprint("channels_pull", __name__)
log = logging.getLogger(__name__)


@bp.post("/channels/<platform>/webhook")
@csrf.exempt
def webhook(platform: str):
    url = current_app.config.get("CHANNEL_WEBHOOK_BASE_URL", "").rstrip("/")
    url = f"{url}{request.path}" if url else request.base_url
    try:
        event, created = webhooks.receive_push(platform, request.get_data(), dict(request.headers), url)
    except NotFound as error:
        return jsonify(ok=False, error=error.code, message=error.message), 404
    except webhooks.BadSignature as error:
        return jsonify(ok=False, error=error.code, message=error.message), 401
    except ValidationError as error:
        return jsonify(ok=False, error=error.code, message=error.message), 400
    db.session.commit()
    response = jsonify(ok=True, duplicate=not created)
    if created:
        _enqueue_after(response, event.id)
    return response


def _enqueue_after(response, event_id: int) -> None:
    """Enqueued once the answer has gone out: with the broker down a publish can take seconds to fail, longer than
    TikTok waits (3 s). Eager mode (tests, CLI) processes it at once."""
    celery = current_app.extensions.get("celery")
    if celery is None or celery.conf.task_always_eager:
        _enqueue(event_id)
    else:
        response.call_on_close(lambda: _enqueue(event_id))


def _enqueue(event_id: int) -> None:
    """After the commit. If the broker is down the push is still stored: the sweep processes it later."""
    from marketplace.channels.pull.tasks import QUEUE, process_event

    try:
        enqueue(process_event, event_id, queue=QUEUE, retry=False)
    except Exception as error:  # noqa: BLE001  any broker failure: answered anyway, the event waits for the sweep
        log.warning("channel event %s stored but not enqueued (%s); the sweep will process it", event_id, error)
