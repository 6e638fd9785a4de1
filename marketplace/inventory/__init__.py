"""Inventory: warehouses, stock per variant and warehouse, reservations, allocations and the stock ledger."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.core.background import register_demo_step, register_tasks
    from marketplace.inventory.demo import seed_inventory

    register_tasks(app, "marketplace.inventory.tasks", {
        "inventory-purge-reservations": {"task": "inventory.purge_reservations", "schedule": 60.0},
    })
    register_demo_step(app, seed_inventory)
