"""A Shopee-Open-Platform-v2-shaped sandbox:
`python -m sandboxes.shopee --port 8501 --db instance/sandbox-shopee.db`."""
