"""`flask channels connect-demo`: the first demo koperasi connected to the demo shop on each partner sandbox
through the real authorisation flow — our authorise link, the partner's approve page (approved on the owner's
behalf), the redirect with a code, the token exchange — then its listings read and matched, and the sandbox told
where to push order changes. Safe to run again: a connected shop is left as it is."""

import time
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests
from flask import current_app
from sqlalchemy import select

from marketplace.channels import services
from marketplace.channels.models import AccountStatus, ChannelAccount
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi, Membership, Role
from sandboxes import credentials

DEMO_SHOPS = {"shopee": str(credentials.SHOPEE_DEMO_SHOP_ID), "tiktok": credentials.TIKTOK_DEMO_SHOP_ID}
PREFIX = {"shopee": "SHOPEE", "tiktok": "TIKTOK"}


class DemoConnectFailed(Exception):
    pass


class _Forms(HTMLParser):
    """The approve page's forms: each one's hidden fields and its submit button."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"_action": attrs.get("action") or ""})
        elif tag in ("input", "button") and self.forms and attrs.get("name"):
            self.forms[-1][attrs["name"]] = attrs.get("value") or ""


def _wait_for_demo_shop(http: requests.Session, base_url: str, shop_id: str, wait: float) -> None:
    """Until the seeding (`flask demo sandbox`, started beside us) has created the shop and its catalogue has
    stopped growing."""
    deadline, seen = time.monotonic() + wait, None
    while True:
        try:
            answer = http.get(f"{base_url}/_sandbox/shops/{shop_id}/stock", timeout=2)
            count = len(answer.json()["products"]) if answer.status_code == 200 else None
            if count and count == seen:
                return
            seen = count
        except (requests.RequestException, ValueError, KeyError):
            pass
        if time.monotonic() > deadline:
            raise DemoConnectFailed(f"no demo shop {shop_id} at {base_url} (is the sandbox running and seeded?)")
        time.sleep(0.5)


def _approve(http: requests.Session, authorise_url: str, shop_id: str) -> dict:
    """What the shop owner does by hand: open the approve page, press the button of the demo shop."""
    page = http.get(authorise_url, timeout=10)
    if page.status_code != 200:
        raise DemoConnectFailed(f"approve page answered {page.status_code}: {page.text[:200]}")
    parser = _Forms()
    parser.feed(page.text)
    form = next((f for f in parser.forms if f.get("shop_id") == shop_id), None)
    if form is None:
        raise DemoConnectFailed(f"shop {shop_id} is not offered on the approve page")
    target = urljoin(page.url, form.pop("_action")) if form.get("_action") else page.url
    answer = http.post(target, data=form, allow_redirects=False, timeout=10)
    location = answer.headers.get("Location", "")
    if answer.status_code not in (302, 303) or not location:
        raise DemoConnectFailed(f"approving answered {answer.status_code}: {answer.text[:200]}")
    return dict(parse_qsl(urlsplit(location).query))


def connect_demo(app_url: str, wait: float = 60.0, koperasi_id: int | None = None) -> list[str]:
    """Returns one line per platform saying what was done. The koperasi is the first one unless given (the same
    one `flask demo sandbox` seeds)."""
    query = select(Koperasi).order_by(Koperasi.id).limit(1)
    koperasi = db.session.scalar(query.where(Koperasi.id == koperasi_id) if koperasi_id else query)
    if koperasi is None:
        raise DemoConnectFailed("no koperasi yet: run `flask demo seed` first")
    owner = db.session.scalar(select(Membership).where(Membership.koperasi_id == koperasi.id,
                                                       Membership.role == Role.OWNER).order_by(Membership.id))
    if owner is None:
        raise DemoConnectFailed(f"{koperasi.name} has no owner")
    done = []
    with requests.Session() as http:
        for platform, shop_id in DEMO_SHOPS.items():
            base_url = current_app.config[f"{PREFIX[platform]}_BASE_URL"].rstrip("/")
            _wait_for_demo_shop(http, base_url, shop_id, wait)
            account = db.session.scalar(select(ChannelAccount).where(ChannelAccount.platform == platform,
                                                                     ChannelAccount.shop_id == shop_id))
            if account is None or account.status != AccountStatus.ACTIVE:
                callback = f"{app_url}/channels/{platform}/callback"
                args = _approve(http, services.authorise_url(koperasi, platform, owner.user_id, callback), shop_id)
                account = services.connect_account(koperasi, platform, owner.user_id, args)
                db.session.commit()
                counts = services.import_listings(account)
                db.session.commit()
                done.append(f"{platform}: {koperasi.name} connected to shop {shop_id}; "
                            f"{counts['matched']} of {counts['total']} listings matched")
            else:
                done.append(f"{platform}: shop {shop_id} already connected")
            webhook = f"{app_url}/channels/{platform}/webhook"
            answer = http.put(f"{base_url}/_sandbox/push-callback", json={"url": webhook}, timeout=10)
            if answer.status_code != 200:
                raise DemoConnectFailed(f"registering the push URL answered {answer.status_code}")
    return done
