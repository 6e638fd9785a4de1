"""Rate limits read from settings at request time, so one deployment (or one test) can tune them without code."""

from collections.abc import Callable

from flask import current_app, request

from marketplace.extensions import limiter


def setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def limit(name: str, **options):
    """``@limit("LOGIN_LIMIT_PER_ADDRESS")``: a Flask-Limiter limit on POSTs, its value taken from the settings."""
    options.setdefault("methods", ["POST"])
    return limiter.limit(setting(name), **options)


def form_key(field: str, prefix: str) -> Callable[[], str]:
    """A limit per value of a form field (the email being tried), whatever address the attempts come from."""
    return lambda: f"{prefix}:{(request.form.get(field) or '').strip().lower()[:254]}"

