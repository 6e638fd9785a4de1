"""Settings.

The default profile needs no servers: a SQLite file, a Whoosh index directory and a Celery broker kept in a
SQLite file, all under ``instance/``. The production profile reads everything from environment variables.
Select a profile with ``OPOP_CONFIG`` (``default``, ``production``, ``testing``).
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

from sandboxes import credentials as sandbox_credentials

BASE_DIR = Path(__file__).resolve().parent
INSTANCE = Path(os.environ.get("OPOP_INSTANCE_DIR") or BASE_DIR / "instance")


DEV_SECRET_KEY = "dev-only-secret-change-me"
DEV_STRIPE_WEBHOOK_SECRET = "whsec_opop_local"
DEV_MIDTRANS_API_BASE = sandbox_credentials.MIDTRANS_BASE_URL
DEV_MIDTRANS_SERVER_KEY = sandbox_credentials.MIDTRANS_SERVER_KEY
DEV_MIDTRANS_CLIENT_KEY = sandbox_credentials.MIDTRANS_CLIENT_KEY


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    INSTANCE_DIR = str(INSTANCE)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'opop.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(INSTANCE / "search"))
    # How often (seconds) a web process checks the index for new commits; a search edit shows within this.
    SEARCH_REFRESH_INTERVAL = float(os.environ.get("SEARCH_REFRESH_INTERVAL", "0.1"))
    MEDIA_DIR = os.environ.get("MEDIA_DIR", str(INSTANCE / "media"))
    MAX_IMAGE_BYTES = _env_int("MAX_IMAGE_BYTES", 5 * 1024 * 1024)
    # Checked from the image header before decoding (Pillow's own limit, ~89 MP, is too much for a web process).
    MAX_IMAGE_PIXELS = _env_int("MAX_IMAGE_PIXELS", 40_000_000)
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 32 * 1024 * 1024)

    CELERY_BROKER_URL = os.environ.get(
        "CELERY_BROKER_URL", os.environ.get("REDIS_URL", f"sqla+sqlite:///{INSTANCE / 'broker.db'}")
    )
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", f"db+sqlite:///{INSTANCE / 'results.db'}")
    CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "") == "1"

    BABEL_DEFAULT_LOCALE = "id"
    # The one timezone of every page, mail and export (times are stored as naive UTC).
    BABEL_DEFAULT_TIMEZONE = os.environ.get("OPOP_TIMEZONE", "Asia/Jakarta")
    LANGUAGES = ("id", "en")

    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")
    MAIL_FILE_PATH = os.environ.get("MAIL_FILE_PATH", str(INSTANCE / "mail"))
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "OPOP Marketplace <noreply@opop.id>")
    PASSWORD_RESET_MAX_AGE = _env_int("PASSWORD_RESET_MAX_AGE", 3600)

    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "sk_test_opop_local")
    STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "pk_test_opop_local")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "http://127.0.0.1:8420")
    STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "http://127.0.0.1:8420/js.stripe.com/v3/")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", DEV_STRIPE_WEBHOOK_SECRET)
    # Bank virtual accounts and QRIS (marketplace/payments/midtrans.py): the Midtrans Core API, or our sandbox
    # (sandboxes/midtrans) by default. An empty server key turns these methods off.
    MIDTRANS_API_BASE = os.environ.get("MIDTRANS_API_BASE", DEV_MIDTRANS_API_BASE)
    MIDTRANS_SERVER_KEY = os.environ.get("MIDTRANS_SERVER_KEY", DEV_MIDTRANS_SERVER_KEY)
    MIDTRANS_CLIENT_KEY = os.environ.get("MIDTRANS_CLIENT_KEY", DEV_MIDTRANS_CLIENT_KEY)
    MIDTRANS_TIMEOUT = float(os.environ.get("MIDTRANS_TIMEOUT", "8"))  # per try; 2 tries stay within a request

    PRODUCTS_PER_PAGE = 24
    # Page cache for anonymous visitors (marketplace/storefront/cache.py): per process by default, Redis in production.
    PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "1") == "1"
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "")
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "opop:")  # several deployments may share one Redis
    CACHE_DEFAULT_TIMEOUT = _env_int("CACHE_DEFAULT_TIMEOUT", 600)
    CACHE_THRESHOLD = 2000
    RESERVATION_MINUTES = _env_int("RESERVATION_MINUTES", 15)  # how long a checkout holds stock
    # What one account may hold while checking out (stock hoarding): units of one variant, and units in all.
    CHECKOUT_MAX_UNITS_PER_VARIANT = _env_int("CHECKOUT_MAX_UNITS_PER_VARIANT", 50)
    CHECKOUT_MAX_UNITS = _env_int("CHECKOUT_MAX_UNITS", 200)
    ORDER_PAYMENT_MINUTES = _env_int("ORDER_PAYMENT_MINUTES", 60)  # unpaid orders are cancelled after this
    # A manual bank transfer gives the buyer this long to pay (and upload the proof); a waiting proof stops the clock.
    TRANSFER_PAYMENT_HOURS = _env_int("TRANSFER_PAYMENT_HOURS", 24)
    # Buyers' transfer proofs: private, never under MEDIA_DIR (default: transfer-proofs/ beside MEDIA_DIR).
    TRANSFER_PROOF_DIR = os.environ.get("TRANSFER_PROOF_DIR") or None
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # "json" in production: one object per line, with request id
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")  # when set, /metrics wants "Authorization: Bearer <token>"
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")  # links in emails, webhook URL
    # Courier code -> public tracking page with "{resi}" in it, for the "dikirim" mail. Empty by default: only a
    # URL someone has checked belongs here (a wrong link is worse than the resi and our order page alone).
    COURIER_TRACKING_URLS: dict[str, str] = {}
    WTF_CSRF_TIME_LIMIT = None

    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # Throttling (Flask-Limiter): memory per process by default; production points this at Redis.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "30 per minute")
    # Lockout: this many failed passwords for one email, then that email is refused until the window passes.
    LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "10 per 15 minutes")
    REGISTER_LIMIT = os.environ.get("REGISTER_LIMIT", "10 per hour")
    PASSWORD_RESET_LIMIT = os.environ.get("PASSWORD_RESET_LIMIT", "5 per hour")
    CHECKOUT_LIMIT = os.environ.get("CHECKOUT_LIMIT", "60 per minute")
    WEBHOOK_LIMIT = os.environ.get("WEBHOOK_LIMIT", "600 per minute")
    # Partner sync (marketplace/channels). Defaults point at the local sandboxes (sandboxes/credentials.py).
    SHOPEE_BASE_URL = os.environ.get("SHOPEE_BASE_URL", sandbox_credentials.SHOPEE_BASE_URL)
    SHOPEE_PARTNER_ID = os.environ.get("SHOPEE_PARTNER_ID", str(sandbox_credentials.SHOPEE_PARTNER_ID))
    SHOPEE_PARTNER_KEY = os.environ.get("SHOPEE_PARTNER_KEY", sandbox_credentials.SHOPEE_PARTNER_KEY)
    TIKTOK_BASE_URL = os.environ.get("TIKTOK_BASE_URL", sandbox_credentials.TIKTOK_BASE_URL)
    TIKTOK_PARTNER_ID = os.environ.get("TIKTOK_APP_KEY", sandbox_credentials.TIKTOK_APP_KEY)
    TIKTOK_PARTNER_KEY = os.environ.get("TIKTOK_APP_SECRET", sandbox_credentials.TIKTOK_APP_SECRET)
    # Fernet key(s) for partner tokens at rest, comma-separated, newest first (rotation). The default profile
    # derives one from SECRET_KEY; production must set it.
    CHANNEL_CREDENTIALS_KEY = os.environ.get("CHANNEL_CREDENTIALS_KEY", "")
    CHANNEL_HTTP_TIMEOUT = float(os.environ.get("CHANNEL_HTTP_TIMEOUT", "10"))
    # Calls per second per partner shop, shared by every worker (Redis when the broker is Redis).
    CHANNEL_RATE_LIMITS = {"shopee": float(os.environ.get("SHOPEE_RATE_LIMIT", "10")),
                           "tiktok": float(os.environ.get("TIKTOK_RATE_LIMIT", "50"))}
    CHANNEL_RATE_LIMIT_REDIS_URL = os.environ.get("CHANNEL_RATE_LIMIT_REDIS_URL", "")  # "" = the broker if Redis
    CHANNEL_REFRESH_MARGIN = _env_int("CHANNEL_REFRESH_MARGIN", 600)  # refresh tokens this many seconds early
    CHANNEL_PUSH_ATTEMPTS = _env_int("CHANNEL_PUSH_ATTEMPTS", 6)  # per call, on 429/5xx/timeouts
    CHANNEL_RETRY_WAIT = float(os.environ.get("CHANNEL_RETRY_WAIT", "0.5"))  # first backoff, doubles, jittered
    CHANNEL_RETRY_WAIT_MAX = float(os.environ.get("CHANNEL_RETRY_WAIT_MAX", "8"))
    CHANNEL_PUSH_PARALLEL = _env_int("CHANNEL_PUSH_PARALLEL", 8)  # stock calls of one account in flight at once
    CHANNEL_LEASE_SECONDS = _env_int("CHANNEL_LEASE_SECONDS", 60)  # a killed pusher's claim runs out after this
    CHANNEL_PUSH_SWEEP_SECONDS = float(os.environ.get("CHANNEL_PUSH_SWEEP_SECONDS", "30"))
    CHANNEL_RECONCILE_SECONDS = float(os.environ.get("CHANNEL_RECONCILE_SECONDS", "3600"))
    # Order pull (docs/sync.md): poll interval, how far back each poll re-reads, when a stored push nobody
    # processed is handed out again, and the public URL partners sign pushes for (behind a rewriting proxy).
    CHANNEL_PULL_POLL_SECONDS = float(os.environ.get("CHANNEL_PULL_POLL_SECONDS", "60"))
    CHANNEL_PULL_OVERLAP_SECONDS = _env_int("CHANNEL_PULL_OVERLAP_SECONDS", 300)
    CHANNEL_PULL_EVENT_GRACE_SECONDS = float(os.environ.get("CHANNEL_PULL_EVENT_GRACE_SECONDS", "20"))
    CHANNEL_PULL_EVENT_ATTEMPTS = _env_int("CHANNEL_PULL_EVENT_ATTEMPTS", 20)
    CHANNEL_WEBHOOK_BASE_URL = os.environ.get("CHANNEL_WEBHOOK_BASE_URL", "")

    @classmethod
    def channel_credentials_keys(cls, config: dict) -> list[bytes]:
        """The Fernet keys: configured ones, or one derived from SECRET_KEY (development only)."""
        configured = [k.strip().encode() for k in (config.get("CHANNEL_CREDENTIALS_KEY") or "").split(",") if k.strip()]
        if configured:
            return configured
        digest = hashlib.sha256(f"opop-channels:{config['SECRET_KEY']}".encode()).digest()
        return [base64.urlsafe_b64encode(digest)]


class ProductionConfig(Config):
    """Everything from the environment; refuses to start on development secrets."""

    PROFILE = "production"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": _env_int("DB_POOL_SIZE", 5)}
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    # How many proxies (load balancer, ...) stand in front and set X-Forwarded-For/-Proto. 0 = none: never trust
    # the header, or anyone could pick their own address and walk past the rate limits.
    PROXY_FIX_X_FOR = _env_int("PROXY_FIX_X_FOR", 0)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", os.environ.get("REDIS_URL", "memory://"))
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MIDTRANS_SERVER_KEY = os.environ.get("MIDTRANS_SERVER_KEY", "")  # unset: no VA/QRIS, never the sandbox's key
    MIDTRANS_CLIENT_KEY = os.environ.get("MIDTRANS_CLIENT_KEY", "")

    @classmethod
    def check(cls) -> None:
        """Refuses to start on anything a stranger could know: the repository's development secrets, a short
        signing key, Stripe test keys or the public default webhook secret (anyone could forge "paid"), or debug
        mode (an interactive debugger is remote code execution). Staging on Stripe's test mode must say so with
        ALLOW_TEST_PAYMENTS=1."""
        env = os.environ
        required = ("SECRET_KEY", "DATABASE_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET",
                    "CHANNEL_CREDENTIALS_KEY")
        problems = [f"{name} is not set" for name in required if not env.get(name)]
        secret = env.get("SECRET_KEY", "")
        if secret and (secret == DEV_SECRET_KEY or len(secret) < 32):
            problems.append("SECRET_KEY must be a random value of at least 32 characters")
        if env.get("STRIPE_WEBHOOK_SECRET") == DEV_STRIPE_WEBHOOK_SECRET:
            problems.append("STRIPE_WEBHOOK_SECRET is the repository's public development secret")
        if env.get("ALLOW_TEST_PAYMENTS") != "1":
            for name, prefix in (("STRIPE_SECRET_KEY", "sk_test_"), ("STRIPE_PUBLISHABLE_KEY", "pk_test_")):
                if env.get(name, "").startswith(prefix):
                    problems.append(f"{name} is a test key (set ALLOW_TEST_PAYMENTS=1 only on a staging system)")
        midtrans_key = env.get("MIDTRANS_SERVER_KEY", "")
        if midtrans_key and not env.get("MIDTRANS_API_BASE"):
            problems.append("MIDTRANS_API_BASE is not set (the default is the local sandbox)")
        if midtrans_key and env.get("ALLOW_TEST_PAYMENTS") != "1" and (
                midtrans_key == DEV_MIDTRANS_SERVER_KEY or midtrans_key.startswith("SB-")):
            problems.append("MIDTRANS_SERVER_KEY is a sandbox key (set ALLOW_TEST_PAYMENTS=1 only on a staging system)")
        if env.get("FLASK_DEBUG", "").lower() in ("1", "true", "yes") or env.get("FLASK_ENV") == "development":
            problems.append("debug mode is on (FLASK_DEBUG)")
        if problems:
            raise RuntimeError("refusing to start the production profile: " + "; ".join(problems))


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    SECRET_KEY = "testing"
    MAIL_BACKEND = "locmem"
    CELERY_TASK_ALWAYS_EAGER = True
    # Every test client is 127.0.0.1: limits are out of reach unless a throttling test lowers them.
    LOGIN_LIMIT_PER_ADDRESS = LOGIN_FAILURES_PER_ACCOUNT = REGISTER_LIMIT = "100000 per minute"
    PASSWORD_RESET_LIMIT = CHECKOUT_LIMIT = WEBHOOK_LIMIT = "100000 per minute"
    # A test's session is bound to one connection, which the pusher's threads must not share; worker processes
    # started by tests run the default profile and push in parallel.
    CHANNEL_PUSH_PARALLEL = 1


PROFILES = {"default": Config, "production": ProductionConfig, "testing": TestingConfig}


def get_config(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("OPOP_CONFIG", "default")
    profile = PROFILES[name]
    if hasattr(profile, "check"):
        profile.check()
    return profile
