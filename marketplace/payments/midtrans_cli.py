"""`flask payments midtrans-surplus`: money paid twice through a virtual account (a charge the buyer switched away
from and paid anyway), waiting for finance staff to transfer it back; `--done <order id>` once they have."""

import click
from flask import Flask

from marketplace.extensions import db
from marketplace.payments import midtrans_events


def register_cli(app: Flask) -> None:
    from marketplace.payments.cli import payments_cli

    if "midtrans-surplus" not in payments_cli.commands:
        payments_cli.add_command(surplus)


@click.command("midtrans-surplus")
@click.option("--done", "done_ref", default=None, help="Gateway order id of a surplus that was transferred back.")
def surplus(done_ref: str | None):
    if done_ref:
        click.echo(midtrans_events.confirm_surplus_returned(done_ref))
        db.session.commit()
        return
    for charge in midtrans_events.surplus_waiting_for_staff():
        click.echo(f"{charge.order_ref}\tpayment {charge.payment_id}\t{charge.method}\tRp {charge.amount:,}"
                   .replace(",", "."))
