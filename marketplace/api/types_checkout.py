"""The checkout as Saleor clients read it. One checkout may hold several koperasi: each becomes its own
shipment (``shipments``, a marketplace extra) with its own delivery method, and its own order."""

from datetime import datetime

import strawberry
from flask import current_app

from marketplace.api import read_model
from marketplace.api.context import Info
from marketplace.api.ids import to_global_id
from marketplace.api.types_account import User
from marketplace.api.types_catalog import Koperasi, ProductVariant
from marketplace.api.types_common import (
    DEFAULT_CHANNEL,
    UUID,
    Address,
    Channel,
    Money,
    TaxedMoney,
    address_from_dict,
    money,
    taxed,
)
from marketplace.checkout import services as checkout
from marketplace.checkout.cart import summarise
from marketplace.checkout.models import Cart


@strawberry.type
class ShippingMethod:
    _koperasi_id: strawberry.Private[int]
    _courier: strawberry.Private[str]
    name: str
    price: Money
    minimum_delivery_days: int | None
    maximum_delivery_days: int | None
    active: bool = True
    message: str | None = None

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("ShippingMethod", f"{self._koperasi_id}:{self._courier}"))


def _method(koperasi_id: int, option) -> ShippingMethod:
    low, _sep, high = (option.etd_days or "").partition("-")
    return ShippingMethod(_koperasi_id=koperasi_id, _courier=option.courier.value, name=option.name,
                          price=money(option.price), minimum_delivery_days=int(low) if low.isdigit() else None,
                          maximum_delivery_days=int(high or low) if (high or low).isdigit() else None)


@strawberry.type
class Shipment:
    """Marketplace extra: the part of the checkout one koperasi ships."""

    koperasi: Koperasi
    subtotal_price: TaxedMoney
    weight_grams: int
    shipping_methods: list[ShippingMethod]
    shipping_method: ShippingMethod | None


@strawberry.type
class GatewayConfigLine:
    field: str
    value: str | None


@strawberry.type
class PaymentGateway:
    id: strawberry.ID
    name: str
    currencies: list[str]
    config: list[GatewayConfigLine]


def payment_gateways() -> list[PaymentGateway]:
    from marketplace.api.checkout_flow import GATEWAY_ID

    return [PaymentGateway(id=strawberry.ID(GATEWAY_ID), name="Stripe", currencies=["IDR"], config=[
        GatewayConfigLine(field="api_key", value=current_app.config["STRIPE_PUBLISHABLE_KEY"]),
        GatewayConfigLine(field="store_customer_card", value="false"),
    ])]


@strawberry.type
class CheckoutLine:
    _line_id: strawberry.Private[int]
    _variant: strawberry.Private[ProductVariant]
    quantity: int
    unit_price: TaxedMoney
    undiscounted_unit_price: Money
    total_price: TaxedMoney
    undiscounted_total_price: Money
    requires_shipping: bool = True

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("CheckoutLine", self._line_id))

    @strawberry.field
    def variant(self) -> ProductVariant:
        return self._variant


@strawberry.type
class Checkout:
    _cart: strawberry.Private[Cart]
    _email: strawberry.Private[str | None]
    _billing: strawberry.Private[dict | None]
    _computed: strawberry.Private[dict]

    def _view(self):
        if "summary" not in self._computed:
            summary = summarise(self._cart)
            self._computed["summary"] = summary
            self._computed["quotes"] = checkout.quotes(self._cart, summary) if self._cart.address else {}
            ids = sorted({line.variant.product_id for line in self._cart.lines})
            self._computed["cards"] = read_model.cards_by_ids(ids)
        return self._computed["summary"], self._computed["quotes"], self._computed["cards"]

    def _chosen(self) -> dict[int, ShippingMethod]:
        _summary, quotes, _cards = self._view()
        wanted = self._cart.shipping_choices or {}
        chosen = {}
        for koperasi_id, quote in quotes.items():
            option = next((o for o in quote.options if o.courier.value == wanted.get(str(koperasi_id))), None)
            if option is not None:
                chosen[koperasi_id] = _method(koperasi_id, option)
        return chosen

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Checkout", self._cart.token))

    @strawberry.field
    def token(self) -> UUID:
        return self._cart.token

    @strawberry.field
    def created(self) -> datetime:
        return self._cart.created_at

    @strawberry.field
    def email(self) -> str | None:
        return self._email

    @strawberry.field
    def user(self, info: Info) -> User | None:
        user = info.context.user
        return User(_user=user) if user is not None and user.id == self._cart.user_id else None

    @strawberry.field
    def channel(self) -> Channel:
        return DEFAULT_CHANNEL

    @strawberry.field
    def quantity(self) -> int:
        return self._cart.item_count

    @strawberry.field
    def is_shipping_required(self) -> bool:
        return True

    @strawberry.field
    def lines(self, info: Info) -> list[CheckoutLine]:
        summary, _quotes, cards = self._view()
        result = []
        for group in summary.groups:
            for item in group.lines:
                card = cards.get(item.variant.product_id)
                ref = next((v for v in card.variants if v.id == item.variant.id), None) if card else None
                if ref is None:  # no longer sold: still shown, so the buyer can remove it
                    ref = read_model.VariantRef(item.variant.id, item.variant.product_id, item.variant.label,
                                                item.variant.sku, item.variant.price, item.variant.weight_grams)
                    card = card or read_model.card_of(item.variant.product)
                info.context.expect_variants([item.variant.id])
                result.append(CheckoutLine(
                    _line_id=item.line.id, _variant=ProductVariant(_ref=ref, _product=card),
                    quantity=item.line.quantity, unit_price=taxed(item.unit_price),
                    undiscounted_unit_price=money(item.unit_price), total_price=taxed(item.total),
                    undiscounted_total_price=money(item.total)))
        return result

    @strawberry.field
    def subtotal_price(self) -> TaxedMoney:
        return taxed(self._view()[0].subtotal)

    @strawberry.field
    def shipping_price(self) -> TaxedMoney:
        return taxed(sum(int(m.price.amount) for m in self._chosen().values()))

    @strawberry.field
    def total_price(self) -> TaxedMoney:
        return taxed(self._view()[0].subtotal + sum(int(m.price.amount) for m in self._chosen().values()))

    @strawberry.field
    def shipping_address(self) -> Address | None:
        return address_from_dict(self._cart.address, key=f"checkout-{self._cart.id}-shipping")

    @strawberry.field
    def billing_address(self) -> Address | None:
        return address_from_dict(self._billing or self._cart.address, key=f"checkout-{self._cart.id}-billing")

    @strawberry.field
    def shipments(self) -> list[Shipment]:
        summary, quotes, cards = self._view()
        chosen = self._chosen()
        result = []
        for group in summary.groups:
            quote = quotes.get(group.koperasi.id)
            ref = read_model.koperasi_ref(group.koperasi)
            result.append(Shipment(
                koperasi=Koperasi(_ref=ref), subtotal_price=taxed(group.subtotal), weight_grams=group.weight_grams,
                shipping_methods=[_method(group.koperasi.id, o) for o in (quote.options if quote else [])],
                shipping_method=chosen.get(group.koperasi.id)))
        return result

    @strawberry.field
    def shipping_methods(self) -> list[ShippingMethod]:
        return [m for shipment in self.shipments() for m in shipment.shipping_methods]

    @strawberry.field
    def available_shipping_methods(self) -> list[ShippingMethod]:
        return self.shipping_methods()

    @strawberry.field
    def shipping_method(self) -> ShippingMethod | None:
        chosen = list(self._chosen().values())
        return chosen[0] if chosen else None

    @strawberry.field
    def delivery_method(self) -> ShippingMethod | None:
        return self.shipping_method()

    @strawberry.field
    def available_payment_gateways(self) -> list[PaymentGateway]:
        return payment_gateways()

    @strawberry.field
    def stock_reservation_expires(self) -> datetime | None:
        return None


def checkout_type(cart: Cart) -> Checkout:
    from marketplace.api.checkout_flow import state_of

    state = state_of(cart)
    email = (state.email if state else None) or (cart_user_email(cart))
    return Checkout(_cart=cart, _email=email, _billing=state.billing_address if state else None, _computed={})


def cart_user_email(cart: Cart) -> str | None:
    if cart.user_id is None:
        return None
    from marketplace.accounts.models import User as UserModel
    from marketplace.extensions import db

    user = db.session.get(UserModel, cart.user_id)
    return user.email if user else None

