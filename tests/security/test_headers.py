"""Every page carries the security headers; the CSP allows no inline script, no framing, and no script host but
our own and the payment gateway's."""

import re

import pytest

from marketplace.core.headers import content_security_policy


@pytest.mark.parametrize("path", ["/", "/masuk", "/produk", "/tidak-ada", "/healthz"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = dict(d.strip().split(" ", 1) for d in headers["Content-Security-Policy"].split(";"))
    assert policy["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert policy["object-src"] == "'none'"


def test_hsts_only_where_cookies_are_https_only():
    from flask import Flask

    from marketplace.core.headers import register_security_headers

    for secure, expected in ((True, True), (False, False)):
        app = Flask(__name__)
        app.config.update(SESSION_COOKIE_SECURE=secure, STRIPE_JS_URL="https://js.stripe.com/v3/",
                          STRIPE_API_BASE="https://api.stripe.com")
        register_security_headers(app)
        app.add_url_rule("/", "home", lambda: "ok")
        assert ("Strict-Transport-Security" in app.test_client().get("/").headers) is expected


def test_stripe_is_the_only_other_script_host():
    policy = content_security_policy({"STRIPE_JS_URL": "https://js.stripe.com/v3/",
                                      "STRIPE_API_BASE": "https://api.stripe.com"})
    assert "script-src 'self' https://api.stripe.com https://js.stripe.com" in policy


def test_templates_have_no_inline_scripts_or_handlers():
    """What the CSP would block in a browser, caught before one runs: inline <script> bodies and on* attributes."""
    from pathlib import Path

    offenders = []
    for path in (Path(__file__).resolve().parents[2] / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text) or \
                re.search(r"\sstyle\s*=", text) or "javascript:" in text:
            offenders.append(str(path))
    assert offenders == []
