"""Command-line tools: `flask demo seed`, `flask demo sandbox shopee|tiktok`."""

import click
from flask import Flask
from flask.cli import AppGroup

from marketplace.extensions import db


def register_cli(app: Flask) -> None:
    demo = AppGroup("demo", help="Demo data.")

    @demo.command("seed")
    @click.option("--no-images", is_flag=True, help="Skip drawing product pictures (faster).")
    def seed(no_images: bool):
        """Create the deterministic demo marketplace (once)."""
        from marketplace.demo.seed import DEMO_PASSWORD, seed_demo

        with click.progressbar(length=44, label="Koperasi") as bar:
            last = [0]

            def progress(n, total):
                bar.update(n - last[0])
                last[0] = n

            result = seed_demo(with_images=not no_images, progress=progress)
        db.session.commit()
        if result.get("skipped"):
            click.echo("Demo data already present; nothing changed.")
        else:
            click.echo(f"Created {result['koperasi']} koperasi and {result['products']} products. "
                       f"Password for every demo login: {DEMO_PASSWORD}")

    @demo.command("sandbox")
    @click.argument("platform", type=click.Choice(["shopee", "tiktok"]))
    @click.option("--url", default=None, help="Sandbox base URL (default: sandboxes/credentials.py).")
    @click.option("--wait", default=30.0, help="Seconds to wait for the sandbox to come up.")
    def sandbox(platform: str, url: str | None, wait: float):
        """Create the demo shop on a partner sandbox with the first koperasi's products (once)."""
        from marketplace.demo.sandboxes import SandboxUnavailable, seed_sandbox

        try:
            result = seed_sandbox(platform, url, wait)
        except SandboxUnavailable as error:
            raise click.ClickException(str(error)) from error
        if result["skipped"]:
            click.echo(f"{platform} sandbox: demo shop {result['shop_id']} already present.")
        else:
            click.echo(f"{platform} sandbox: demo shop {result['shop_id']} with {result['products']} products.")

    app.cli.add_command(demo)
