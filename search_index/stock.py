"""The one place search asks whether products can be bought. The inventory domain answers when it is installed;
without it every product counts as in stock."""

import importlib


def available_by_product(product_ids: list[int]) -> dict[int, int] | None:
    """Sellable quantity per product id, or None when the marketplace has no inventory domain."""
    try:
        queries = importlib.import_module("marketplace.inventory.queries")
    except ModuleNotFoundError as error:
        if error.name and not "marketplace.inventory.queries".startswith(error.name):
            raise
        return None
    return queries.available_by_product(list(product_ids))
