"""Entry point for the Celery worker processes the channel fault tests start (`celery -A tests.channels.worker_entry
worker`): the app of the test, rebuilt in the worker from the settings it passes in ``OPOP_TEST_APP`` (JSON)."""

import json
import os

from marketplace import create_app

flask_app = create_app("default", **json.loads(os.environ["OPOP_TEST_APP"]))
celery = flask_app.extensions["celery"]
