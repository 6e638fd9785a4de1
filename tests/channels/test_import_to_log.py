"""From a bulk import to the shops it reaches: the connect pages' forms may lead to the partner's authorise page
(Chromium applies CSP form-action to the redirect after a POST, so "Hubungkan Shopee" did nothing in a browser), an
import that changes linked stock links to each shop's sync log, and that log shows the push per listing."""

import csv
import io

from sqlalchemy import select

from marketplace.channels import push
from marketplace.channels.models import ChannelListing
from marketplace.extensions import db as _db
from marketplace.outbox.services import dispatch_pending
from tests.stock_fixtures import sign_in


def _form_action(response) -> list[str]:
    policy = dict(d.strip().split(" ", 1) for d in response.headers["Content-Security-Policy"].split(";"))
    return policy["form-action"].split()


def test_connect_pages_let_their_forms_reach_the_partners_authorise_page(client, make_linked, channel_config):
    linked = make_linked("shopee")
    sign_in(client, linked.owner)
    slug = linked.koperasi.slug
    for path in (f"/seller/{slug}/kanal/", f"/seller/{slug}/kanal/{linked.account.id}"):
        targets = _form_action(client.get(path))
        assert targets[0] == "'self'"
        assert {channel_config["SHOPEE_BASE_URL"], channel_config["TIKTOK_BASE_URL"]} <= set(targets), path
    assert _form_action(client.get(f"/seller/{slug}/produk")) == ["'self'"]  # other pages post to us only


def _import(client, slug: str, change: dict[str, dict[str, str]]):
    exported = client.get(f"/seller/{slug}/ekspor.csv").get_data(as_text=True).lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(exported, newline=""))
    rows = list(reader)
    for row in rows:
        row.update(change.get(row["sku"], {}))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
    writer.writeheader()
    writer.writerows(rows)
    data = {"file": (io.BytesIO(out.getvalue().encode()), "produk.csv")}
    return client.post(f"/seller/{slug}/impor", data=data, content_type="multipart/form-data"), reader.fieldnames


def test_an_import_that_changes_linked_stock_links_to_the_shops_sync_log(client, make_linked):
    linked = make_linked("shopee", stock=(20, 10, 7))
    slug, account_id = linked.koperasi.slug, linked.account.id
    sign_in(client, linked.owner)
    header = client.get(f"/seller/{slug}/ekspor.csv").get_data(as_text=True).lstrip("\ufeff").split("\r\n")[0]
    stock_column = next(c for c in header.split(",") if c.startswith("stok_"))

    unchanged, _ = _import(client, slug, {"KOPI-250": {"harga": "26000"}})  # a price only: nothing to push
    assert unchanged.status_code == 200 and f"/kanal/{account_id}/log" not in unchanged.text

    page, _ = _import(client, slug, {"KOPI-250": {stock_column: "15"}})
    assert page.status_code == 200 and "Impor berhasil" in page.text
    assert f'href="/seller/{slug}/kanal/{account_id}/log"' in page.text
    log = client.get(f"/seller/{slug}/kanal/{account_id}/log")
    assert "menunggu kirim" in log.text  # the push has not run yet: the page says so

    dispatch_pending()
    _db.session.commit()
    push.push_account(account_id)
    log = client.get(f"/seller/{slug}/kanal/{account_id}/log")
    assert "menunggu kirim" not in log.text
    rows = log.text.split("<tbody>", 1)[1].split("</tr>")
    newest = next(row for row in rows if ">KOPI-250<" in row)  # newest first; one push sent every dirty listing
    assert "kirim" in newest and ">15<" in newest and "berhasil" in newest
    listing = _db.session.scalar(select(ChannelListing).where(ChannelListing.account_id == account_id,
                                                              ChannelListing.partner_sku == "KOPI-250"))
    assert f"/kanal/listing/{listing.id}" in newest
    english = client.get(f"/seller/{slug}/kanal/{account_id}/log?lang=en")
    assert "Sync log" in english.text and "push" in english.text



def test_a_large_import_run_by_the_worker_links_the_shops_sync_log_when_done(app, client, make_linked, monkeypatch):
    linked = make_linked("shopee", stock=(20, 10, 7))
    slug, account_id = linked.koperasi.slug, linked.account.id
    sign_in(client, linked.owner)
    monkeypatch.setitem(app.config, "SELLER_IMPORT_SYNC_MAX_ROWS", 1)  # any file of two rows becomes a job
    header = client.get(f"/seller/{slug}/ekspor.csv").get_data(as_text=True).lstrip("\ufeff").split("\r\n")[0]
    stock_column = next(c for c in header.split(",") if c.startswith("stok_"))
    started, _ = _import(client, slug, {"KOPI-250": {stock_column: "12"}})
    assert started.status_code == 302 and "/impor/" in started.location
    page = client.get(started.location)  # the eager task has run the job
    assert "Selesai" in page.text and f'href="/seller/{slug}/kanal/{account_id}/log"' in page.text
