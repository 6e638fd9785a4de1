"""Security headers on every response, and a Content-Security-Policy the pages satisfy: scripts only from our own
static files and the payment gateway's Stripe.js, no inline scripts or handlers, no framing (the dashboard's
one-click POST buttons cannot be clickjacked). Forms post to our own pages only, except where a page says which
other site a form of it must reach (the partner's authorise page behind "Hubungkan Shopee")."""

from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import Flask, Response, current_app


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(config, form_targets: Iterable[str] = ()) -> str:
    """``form_targets``: URLs a form of this page may lead to. Browsers apply form-action to the redirects after
    a submission too, so a POST answered with a redirect to another site needs that site here."""
    stripe_js, stripe_api = _origin(config["STRIPE_JS_URL"]), _origin(config["STRIPE_API_BASE"])
    payments = " ".join(sorted({o for o in (stripe_js, stripe_api) if o}))
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' {payments}",
        "connect-src": f"'self' {payments}",
        "frame-src": payments or "'none'",
        "img-src": "'self' data:",
        "style-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": " ".join(["'self'", *sorted({o for o in map(_origin, form_targets) if o})]),
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


def allow_form_targets(response: Response, urls: Iterable[str]) -> Response:
    """This response's policy also lets its forms lead to ``urls`` (their origins)."""
    response.headers["Content-Security-Policy"] = content_security_policy(current_app.config, urls)
    return response


def register_security_headers(app: Flask) -> None:
    policy = content_security_policy(app.config)
    fixed = {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(self)",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if app.config.get("SESSION_COOKIE_SECURE"):  # served over HTTPS only: browsers must never try plain HTTP
        fixed["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    @app.after_request
    def security_headers(response):
        for name, value in fixed.items():
            response.headers.setdefault(name, value)
        return response
