"""Order reads: one order by id, and a buyer's orders under ``me``. Only the buyer's own orders are found."""

import strawberry

from marketplace.api.context import Info
from marketplace.api.errors import CheckoutErrorCode, Refused, bad_input
from marketplace.api.ids import int_id
from marketplace.api.types_account import User as UserType
from marketplace.api.types_checkout import Checkout, checkout_type
from marketplace.api.types_order import Order
from marketplace.extensions import db
from marketplace.orders.models import Order as OrderModel


@strawberry.type
class AccountQuery:
    @strawberry.field
    def me(self, info: Info) -> UserType | None:
        user = info.context.user
        return UserType(_user=user) if user else None

    @strawberry.field
    def order(self, info: Info, id: strawberry.ID) -> Order | None:
        """Another buyer's order is not found, exactly like a missing one."""
        user = info.context.require_user()
        order = db.session.get(OrderModel, int_id(id, "Order"))
        return Order(_order=order) if order is not None and order.user_id == user.id else None

    @strawberry.field
    def checkout(self, info: Info, id: strawberry.ID | None = None, token: str | None = None) -> Checkout | None:
        from marketplace.api.checkout_flow import checkout_token, find_cart

        try:
            cart = find_cart(checkout_token(id, token), info.context.user)
        except Refused as refusal:
            if refusal.code == CheckoutErrorCode.NOT_FOUND:
                return None
            raise bad_input(refusal.message) from None
        return checkout_type(cart)
