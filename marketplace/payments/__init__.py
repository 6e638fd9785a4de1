"""Payments: one payment per checkout, behind a gateway interface (Stripe today), confirmed by signed webhooks."""
