"""Checkout: carts (guest and logged-in), delivery addresses, shipping rates and checkout completion."""
