"""The channel pages as a koperasi owner uses them: connecting a shop through the partner's authorise page,
seeing listings and their match state, matching by hand, the sync log, in Indonesian and English."""

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from marketplace.channels import push
from marketplace.channels.models import ChannelAccount, ChannelListing, MatchState
from marketplace.extensions import db as _db
from tests.channels.helpers import approve
from tests.stock_fixtures import sign_in


@pytest.mark.parametrize("platform", ["shopee", "tiktok"])
def test_owner_connects_a_shop_from_the_dashboard(platform, client, channel_config, make_linked, make_koperasi,
                                                  make_user, make_stocked_product, shopee_sandbox, tiktok_sandbox):
    from tests.channels.conftest import PARTNER_PRODUCTS

    sandbox = shopee_sandbox if platform == "shopee" else tiktok_sandbox
    shop = sandbox.ctl("POST", "/shops", {"name": "Toko Pondok", "rate_limit": 1000})
    for product in PARTNER_PRODUCTS:
        sandbox.ctl("POST", f"/shops/{shop['shop_id']}/products", product)
    owner = make_user()
    koperasi = make_koperasi(owner=owner)
    honey = make_stocked_product(stock=(4,), koperasi=koperasi)
    honey.variants[0].sku = "MADU-1"
    _db.session.commit()
    sign_in(client, owner)
    start = client.post(f"/seller/{koperasi.slug}/kanal/hubungkan/{platform}")
    assert start.status_code == 302 and start.location.startswith(sandbox.base_url)
    back = urlsplit(approve(sandbox.http, start.location, shop["shop_id"]))
    assert back.path == f"/channels/{platform}/callback"
    done = client.get(f"{back.path}?{back.query}")
    assert done.status_code == 302, done.text
    account = _db.session.scalar(select(ChannelAccount).where(ChannelAccount.koperasi_id == koperasi.id))
    assert account.shop_id == str(shop["shop_id"])
    page = client.get(done.location)
    assert page.status_code == 200 and "MADU-1" in page.text and "KOPI-250" in page.text
    unmatched = client.get(f"{done.location}?status=belum-cocok").text
    assert "KOPI-250" in unmatched and "MADU-1" not in unmatched.split("<tbody>")[1]
    stock = {p.get("item_sku") or p.get("skus", [{}])[0].get("seller_sku"): p
             for p in sandbox.ctl("GET", f"/shops/{shop['shop_id']}/stock")["products"]}
    honey_there = stock["MADU-1"]
    units = (honey_there.get("models") or honey_there.get("skus"))[0]["stock"]
    assert units == 4  # imported, matched by SKU and pushed during the connect


def test_a_forged_or_foreign_callback_changes_nothing(client, make_linked, make_user, make_koperasi):
    linked = make_linked("shopee")
    stranger = make_user()
    make_koperasi(owner=stranger)
    sign_in(client, stranger)
    before = _db.session.scalar(select(ChannelAccount.id).order_by(ChannelAccount.id.desc()))
    assert client.get("/channels/shopee/callback?code=x&shop_id=1&state=forged").status_code == 302
    from marketplace.channels import services

    with client.application.test_request_context():
        state_url = services.authorise_url(linked.koperasi, "shopee", linked.owner.id, "http://x/cb")
    redirect = parse_qs(urlsplit(state_url).query)["redirect"][0]
    state = parse_qs(urlsplit(redirect).query)["state"][0]
    answer = client.get("/channels/shopee/callback", query_string={"code": "x", "shop_id": "1", "state": state})
    assert answer.status_code == 404  # the stranger is no member of that koperasi
    assert _db.session.scalar(select(ChannelAccount.id).order_by(ChannelAccount.id.desc())) == before


def test_manual_match_and_sync_log_in_both_languages(client, make_linked):
    linked = make_linked("tiktok", stock=(20, 10, 7))
    sign_in(client, linked.owner)
    other = _db.session.scalar(select(ChannelListing).where(ChannelListing.partner_sku == "LAIN-1"))
    url = f"/seller/{linked.koperasi.slug}/kanal/listing/{other.id}"
    bad = client.post(f"{url}/cocokkan", data={"sku": "TIDAK-ADA"}, follow_redirects=True)
    assert "tidak ditemukan" in bad.text
    _db.session.refresh(other)
    assert other.match_state == MatchState.UNMATCHED
    client.post(f"{url}/cocokkan", data={"sku": "KOPI-500"})
    _db.session.refresh(other)
    assert other.match_state == MatchState.MANUAL and other.variant_id == linked.variants["KOPI-500"].id
    push.push_account(linked.account.id)
    page = client.get(url)
    assert "Log sinkronisasi" in page.text and "Dicocokkan manual dengan KOPI-500" in page.text
    assert "berhasil" in page.text
    english = client.get(f"{url}?lang=en")
    assert "Sync log" in english.text and "Matched by hand with KOPI-500" in english.text


def test_bundle_made_in_the_dashboard_follows_its_scarcest_part(client, make_linked):
    from marketplace.channels.models import ChannelBundle

    linked = make_linked("shopee", stock=(20, 10, 3))
    sign_in(client, linked.owner)
    url = f"/seller/{linked.koperasi.slug}/kanal/paket"
    bad = client.post(url, data={"sku": "LAIN-1", "name": "Paket", "parts": "KOPI-250 x 2\nTIDAK-ADA x 1"},
                      follow_redirects=True)
    assert "TIDAK-ADA" in bad.text
    assert _db.session.scalar(select(ChannelBundle.id)) is None
    client.post(url, data={"sku": "LAIN-1", "name": "Paket Kopi + Madu", "parts": "KOPI-250 x 2\nMADU-1"})
    assert "Paket Kopi + Madu" in client.get(url).text
    other = _db.session.scalar(select(ChannelListing).where(ChannelListing.partner_sku == "LAIN-1"))
    client.post(f"/seller/{linked.koperasi.slug}/kanal/listing/{other.id}/cocokkan", data={"sku": "LAIN-1"})
    push.push_account(linked.account.id)
    assert linked.remote()["LAIN-1"] == 3  # min(20 // 2, 3 // 1)
