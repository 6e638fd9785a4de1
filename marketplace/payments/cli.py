"""`flask payments register-webhook`: point localstripe's webhooks at this app (localstripe forgets them on
restart, so the Procfile runs this after starting it)."""

import time

import click
import requests
from flask import Flask, current_app
from flask.cli import AppGroup

payments_cli = AppGroup("payments", help="Payment gateway tools.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(payments_cli)


@payments_cli.command("register-webhook")
@click.option("--url", default=None, help="Webhook URL (default: PUBLIC_BASE_URL + /pembayaran/webhook/stripe).")
@click.option("--wait", default=30.0, help="Seconds to wait for the gateway to come up.")
def register_webhook(url: str | None, wait: float):
    config = current_app.config
    url = url or config["PUBLIC_BASE_URL"].rstrip("/") + "/pembayaran/webhook/stripe"
    deadline = time.monotonic() + wait
    while True:
        try:
            response = requests.post(
                f"{config['STRIPE_API_BASE'].rstrip('/')}/_config/webhooks/opop",
                data={"url": url, "secret": config["STRIPE_WEBHOOK_SECRET"]},
                headers={"Authorization": f"Bearer {config['STRIPE_SECRET_KEY']}"}, timeout=5,
            )
            response.raise_for_status()
            break
        except requests.RequestException as error:
            if time.monotonic() > deadline:
                raise click.ClickException(f"could not register the webhook: {error}") from error
            time.sleep(0.5)
    click.echo(f"Webhook registered: {url}")
