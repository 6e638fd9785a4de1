"""Orders as Saleor clients read them. One checkout makes one order per koperasi; ``opopStatus`` (a marketplace
extra) is the status buyers know from Indonesian marketplaces."""

from datetime import datetime
from enum import Enum

import strawberry

from marketplace.api.ids import to_global_id
from marketplace.api.types_common import Address, PageInfo, TaxedMoney, address_from_dict, taxed
from marketplace.orders.models import Order as OrderModel
from marketplace.orders.models import OrderStatus as OpopStatus


@strawberry.enum
class OrderStatus(Enum):
    UNCONFIRMED = "unconfirmed"
    UNFULFILLED = "unfulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    RETURNED = "returned"
    CANCELED = "canceled"
    EXPIRED = "expired"


@strawberry.enum
class PaymentChargeStatusEnum(Enum):
    NOT_CHARGED = "not-charged"
    FULLY_CHARGED = "fully-charged"
    FULLY_REFUNDED = "fully-refunded"


@strawberry.enum
class OpopOrderStatus(Enum):
    BELUM_BAYAR = "belum_bayar"
    DIKEMAS = "dikemas"
    DIKIRIM = "dikirim"
    SELESAI = "selesai"
    DIBATALKAN = "dibatalkan"
    DANA_KEMBALI = "dana_kembali"


_SALEOR_STATUS = {
    OpopStatus.UNPAID: OrderStatus.UNFULFILLED, OpopStatus.PACKING: OrderStatus.UNFULFILLED,
    OpopStatus.SHIPPED: OrderStatus.FULFILLED, OpopStatus.COMPLETED: OrderStatus.FULFILLED,
    OpopStatus.CANCELLED: OrderStatus.CANCELED, OpopStatus.REFUNDED: OrderStatus.CANCELED,
}


@strawberry.type
class OrderLine:
    _id: strawberry.Private[int]
    product_name: str
    variant_name: str
    product_sku: str | None
    quantity: int
    unit_price: TaxedMoney
    total_price: TaxedMoney

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("OrderLine", self._id))

    @strawberry.field
    def variant_id(self) -> str | None:
        return None


@strawberry.type
class Order:
    _order: strawberry.Private[OrderModel]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Order", self._order.id))

    @strawberry.field
    def number(self) -> str:
        return self._order.number

    @strawberry.field
    def created(self) -> datetime:
        return self._order.created_at

    @strawberry.field
    def status(self) -> OrderStatus:
        return _SALEOR_STATUS[self._order.status]

    @strawberry.field
    def status_display(self) -> str:
        return self._order.status_label

    @strawberry.field(description="Marketplace extra: belum bayar, dikemas, dikirim, selesai, dibatalkan.")
    def opop_status(self) -> OpopOrderStatus:
        return OpopOrderStatus(self._order.status.value)

    @strawberry.field
    def payment_status(self) -> PaymentChargeStatusEnum:
        if self._order.status == OpopStatus.REFUNDED:
            return PaymentChargeStatusEnum.FULLY_REFUNDED
        return PaymentChargeStatusEnum.FULLY_CHARGED if self._order.paid_at else PaymentChargeStatusEnum.NOT_CHARGED

    @strawberry.field
    def is_paid(self) -> bool:
        return self._order.paid_at is not None

    @strawberry.field
    def user_email(self) -> str | None:
        return self._order.email

    @strawberry.field
    def total(self) -> TaxedMoney:
        return taxed(self._order.total)

    @strawberry.field
    def subtotal(self) -> TaxedMoney:
        return taxed(self._order.subtotal)

    @strawberry.field
    def shipping_price(self) -> TaxedMoney:
        return taxed(self._order.shipping_cost)

    @strawberry.field
    def shipping_method_name(self) -> str | None:
        from marketplace.checkout.models import COURIER_NAMES, Courier

        try:
            return COURIER_NAMES[Courier(self._order.courier)]
        except ValueError:
            return self._order.courier

    @strawberry.field
    def shipping_address(self) -> Address | None:
        return address_from_dict(self._order.address, key=f"order-{self._order.id}")

    @strawberry.field
    def billing_address(self) -> Address | None:
        return self.shipping_address()

    @strawberry.field(description="Marketplace extra: the courier's tracking number (resi).")
    def tracking_number(self) -> str | None:
        return self._order.tracking_number

    @strawberry.field(description="Marketplace extra: unpaid orders are cancelled after this time.")
    def payment_due_at(self) -> datetime | None:
        return self._order.payment_due_at

    @strawberry.field(description="Marketplace extra: the koperasi that ships this order.")
    def koperasi_name(self) -> str:
        return self._order.koperasi.name

    @strawberry.field
    def lines(self) -> list[OrderLine]:
        return [OrderLine(_id=line.id, product_name=line.product_name, variant_name=line.variant_label,
                          product_sku=line.sku, quantity=line.quantity, unit_price=taxed(line.unit_price),
                          total_price=taxed(line.line_total)) for line in self._order.lines]


@strawberry.type
class OrderCountableEdge:
    node: Order
    cursor: str


@strawberry.type
class OrderCountableConnection:
    edges: list[OrderCountableEdge]
    page_info: PageInfo
    total_count: int | None
