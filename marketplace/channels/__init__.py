"""Partner sync: a koperasi's shops on Shopee and TikTok Shop (Tokopedia), their listings linked to our variants,
stock pushed to them through the outbox, and the adapters that speak each platform's API."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.channels import pull

    pull.init_app(app)
