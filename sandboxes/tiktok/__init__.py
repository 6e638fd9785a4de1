"""A TikTok-Shop-Partner-API-shaped sandbox (it serves Tokopedia shops):
`python -m sandboxes.tiktok --port 8502 --db instance/sandbox-tiktok.db`."""
