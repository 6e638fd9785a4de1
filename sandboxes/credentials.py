"""Development credentials and addresses of the sandboxes: the one place both the sandboxes and the marketplace's
settings read them from. They are not secrets; the real platforms issue their own."""

SHOPEE_PARTNER_ID = 2001887
SHOPEE_PARTNER_KEY = "shpk-sandbox-4f6e3a1b9c2d7e8f0a5b6c7d8e9f0a1b"
SHOPEE_PORT = 8501
SHOPEE_BASE_URL = f"http://127.0.0.1:{SHOPEE_PORT}"
SHOPEE_DEMO_SHOP_ID = 600001

TIKTOK_APP_KEY = "6sandboxopop"
TIKTOK_APP_SECRET = "tts-sandbox-0e1d2c3b4a5968778695a4b3c2d1e0f9"
TIKTOK_PORT = 8502
TIKTOK_BASE_URL = f"http://127.0.0.1:{TIKTOK_PORT}"
TIKTOK_DEMO_SHOP_ID = "7494000000000600001"

MIDTRANS_SERVER_KEY = "SB-Mid-server-opop-dev"
MIDTRANS_CLIENT_KEY = "SB-Mid-client-opop-dev"
MIDTRANS_MERCHANT_ID = "G503000001"
MIDTRANS_PORT = 8503
MIDTRANS_BASE_URL = f"http://127.0.0.1:{MIDTRANS_PORT}"
