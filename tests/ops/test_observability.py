"""What an operator sees: readiness that fails when a dependency does, metrics a Prometheus can scrape (latency by
endpoint, task outcomes, outbox depth, index age), and JSON log lines that share a request id with the tasks the
request caused."""

import json
import logging

from prometheus_client.parser import text_string_to_metric_families

from marketplace.ops.logs import JsonFormatter


def _samples(client) -> dict:
    text = client.get("/metrics").get_data(as_text=True)
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append(sample)
    return found


def test_readyz_reports_each_dependency(client, app, db, search_dir):
    from marketplace.search.services import rebuild

    app.config["READYZ_SANDBOXES"] = False
    assert client.get("/readyz").status_code == 503  # no index yet: this process cannot search
    rebuild()
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200 and body["ready"] is True
    assert body["checks"]["database"] == "ok" and body["checks"]["broker"] == "eager"
    assert body["checks"]["search"].startswith("ok")


def test_readyz_is_503_when_the_search_index_is_gone(client, app, monkeypatch):
    from search_index import SearchUnavailable

    def broken():
        raise SearchUnavailable("no index")

    monkeypatch.setattr("marketplace.search.services.get_engine", broken)
    app.config["READYZ_SANDBOXES"] = False
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["checks"]["search"].startswith("down")


def test_metrics_count_requests_by_endpoint_and_read_the_outbox(client, db, make_product):
    from marketplace.outbox.services import record

    client.get("/produk")
    record("test.metrics", n=1)
    db.session.flush()  # committed events are dispatched at once in tests; a flushed one is still pending
    samples = _samples(client)
    latency = [s for s in samples["opop_http_request_duration_seconds_count"]
               if s.labels["endpoint"] == "storefront.products" or s.labels["endpoint"].endswith("products")]
    assert latency and latency[0].value >= 1
    assert samples["opop_outbox_unsent_events"][0].value >= 1


def test_task_outcomes_are_counted(app, client):
    """Celery's own signals drive the counter (sent here as a worker sends them; tests define no tasks of their
    own, since a task name registers process-wide)."""
    from celery.signals import task_failure, task_success

    task = app.extensions["celery"].tasks["mail.deliver"]
    task_failure.send(sender=task, task_id="t1", exception=RuntimeError("boom"), args=(), kwargs={},
                      traceback=None, einfo=None)
    task_success.send(sender=task, result=None)
    counts = {s.labels["outcome"]: s.value for s in _samples(client).get("opop_celery_tasks_total", [])
              if s.labels["task"] == "mail.deliver"}
    assert counts.get("failure", 0) >= 1 and counts.get("success", 0) >= 1


def test_metrics_can_be_kept_private(app, client):
    app.config["METRICS_TOKEN"] = "geheim-token"
    try:
        assert client.get("/metrics").status_code == 404
        assert client.get("/metrics", headers={"Authorization": "Bearer geheim-token"}).status_code == 200
    finally:
        app.config["METRICS_TOKEN"] = ""


def test_request_id_is_echoed_or_made(client):
    given = client.get("/healthz", headers={"X-Request-ID": "abc-12345678"})
    assert given.headers["X-Request-ID"] == "abc-12345678"
    made = client.get("/healthz", headers={"X-Request-ID": "<script>x</script> spaces"})
    assert made.headers["X-Request-ID"] != "<script>x</script> spaces" and len(made.headers["X-Request-ID"]) == 32


def test_json_log_lines_carry_the_request_id_into_tasks(app, caplog):
    """A request's id goes into the headers of the tasks it enqueues, and a task's log lines carry it (the task
    run is what a worker does around a task: prerun signal with the message's headers, the task, postrun)."""
    from celery.signals import task_postrun, task_prerun

    from marketplace.ops.logs import _send_request_id

    headers = {}
    with app.test_request_context("/", headers={"X-Request-ID": "req-0123456789"}):
        app.preprocess_request()
        _send_request_id(headers=headers)
    task = app.extensions["celery"].tasks["mail.deliver"]
    task.push_request(headers=headers)
    try:
        with caplog.at_level(logging.INFO):
            task_prerun.send(sender=task, task_id="t2", task=task, args=(), kwargs={})
            logging.getLogger("tests.ops").info("in the task")
            task_postrun.send(sender=task, task_id="t2", task=task, args=(), kwargs={}, retval=None)
            logging.getLogger("tests.ops").info("after the task")
    finally:
        task.pop_request()
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "tests.ops"]
    assert [line["request_id"] for line in lines] == ["req-0123456789", None]
    assert lines[0]["level"] == "INFO" and lines[0]["time"].endswith("Z") and lines[0]["message"] == "in the task"


def test_the_request_id_goes_into_task_headers(app):
    from marketplace.ops.logs import _send_request_id

    headers = {}
    with app.test_request_context("/", headers={"X-Request-ID": "req-abcdefghij"}):
        app.preprocess_request()
        _send_request_id(headers=headers)
    assert headers["request_id"] == "req-abcdefghij"


def test_channel_sync_lag_per_account(client, db, make_koperasi):
    from marketplace.channels.models import ChannelAccount, ChannelListing, Platform

    account = ChannelAccount(koperasi_id=make_koperasi().id, platform=Platform.SHOPEE, shop_id="lag-1")
    db.session.add(account)
    db.session.flush()
    db.session.add_all([ChannelListing(account_id=account.id, item_id="1", push_requested=3, push_done=1),
                        ChannelListing(account_id=account.id, item_id="2", push_requested=2, push_done=2)])
    db.session.flush()
    dirty = [s for s in _samples(client)["opop_channel_dirty_listings"] if s.labels["account"] == str(account.id)]
    assert dirty and dirty[0].value == 1 and dirty[0].labels["platform"] == "shopee"


def test_readyz_in_development_reports_the_midtrans_sandbox(client, app, monkeypatch, midtrans_sandbox):
    monkeypatch.setitem(app.config, "READYZ_SANDBOXES", True)
    monkeypatch.setitem(app.config, "MIDTRANS_API_BASE", midtrans_sandbox.base_url)
    assert client.get("/readyz").get_json()["checks"]["sandboxes"]["midtrans"] == "ok"
    monkeypatch.setitem(app.config, "MIDTRANS_API_BASE", "http://127.0.0.1:9")  # nothing listens there
    assert client.get("/readyz").get_json()["checks"]["sandboxes"]["midtrans"].startswith("down")
