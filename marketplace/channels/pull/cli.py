"""`flask channels connect-demo` (see ``demo``)."""

import click
from flask import Flask
from flask.cli import AppGroup


def init_app(app: Flask) -> None:
    channels = app.cli.commands.get("channels")
    if channels is None:
        channels = AppGroup("channels", help="Partner shops (Shopee, TikTok Shop).")
        app.cli.add_command(channels)

    @channels.command("connect-demo")
    @click.option("--url", default="http://127.0.0.1:5000", help="Where this app answers (callback and pushes).")
    @click.option("--wait", default=60.0, help="Seconds to wait for the seeded sandboxes.")
    def connect_demo(url: str, wait: float):
        """Connect the first demo koperasi to both partner sandboxes (real OAuth) and register the push URLs."""
        from marketplace.channels.pull.demo import DemoConnectFailed
        from marketplace.channels.pull.demo import connect_demo as run

        try:
            for line in run(url.rstrip("/"), wait):
                click.echo(line)
        except DemoConnectFailed as error:
            raise click.ClickException(str(error)) from error
