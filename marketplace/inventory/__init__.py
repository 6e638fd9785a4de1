"""Inventory: warehouses, stock per variant and warehouse, reservations, allocations and the stock ledger."""
