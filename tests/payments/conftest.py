"""Fixtures for the payment tests (the live server and localstripe are in tests/live.py)."""

from tests.payments.cod_transfer_fixtures import make_cart  # noqa: F401  (a fixture for the COD/transfer tests)
