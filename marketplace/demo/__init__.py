"""Deterministic demo data: `flask demo seed`."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.demo.cli import register_cli

    register_cli(app)
