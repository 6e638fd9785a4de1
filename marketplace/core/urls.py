"""Links that leave the request: mailed links and redirects taken from user input.

A mailed link built from the request's Host header would point wherever an attacker's request said (a reset token
mailed to evil.example); a ``next=`` value is attacker-chosen. Both go through here."""

import re
from urllib.parse import urlsplit

from flask import current_app

# Browsers drop tabs and newlines inside URLs ("/\t/evil" becomes "//evil") and read "\" as "/".
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


def public_url(endpoint: str, **values) -> str:
    """An absolute URL on the configured PUBLIC_BASE_URL, whatever host the current request came in on."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def is_safe_local_path(target: str | None) -> bool:
    """True only for a path on this site: starts with one "/", no scheme or host, nothing a browser would rewrite."""
    if not target or not target.startswith("/") or target.startswith("//") or _UNSAFE.search(target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    return target if is_safe_local_path(target) else default
