"""Koperasi (sellers): pesantren, koperasi, members with roles, staff invitations and the audit log, verification by
the OPOP team."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to wire yet: koperasi is a library of services for the dashboard, OPOP and the storefront."""
