"""Checkout mutations in Saleor's shapes; every step calls the checkout, inventory and payments services."""

import strawberry

from marketplace.api import checkout_flow as flow
from marketplace.api.checkout_complete import complete
from marketplace.api.context import Info
from marketplace.api.errors import CheckoutError, CheckoutErrorCode, Refused
from marketplace.api.mutations_base import perform
from marketplace.api.types_checkout import Checkout, checkout_type
from marketplace.api.types_common import AddressInput, Money, address_input_to_dict, check_channel, money
from marketplace.api.types_order import Order

INVALID = CheckoutErrorCode.INVALID


def _errors(refusals: list[Refused]) -> list[CheckoutError]:
    return [CheckoutError(field=r.field, message=r.message, code=r.code,
                          variants=[strawberry.ID(v) for v in r.variants] if r.variants else None)
            for r in refusals]


@strawberry.input
class CheckoutLineInput:
    quantity: int
    variant_id: strawberry.ID


@strawberry.input
class CheckoutLineUpdateInput:
    quantity: int
    variant_id: strawberry.ID | None = None
    line_id: strawberry.ID | None = None


@strawberry.input
class CheckoutCreateInput:
    lines: list[CheckoutLineInput]
    channel: str | None = None
    email: str | None = None
    shipping_address: AddressInput | None = None
    billing_address: AddressInput | None = None


@strawberry.input
class PaymentInput:
    gateway: str
    token: str | None = None
    amount: float | None = None
    return_url: str | None = None


@strawberry.type
class CheckoutPayload:
    checkout: Checkout | None = None
    errors: list[CheckoutError] = strawberry.field(default_factory=list)


@strawberry.type
class CheckoutCreate:
    checkout: Checkout | None = None
    created: bool | None = None
    errors: list[CheckoutError] = strawberry.field(default_factory=list)


@strawberry.type
class Payment:
    _key: strawberry.Private[str]
    gateway: str
    token: str
    total: Money | None
    charge_status: str = "NOT_CHARGED"

    @strawberry.field
    def id(self) -> strawberry.ID:
        from marketplace.api.ids import to_global_id

        return strawberry.ID(to_global_id("Payment", self._key))


@strawberry.type
class CheckoutPaymentCreate:
    checkout: Checkout | None = None
    payment: Payment | None = None
    errors: list[CheckoutError] = strawberry.field(default_factory=list)


@strawberry.type
class CheckoutComplete:
    order: Order | None = None
    orders: list[Order] = strawberry.field(default_factory=list,
                                           description="Marketplace extra: one order per koperasi.")
    confirmation_needed: bool = False
    confirmation_data: str | None = None
    errors: list[CheckoutError] = strawberry.field(default_factory=list)


def _step(info: Info, id, token, change) -> CheckoutPayload:
    def work() -> CheckoutPayload:
        cart = flow.find_cart(flow.checkout_token(id, token), info.context.user)
        change(cart)
        return CheckoutPayload(checkout=checkout_type(cart))

    return perform(work, lambda errors: CheckoutPayload(errors=_errors(errors)), INVALID)


@strawberry.type
class CheckoutMutation:
    @strawberry.mutation
    def checkout_create(self, info: Info, input: CheckoutCreateInput) -> CheckoutCreate:
        check_channel(input.channel)

        def work() -> CheckoutCreate:
            user = info.context.user
            cart = flow.create_checkout(user)
            flow.add_lines(cart, [(line.variant_id, line.quantity) for line in input.lines])
            if input.email:
                flow.set_email(cart, input.email)
            if input.shipping_address:
                flow.set_shipping_address(cart, user, address_input_to_dict(input.shipping_address))
            if input.billing_address:
                flow.set_billing_address(cart, address_input_to_dict(input.billing_address))
            return CheckoutCreate(checkout=checkout_type(cart), created=True)

        return perform(work, lambda errors: CheckoutCreate(errors=_errors(errors)), INVALID)

    @strawberry.mutation
    def checkout_lines_add(self, info: Info, lines: list[CheckoutLineInput], id: strawberry.ID | None = None,
                           token: str | None = None, checkout_id: strawberry.ID | None = None) -> CheckoutPayload:
        return _step(info, id or checkout_id, token,
                     lambda cart: flow.add_lines(cart, [(line.variant_id, line.quantity) for line in lines]))

    @strawberry.mutation
    def checkout_lines_update(self, info: Info, lines: list[CheckoutLineUpdateInput],
                              id: strawberry.ID | None = None, token: str | None = None,
                              checkout_id: strawberry.ID | None = None) -> CheckoutPayload:
        return _step(info, id or checkout_id, token, lambda cart: flow.update_lines(
            cart, [(line.line_id, line.variant_id, line.quantity) for line in lines]))

    @strawberry.mutation
    def checkout_lines_delete(self, info: Info, lines_ids: list[strawberry.ID], id: strawberry.ID | None = None,
                              token: str | None = None) -> CheckoutPayload:
        return _step(info, id, token, lambda cart: flow.delete_lines(cart, list(lines_ids)))

    @strawberry.mutation
    def checkout_email_update(self, info: Info, email: str, id: strawberry.ID | None = None,
                              token: str | None = None, checkout_id: strawberry.ID | None = None) -> CheckoutPayload:
        return _step(info, id or checkout_id, token, lambda cart: flow.set_email(cart, email))

    @strawberry.mutation
    def checkout_shipping_address_update(self, info: Info, shipping_address: AddressInput,
                                         id: strawberry.ID | None = None, token: str | None = None,
                                         checkout_id: strawberry.ID | None = None) -> CheckoutPayload:
        return _step(info, id or checkout_id, token, lambda cart: flow.set_shipping_address(
            cart, info.context.user, address_input_to_dict(shipping_address)))

    @strawberry.mutation
    def checkout_billing_address_update(self, info: Info, billing_address: AddressInput,
                                        id: strawberry.ID | None = None, token: str | None = None,
                                        checkout_id: strawberry.ID | None = None) -> CheckoutPayload:
        return _step(info, id or checkout_id, token,
                     lambda cart: flow.set_billing_address(cart, address_input_to_dict(billing_address)))

    @strawberry.mutation
    def checkout_delivery_method_update(self, info: Info, delivery_method_id: strawberry.ID,
                                        id: strawberry.ID | None = None,
                                        token: str | None = None) -> CheckoutPayload:
        return _step(info, id, token, lambda cart: flow.choose_delivery(cart, delivery_method_id))

    @strawberry.mutation
    def checkout_shipping_method_update(self, info: Info, shipping_method_id: strawberry.ID,
                                        id: strawberry.ID | None = None, token: str | None = None,
                                        checkout_id: strawberry.ID | None = None) -> CheckoutPayload:
        return _step(info, id or checkout_id, token, lambda cart: flow.choose_delivery(cart, shipping_method_id))

    @strawberry.mutation
    def checkout_payment_create(self, info: Info, input: PaymentInput, id: strawberry.ID | None = None,
                                token: str | None = None,
                                checkout_id: strawberry.ID | None = None) -> CheckoutPaymentCreate:
        def work() -> CheckoutPaymentCreate:
            # also after a declined card, when the checkout is completed but its orders still wait for payment
            cart = flow.find_cart(flow.checkout_token(id or checkout_id, token), info.context.user, open_only=False)
            state = flow.create_payment(cart, input.gateway, input.token, input.amount)
            payment = Payment(_key=str(state.id), gateway=input.gateway, token=state.payment_token,
                              total=money(state.payment_amount) if state.payment_amount is not None else None)
            return CheckoutPaymentCreate(checkout=checkout_type(cart), payment=payment)

        return perform(work, lambda errors: CheckoutPaymentCreate(errors=_errors(errors)), INVALID)

    @strawberry.mutation
    def checkout_complete(self, info: Info, id: strawberry.ID | None = None, token: str | None = None,
                          checkout_id: strawberry.ID | None = None, payment_data: str | None = None,
                          redirect_url: str | None = None, store_source: bool = False) -> CheckoutComplete:
        user = info.context.require_user()
        try:
            orders = complete(flow.checkout_token(id or checkout_id, token), user)
        except Refused as refusal:
            return CheckoutComplete(errors=_errors([refusal]))
        typed = [Order(_order=o) for o in orders]
        return CheckoutComplete(order=typed[0], orders=typed)
