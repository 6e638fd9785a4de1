"""Every stock change goes through here: lock the stock rows in primary-key order, recheck under the lock, change
them, append a ledger row and an outbox event ("stock.changed") in the caller's transaction.

PostgreSQL locks rows with SELECT ... FOR UPDATE. SQLite has no row locks, so the first statement is a no-op
UPDATE of the same rows: it takes the database's write lock at once (an immediate write transaction), and every
other writer waits for our commit (busy_timeout) before it can read the rows we are about to change.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.catalog.models import Variant
from marketplace.core.errors import ValidationError
from marketplace.core.numbers import MAX_STOCK
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory.errors import InsufficientStock, Shortage, StockBelowAllocated
from marketplace.inventory.models import Allocation, MovementReason, Reservation, Stock, StockMovement, Warehouse
from marketplace.outbox import services as outbox


@dataclass(frozen=True)
class LineRequest:
    """A request for units of a variant; ``order_line_id`` is set when the units are allocated to an order."""

    variant_id: int
    quantity: int
    order_line_id: int | None = None
    reference: str = ""  # the line's own order number; wins over the call's reference (one cart, many koperasi)


def create_warehouse(koperasi, name: str, region_code: str | None = None, address: str = "") -> Warehouse:
    if not name.strip():
        raise ValidationError(_("Nama gudang wajib diisi."), field="name")
    warehouse = Warehouse(koperasi_id=koperasi.id, name=name.strip(), region_code=region_code or koperasi.region_code,
                          address=address)
    db.session.add(warehouse)
    db.session.flush()
    return warehouse


def _locked_rows(variant_ids: Iterable[int], stock_ids: Iterable[int], token: str | None = None,
                 now: datetime | None = None) -> list[tuple[Stock, int]]:
    """Locks stock rows in primary-key order and returns them fresh, each with the units other checkouts hold
    on it. The holds are read by a second statement, after the lock: on PostgreSQL (READ COMMITTED) a
    statement that waited for a row lock returns the row's newest version but evaluates everything else —
    a subquery summing holds, say — on the snapshot it started with, which would miss holds committed while
    it waited."""
    stocks = lock_stocks(variant_ids, stock_ids)
    if not stocks:
        return []
    held_query = (
        select(Reservation.stock_id, func.sum(Reservation.quantity))
        .where(Reservation.stock_id.in_([s.id for s in stocks]), Reservation.expires_at > (now or utcnow()))
        .group_by(Reservation.stock_id)
    )
    if token:
        held_query = held_query.where(Reservation.checkout_token != token)
    held = {stock_id: int(total) for stock_id, total in db.session.execute(held_query)}
    return [(stock, held.get(stock.id, 0)) for stock in stocks]


def lock_stocks(variant_ids: Iterable[int] = (), stock_ids: Iterable[int] = ()) -> list[Stock]:
    """Locks the stock rows of these variants (or these stock ids) in primary-key order and returns them fresh."""
    variant_ids, stock_ids = sorted(set(variant_ids)), sorted(set(stock_ids))
    if not variant_ids and not stock_ids:
        return []
    condition = Stock.variant_id.in_(variant_ids) if variant_ids else Stock.id.in_(stock_ids)
    query = (
        select(Stock).where(condition).order_by(Stock.id)
        .options(joinedload(Stock.warehouse, innerjoin=True))
        .execution_options(populate_existing=True)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(of=Stock)
    else:
        db.session.execute(update(Stock).where(condition).values(quantity=Stock.quantity))
    return list(db.session.scalars(query))


def _variant_info(variant_ids: Iterable[int]) -> dict[int, Variant]:
    """Variants by id; those already in the session cost no query (checkout has them loaded)."""
    result = {}
    for variant_id in sorted(set(variant_ids)):
        variant = db.session.get(Variant, variant_id)
        if variant is not None:
            result[variant_id] = variant
    return result


def _label(variant: Variant | None) -> str:
    if variant is None:
        return _("Produk tidak dikenal")
    product = variant.product.name
    return f"{product} ({variant.label})" if variant.label and variant.label != variant.sku else product


def _announce(variant_ids: Iterable[int], variants: dict[int, Variant] | None = None) -> None:
    variants = variants or _variant_info(variant_ids)
    for variant_id in sorted(set(variant_ids)):
        variant = variants.get(variant_id)
        outbox.record("stock.changed", variant_id=variant_id, product_id=variant.product_id if variant else None)


def _plan(requests: list[LineRequest], token: str | None, now: datetime) -> tuple[list, dict[int, Variant]]:
    """Under the lock: which stock rows serve which request. Raises one error listing every short line.
    Everything that needs no lock is read first, so hot rows stay locked for as short a time as possible."""
    variants = _variant_info(r.variant_id for r in requests)
    rows = _locked_rows([r.variant_id for r in requests], (), token, now)
    stocks = [stock for stock, _held in rows]
    free = {s.id: max(0, s.quantity - s.quantity_allocated - held) for s, held in rows}
    by_variant: dict[int, list[Stock]] = defaultdict(list)
    for stock in stocks:
        if stock.warehouse.is_active:
            by_variant[stock.variant_id].append(stock)
    plan, shortages = [], []
    wanted: dict[int, int] = defaultdict(int)
    for request in requests:
        wanted[request.variant_id] += request.quantity
    for variant_id, quantity in wanted.items():
        variant = variants.get(variant_id)
        available = sum(free[s.id] for s in by_variant[variant_id]) if variant and variant.is_active else 0
        if quantity > available:
            shortages.append(Shortage(variant_id, _label(variant), quantity, available))
    if shortages:
        raise InsufficientStock(shortages)
    for request in requests:
        remaining = request.quantity
        # Fullest warehouse first, so an order ships from as few places as possible.
        for stock in sorted(by_variant[request.variant_id], key=lambda s: (-free[s.id], s.id)):
            take = min(remaining, free[stock.id])
            if take:
                plan.append((request, stock, take))
                free[stock.id] -= take
                remaining -= take
            if not remaining:
                break
    return plan, variants


def reservation_ttl() -> timedelta:
    return timedelta(minutes=current_app.config.get("RESERVATION_MINUTES", 15))


def reserve_stock(token: str, requests: list[LineRequest], now: datetime | None = None) -> list[Reservation]:
    """Replaces this checkout's holds with holds for ``requests``. A hold runs for the reservation time from when
    the checkout first held stock: reopening the page does not extend it, or one buyer could keep units from
    everyone else indefinitely."""
    now = now or utcnow()
    for request in requests:
        if request.quantity <= 0:
            raise ValidationError(_("Jumlah harus lebih dari 0."), field="quantity")
    live = list(db.session.scalars(select(Reservation).where(Reservation.checkout_token == token,
                                                             Reservation.expires_at > now)))
    previous = {(r.variant_id, r.stock_id): r.quantity for r in live}
    plan, variants = _plan(requests, token, now)
    expires_at = min((r.expires_at for r in live), default=now + reservation_ttl())
    db.session.execute(delete(Reservation).where(Reservation.checkout_token == token))
    reservations = []
    current: dict[tuple[int, int], int] = defaultdict(int)
    for request, stock, take in plan:
        current[(request.variant_id, stock.id)] += take
    for (variant_id, stock_id), quantity in current.items():
        reservation = Reservation(checkout_token=token, stock_id=stock_id, variant_id=variant_id, quantity=quantity,
                                  expires_at=expires_at)
        db.session.add(reservation)
        reservations.append(reservation)
    changed = {variant_id for variant_id, _s in set(previous) ^ set(current)}
    changed |= {key[0] for key in current if key in previous and previous[key] != current[key]}
    _announce(changed, variants)
    db.session.flush()
    return reservations


def purge_expired_reservations(now: datetime | None = None) -> int:
    """Deletes holds past their expiry. They were already ignored; announcing them lets channels show the units."""
    now = now or utcnow()
    expired = db.session.execute(select(Reservation.id, Reservation.variant_id).where(Reservation.expires_at <= now))
    rows = list(expired)
    if not rows:
        return 0
    db.session.execute(delete(Reservation).where(Reservation.id.in_([r.id for r in rows])))
    _announce({r.variant_id for r in rows})
    db.session.flush()
    return len(rows)


def _move(stock: Stock, reason: MovementReason, *, quantity_delta: int = 0, allocated_delta: int = 0,
          reference: str = "", note: str = "", user_id: int | None = None) -> StockMovement:
    """Atomic increments in SQL (not values computed in Python): even a caller that forgot the lock could not
    lose an update, and the table's CHECKs (allocated ≤ quantity, nothing negative) refuse an oversell."""
    with db.session.no_autoflush:  # ledger rows are inserted together at the next flush
        db.session.execute(
            update(Stock).where(Stock.id == stock.id).values(
                quantity=Stock.quantity + quantity_delta,
                quantity_allocated=Stock.quantity_allocated + allocated_delta, updated_at=utcnow()),
            execution_options={"synchronize_session": False},
        )
    set_committed_value(stock, "quantity", stock.quantity + quantity_delta)
    set_committed_value(stock, "quantity_allocated", stock.quantity_allocated + allocated_delta)
    movement = StockMovement(stock_id=stock.id, variant_id=stock.variant_id, quantity_delta=quantity_delta,
                             allocated_delta=allocated_delta, reason=reason, reference=reference[:80],
                             note=note[:300], user_id=user_id)
    db.session.add(movement)
    return movement


def allocate_lines(requests: list[LineRequest], *, token: str | None = None, reference: str = "",
                   reason: MovementReason = MovementReason.SALE, now: datetime | None = None) -> list[Allocation]:
    """Promises units to order lines. The checkout's own holds count as available to it and are released."""
    now = now or utcnow()
    if token:  # the checkout's own holds never count against it, so they can go before the lock is taken
        db.session.execute(delete(Reservation).where(Reservation.checkout_token == token))
    _announce({r.variant_id for r in requests})  # written before the lock; undone with everything on failure
    plan, variants = _plan(requests, token, now)
    allocations = []
    for request, stock, take in plan:
        _move(stock, reason, allocated_delta=take, reference=request.reference or reference)
        allocation = Allocation(order_line_id=request.order_line_id, stock_id=stock.id, quantity=take)
        db.session.add(allocation)
        allocations.append(allocation)
    db.session.flush()
    return allocations


def _release_allocations(order_line_ids: list[int], reason: MovementReason, *, reference: str,
                         leaves_stock: bool) -> int:
    """Ends what order lines were promised, in stock-id order under the row locks; safe to call twice (spent
    allocations are skipped). ``leaves_stock``: the units left the warehouse too (shipped), else they return."""
    allocations = list(db.session.scalars(
        select(Allocation).where(Allocation.order_line_id.in_(order_line_ids), Allocation.quantity > 0)
    ))
    if not allocations:
        return 0
    stocks = {s.id: s for s in lock_stocks(stock_ids=[a.stock_id for a in allocations])}
    released = 0
    for allocation in sorted(allocations, key=lambda a: a.stock_id):
        _move(stocks[allocation.stock_id], reason, allocated_delta=-allocation.quantity, reference=reference,
              quantity_delta=-allocation.quantity if leaves_stock else 0)
        released += allocation.quantity
        allocation.quantity = 0
    _announce({s.variant_id for s in stocks.values()})
    db.session.flush()
    return released


def deallocate_lines(order_line_ids: list[int], *, reference: str = "",
                     reason: MovementReason = MovementReason.CANCEL) -> int:
    """Gives back what order lines were promised (cancel before shipping)."""
    return _release_allocations(order_line_ids, reason, reference=reference, leaves_stock=False)


def fulfil_lines(order_line_ids: list[int], *, reference: str = "") -> int:
    """The parcel left the warehouse: allocated units stop being stock at all."""
    return _release_allocations(order_line_ids, MovementReason.FULFILMENT, reference=reference, leaves_stock=True)


def set_stock(variant: Variant, warehouse: Warehouse, quantity: int, *,
              reason: MovementReason = MovementReason.ADJUSTMENT, user_id: int | None = None,
              note: str = "", reference: str = "") -> Stock:
    """Sets the counted quantity of a variant in a warehouse (stock take, import). Never below what is promised."""
    if quantity < 0:
        raise ValidationError(_("Stok tidak boleh negatif."), field="quantity")
    if quantity > MAX_STOCK:
        raise ValidationError(_("Stok maksimal %(max)s.", max=MAX_STOCK), field="quantity")
    if warehouse.koperasi_id != variant.koperasi_id:
        raise ValidationError(_("Gudang bukan milik koperasi produk ini."), field="warehouse")
    stock = _get_or_create_stock(variant, warehouse)
    if quantity < stock.quantity_allocated:
        raise StockBelowAllocated(
            _("Stok %(label)s tidak bisa dijadikan %(quantity)s: %(allocated)s unit sudah dipesan.",
              label=_label(variant), quantity=quantity, allocated=stock.quantity_allocated)
        )
    delta = quantity - stock.quantity
    if delta:
        _move(stock, reason, quantity_delta=delta, reference=reference, note=note, user_id=user_id)
        _announce([variant.id], {variant.id: variant})
    db.session.flush()
    return stock


def adjust_stock(variant: Variant, warehouse: Warehouse, delta: int, *,
                 reason: MovementReason = MovementReason.ADJUSTMENT, user_id: int | None = None,
                 note: str = "", reference: str = "") -> Stock:
    """Adds (or removes) units: goods received, a return put back on the shelf, breakage."""
    stock = _get_or_create_stock(variant, warehouse)
    return set_stock(variant, warehouse, stock.quantity + delta, reason=reason, user_id=user_id, note=note,
                     reference=reference)


def _get_or_create_stock(variant: Variant, warehouse: Warehouse) -> Stock:
    stock = db.session.scalar(select(Stock).where(Stock.variant_id == variant.id,
                                                  Stock.warehouse_id == warehouse.id))
    if stock is None:
        stock = Stock(variant_id=variant.id, warehouse_id=warehouse.id, quantity=0, quantity_allocated=0)
        db.session.add(stock)
        db.session.flush()
    return lock_stocks(stock_ids=[stock.id])[0]
