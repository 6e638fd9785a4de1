"""`flask search rebuild` and `flask search status`."""

import click
from flask import Flask
from flask.cli import AppGroup

from search_index import SearchUnavailable


def register_cli(app: Flask) -> None:
    search = AppGroup("search", help="Product search index.")

    @search.command("rebuild")
    @click.option("--procs", type=int, default=None, help="Indexing processes (default: 2 for big catalogues).")
    def rebuild_command(procs: int | None):
        """Rebuild the index from the database into a fresh directory and swap it in."""
        from marketplace.search.services import rebuild, visible_count

        total = visible_count()
        procs = procs or (2 if total > 20_000 else 1)
        with click.progressbar(length=total, label="Mengindeks produk") as bar:
            stats = rebuild(procs=procs, progress=bar.update)
        click.echo(
            f"Indexed {stats.documents} products in {stats.seconds:.1f} s "
            f"({stats.bytes / 1e6:.1f} MB) into {stats.generation.name}."
        )

    @search.command("status")
    def status_command():
        """Show which index generation is live and how many products it holds."""
        from marketplace.search.services import index_status

        try:
            status = index_status()
        except SearchUnavailable as error:
            click.echo(f"Search index unavailable: {error}. Run `flask search rebuild`.")
            return
        click.echo(f"{status.generation}: {status.documents} products, {status.segments} segment(s)")

    app.cli.add_command(search)
