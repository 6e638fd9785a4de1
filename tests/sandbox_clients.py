"""Test clients for the partner sandboxes. The signatures are computed here from the formulas in DOMAIN.md
("Partner marketplace APIs"), not with the sandboxes' own code, so a wrong server formula fails the tests."""

import hashlib
import hmac
import json
import time
from urllib.parse import parse_qs, urlsplit

import requests


def hmac_sha256_hex(key: str, message: str | bytes) -> str:
    return hmac.new(key.encode(), message if isinstance(message, bytes) else message.encode(),
                    hashlib.sha256).hexdigest()


class SandboxServer:
    """A running sandbox: its base URL, credentials and the control API."""

    def __init__(self, platform: str, base_url: str, http: requests.Session):
        self.platform = platform
        self.base_url = base_url
        self.http = http

    def control(self, method: str, path: str, payload=None, **kwargs) -> requests.Response:
        return self.http.request(method, f"{self.base_url}/_sandbox{path}", json=payload, timeout=10, **kwargs)

    def ctl(self, method: str, path: str, payload=None, **kwargs):
        """The control call's JSON; fails the test on anything but 2xx."""
        response = self.control(method, path, payload, **kwargs)
        assert response.ok, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    def reset(self) -> None:
        self.ctl("POST", "/reset")

    def requests_log(self, **filters) -> dict:
        return self.ctl("GET", "/requests", params=filters)


class ShopeeSandbox(SandboxServer):
    partner_id: int
    partner_key: str

    def __init__(self, base_url: str, http: requests.Session, partner_id: int, partner_key: str):
        super().__init__("shopee", base_url, http)
        self.partner_id, self.partner_key = partner_id, partner_key

    def sign(self, path: str, timestamp: int, access_token: str = "", shop_id: str | int = "") -> str:
        return hmac_sha256_hex(self.partner_key, f"{self.partner_id}{path}{timestamp}{access_token}{shop_id}")

    def call(self, method: str, path: str, params: dict | None = None, json_body=None, access_token: str = "",
             shop_id: int | None = None, timestamp: int | None = None, sign: str | None = None,
             partner_id=None, timeout: float = 10) -> requests.Response:
        timestamp = int(time.time()) if timestamp is None else timestamp
        query = {"partner_id": self.partner_id if partner_id is None else partner_id, "timestamp": timestamp}
        if shop_id is not None:
            query |= {"access_token": access_token, "shop_id": shop_id}
        query["sign"] = sign or self.sign(path, timestamp, access_token if shop_id is not None else "",
                                          shop_id if shop_id is not None else "")
        return self.http.request(method, self.base_url + path, params=query | (params or {}), json=json_body,
                                 timeout=timeout, allow_redirects=False)

    def authorise(self, shop_id: int, redirect: str = "http://127.0.0.1:5000/channels/shopee/callback") -> str:
        """Opens the authorise page and clicks Approve; returns the code from the redirect."""
        page = self.call("GET", "/api/v2/shop/auth_partner", params={"redirect": redirect})
        assert page.status_code == 200 and str(shop_id) in page.text, page.text
        answer = self.http.post(page.url, data={"shop_id": shop_id, "redirect": redirect, "approve": "1"},
                                allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 303), answer.text
        query = parse_qs(urlsplit(answer.headers["Location"]).query)
        assert query["shop_id"] == [str(shop_id)]
        return query["code"][0]

    def connect(self, shop_id: int) -> dict:
        """Authorise and exchange the code: the token answer."""
        code = self.authorise(shop_id)
        answer = self.call("POST", "/api/v2/auth/token/get",
                           json_body={"code": code, "shop_id": shop_id, "partner_id": self.partner_id})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def shop_call(self, method: str, path: str, tokens: dict, shop_id: int, **kwargs) -> requests.Response:
        return self.call(method, path, access_token=tokens["access_token"], shop_id=shop_id, **kwargs)


class TikTokSandbox(SandboxServer):
    def __init__(self, base_url: str, http: requests.Session, app_key: str, app_secret: str):
        super().__init__("tiktok", base_url, http)
        self.app_key, self.app_secret = app_key, app_secret

    def sign(self, path: str, query: dict, body: str = "") -> str:
        pairs = "".join(f"{key}{query[key]}" for key in sorted(query) if key not in ("sign", "access_token"))
        return hmac_sha256_hex(self.app_secret, f"{self.app_secret}{path}{pairs}{body}{self.app_secret}")

    def call(self, method: str, path: str, params: dict | None = None, json_body=None, access_token: str = "",
             cipher: str | None = None, timestamp: int | None = None, sign: str | None = None,
             app_key: str | None = None, timeout: float = 10) -> requests.Response:
        query = {"app_key": app_key or self.app_key,
                 "timestamp": str(int(time.time()) if timestamp is None else timestamp)} | (params or {})
        if cipher is not None:
            query["shop_cipher"] = cipher
        body = json.dumps(json_body) if json_body is not None else ""
        query["sign"] = sign or self.sign(path, query, body)
        headers = {"Content-Type": "application/json"} | ({"x-tts-access-token": access_token} if access_token else {})
        return self.http.request(method, self.base_url + path, params=query, data=body.encode() or None,
                                 headers=headers, timeout=timeout, allow_redirects=False)

    def authorise(self, shop_id: str, redirect_uri: str = "http://127.0.0.1:5000/channels/tiktok/callback") -> str:
        page = self.http.get(f"{self.base_url}/oauth/authorize", params={
            "app_key": self.app_key, "state": "xyz", "redirect_uri": redirect_uri}, timeout=10)
        assert page.status_code == 200 and shop_id in page.text, page.text
        answer = self.http.post(f"{self.base_url}/oauth/authorize", data={
            "shop_id": shop_id, "redirect_uri": redirect_uri, "state": "xyz"}, allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 303), answer.text
        query = parse_qs(urlsplit(answer.headers["Location"]).query)
        assert query["state"] == ["xyz"]
        return query["code"][0]

    def token(self, grant: str, **params) -> requests.Response:
        path = "/api/v2/token/get" if grant == "authorized_code" else "/api/v2/token/refresh"
        return self.http.get(self.base_url + path, params={"app_key": self.app_key, "app_secret": self.app_secret,
                                                           "grant_type": grant} | params, timeout=10)

    def connect(self, shop_id: str) -> dict:
        """Authorise, exchange the code and look up the shop cipher: token data plus `cipher`."""
        answer = self.token("authorized_code", auth_code=self.authorise(shop_id))
        assert answer.status_code == 200 and answer.json()["code"] == 0, answer.text
        data = answer.json()["data"]
        shops = self.call("GET", "/authorization/202309/shops", access_token=data["access_token"])
        assert shops.status_code == 200, shops.text
        return data | {"cipher": shops.json()["data"]["shops"][0]["cipher"]}

    def shop_call(self, method: str, path: str, tokens: dict, **kwargs) -> requests.Response:
        return self.call(method, path, access_token=tokens["access_token"], cipher=tokens["cipher"], **kwargs)


class MidtransSandbox(SandboxServer):
    """The Midtrans-shaped payment sandbox; `api` calls it with the server key (HTTP Basic, empty password)."""

    def __init__(self, base_url: str, http: requests.Session, server_key: str):
        super().__init__("midtrans", base_url, http)
        self.server_key = server_key

    def api(self, method: str, path: str, json_body=None, key: str | None = None, headers: dict | None = None,
            timeout: float = 10) -> requests.Response:
        return self.http.request(method, self.base_url + path, json=json_body, headers=headers, timeout=timeout,
                                 auth=(self.server_key if key is None else key, ""))

    def charge(self, order_id: str, amount: int = 44000, payment_type: str = "bank_transfer", **extra) -> dict:
        """A charge that must succeed; `extra` joins the body (bank_transfer defaults to BCA)."""
        body = {"payment_type": payment_type, "transaction_details": {"order_id": order_id, "gross_amount": amount}}
        if payment_type == "bank_transfer":
            body["bank_transfer"] = {"bank": "bca"}
        headers = extra.pop("headers", None)
        response = self.api("POST", "/v2/charge", body | extra, headers=headers)
        assert response.status_code == 201, response.text
        return response.json()

    def status(self, key: str) -> dict:
        return self.api("GET", f"/v2/{key}/status").json()
