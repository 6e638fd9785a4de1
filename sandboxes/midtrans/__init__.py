"""A Midtrans-Core-API-v2-shaped payment sandbox (virtual accounts, Mandiri bill, QRIS, GoPay):
`python -m sandboxes.midtrans --port 8503 --db instance/sandbox-midtrans.db`. The contract it keeps is in
docs/sandboxes.md ("Midtrans sandbox")."""
