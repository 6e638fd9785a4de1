"""Shared by the channel tests: config pointing the adapters at the test sandboxes, and the owner's click on the
sandbox's authorise page."""

import re
from urllib.parse import urljoin

PREFIX = {"shopee": "SHOPEE", "tiktok": "TIKTOK"}


def sandbox_config(base: dict, platform: str, base_url: str) -> dict:
    config = {key: value for key, value in base.items() if key.isupper()}
    config[f"{PREFIX[platform]}_BASE_URL"] = base_url
    return config


def approve(http, authorise_url: str, shop_id) -> str:
    """Opens the partner's authorise page, submits the form of ``shop_id``; returns the redirect location."""
    page = http.get(authorise_url, timeout=10)
    assert page.status_code == 200, page.text
    forms = re.findall(r"<form method=\"post\">(.*?)</form>", page.text, re.S)
    form = next(f for f in forms if f'value="{shop_id}"' in f)
    fields = dict(re.findall(r'name="([^"]+)"\s+value="([^"]*)"', form))
    fields = {k: v.replace("&amp;", "&") for k, v in fields.items()}
    answer = http.post(urljoin(page.url, page.url.split("?")[0]), data=fields, allow_redirects=False, timeout=10)
    assert answer.status_code in (302, 303), answer.text
    return answer.headers["Location"]
