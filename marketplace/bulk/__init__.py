"""Bulk catalogue files (CSV or XLSX): export, and import checked as a whole then applied through the catalog's
and inventory's set-based functions. Large files run as an import job on a worker."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.core.background import register_tasks

    register_tasks(app, "marketplace.bulk.tasks")
