"""A buyer's orders, newest first, as a Relay connection (under ``me``)."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts.models import User
from marketplace.api.ids import offset_cursor
from marketplace.api.paging import page_info, window
from marketplace.api.types_order import Order, OrderCountableConnection, OrderCountableEdge
from marketplace.extensions import db
from marketplace.orders.models import Order as OrderModel


def orders_of_user(user: User, first, after, last, before) -> OrderCountableConnection:
    mine = select(OrderModel).where(OrderModel.user_id == user.id)
    total = db.session.scalar(select(func.count()).select_from(mine.subquery())) or 0
    span = window(first, after, last, before, total)
    orders = db.session.scalars(
        mine.options(selectinload(OrderModel.lines), joinedload(OrderModel.koperasi))
        .order_by(OrderModel.created_at.desc(), OrderModel.id.desc()).offset(span.offset).limit(span.limit)
    ).all()
    edges = [OrderCountableEdge(node=Order(_order=o), cursor=offset_cursor(span.offset + n))
             for n, o in enumerate(orders)]
    return OrderCountableConnection(edges=edges, page_info=page_info(span.offset, len(orders), total),
                                    total_count=total)
