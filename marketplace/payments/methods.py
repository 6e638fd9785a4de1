"""Payment methods offered on the payment page, behind one registry.

A method is what the buyer picks (card, a bank's virtual account, QRIS, COD, manual transfer); a gateway is who
confirms the money (Stripe, the Midtrans-shaped gateway, the koperasi itself). Each method module registers one
``Method`` in its ``register_methods()``, called from ``payments.init_app``; the page lists them in registration
order. Rules every method keeps: one payment for the cart, orders become paid only through
``services.record_success`` (a verified notification, a server-side status check, or a koperasi's confirmation),
and every step is safe to repeat."""

from collections.abc import Callable
from dataclasses import dataclass

from marketplace.orders.models import Order
from marketplace.payments.models import Payment

# (payment, its orders) -> None when the method is offered for this cart, else the reason shown beside it.
Availability = Callable[[Payment, list[Order]], str | None]
# Called when the buyer picks the method; may call the gateway (never with rows locked) and fill payment.details.
Starter = Callable[[Payment, list[Order]], None]
# Asks the gateway for the payment's state when the page is shown (the notification may be late).
Refresher = Callable[[Payment], None]
# Gives an order's money back: (payment, amount in rupiah, idempotency key) -> the gateway's refund id. Raises
# GatewayError when the gateway refuses or cannot be reached (the refund task keeps the error and retries).
Refunder = Callable[[Payment, int, str], str]
# Called when the buyer switches away from the method while unpaid (e.g. cancels a pending virtual account).
Stopper = Callable[[Payment], None]


@dataclass(frozen=True)
class Method:
    code: str  # stored in Payment.method: "card", "va_bca", "qris", "cod", "transfer", ...
    label: str  # lazy gettext
    group: str  # "card" | "va" | "qris" | "ewallet" | "cod" | "transfer": how the page groups them
    gateway: str  # stored in Payment.gateway once chosen
    template: str  # the partial that shows the chosen method (instructions, forms) on the payment page
    unavailable: Availability
    start: Starter | None = None
    stop: Stopper | None = None
    refresh: Refresher | None = None
    refund: Refunder | None = None
    hint: str = ""  # one line under the label (lazy gettext)


_METHODS: dict[str, Method] = {}


def register(method: Method) -> None:
    """Idempotent: registering the same code again replaces it (an app factory may run more than once)."""
    _METHODS[method.code] = method


def get(code: str | None) -> Method | None:
    return _METHODS.get(code or "")


def all_methods() -> list[Method]:
    return list(_METHODS.values())


def offered(payment: Payment, orders: list[Order]) -> list[tuple[Method, str | None]]:
    """Every registered method with the reason it is not offered for this cart (None when it is)."""
    return [(method, method.unavailable(payment, orders)) for method in _METHODS.values()]
