"""The production profile refuses to start on values a stranger could know (the repository's development secrets,
Stripe test keys, the public webhook secret) or with debug on: each would let anyone forge a session or a "paid"."""

import pytest

from config import DEV_SECRET_KEY, DEV_STRIPE_WEBHOOK_SECRET, get_config

SAFE = {
    "SECRET_KEY": "k" * 48,
    "DATABASE_URL": "postgresql+psycopg://opop@db/opop",
    "STRIPE_SECRET_KEY": "sk_live_abc",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_abc",
    "STRIPE_WEBHOOK_SECRET": "whsec_" + "s" * 32,
    "CHANNEL_CREDENTIALS_KEY": "B84_dKUtqAhtTCGh9VG4DcJ1nussPQEjezc329-Qpxg=",
}


@pytest.fixture
def production_env(monkeypatch):
    for name in ("FLASK_DEBUG", "FLASK_ENV", "ALLOW_TEST_PAYMENTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in SAFE.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_production_starts_with_real_secrets(production_env):
    assert get_config("production").PROFILE == "production"


@pytest.mark.parametrize("name, value, says", [
    ("SECRET_KEY", DEV_SECRET_KEY, "SECRET_KEY"),
    ("SECRET_KEY", "x", "at least 32"),
    ("STRIPE_WEBHOOK_SECRET", DEV_STRIPE_WEBHOOK_SECRET, "public development secret"),
    ("STRIPE_SECRET_KEY", "sk_test_opop_local", "test key"),
    ("STRIPE_PUBLISHABLE_KEY", "pk_test_opop_local", "test key"),
    ("FLASK_DEBUG", "1", "debug"),
])
def test_production_refuses_unsafe_values(production_env, name, value, says):
    production_env.setenv(name, value)
    with pytest.raises(RuntimeError, match=says):
        get_config("production")


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "STRIPE_WEBHOOK_SECRET", "STRIPE_SECRET_KEY",
                                     "CHANNEL_CREDENTIALS_KEY"])
def test_production_refuses_to_fall_back_to_defaults(production_env, missing):
    production_env.delenv(missing)
    with pytest.raises(RuntimeError, match=f"{missing} is not set"):
        get_config("production")


def test_staging_may_use_stripe_test_mode_only_when_it_says_so(production_env):
    production_env.setenv("STRIPE_SECRET_KEY", "sk_test_staging")
    production_env.setenv("ALLOW_TEST_PAYMENTS", "1")
    get_config("production")


def test_the_app_itself_refuses_debug_in_production(production_env):
    from marketplace import create_app

    with pytest.raises(RuntimeError, match="debug"):
        create_app("production", DEBUG=True)


def test_production_refuses_the_midtrans_sandbox_key_unless_staging_says_so(production_env):
    production_env.setenv("MIDTRANS_API_BASE", "https://api.midtrans.com")
    production_env.setenv("MIDTRANS_SERVER_KEY", "SB-Mid-server-abc")
    with pytest.raises(RuntimeError, match="MIDTRANS_SERVER_KEY is a sandbox key"):
        get_config("production")
    production_env.setenv("ALLOW_TEST_PAYMENTS", "1")
    get_config("production")
    production_env.setenv("MIDTRANS_SERVER_KEY", "Mid-server-live")
    production_env.delenv("MIDTRANS_API_BASE")
    with pytest.raises(RuntimeError, match="MIDTRANS_API_BASE is not set"):
        get_config("production")
