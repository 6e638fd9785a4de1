"""Koperasi (sellers): pesantren, koperasi, members with roles, staff invitations and the audit log, verification by
the OPOP team."""

from flask import Flask


def init_app(app: Flask) -> None:
    """A library of services for the dashboard, OPOP and the storefront; its only wiring is the demo staff."""
    from marketplace.core.background import register_demo_step
    from marketplace.koperasi.demo import seed_staff

    register_demo_step(app, seed_staff)
