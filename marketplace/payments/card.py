"""Cards, through Stripe (localstripe in development and tests): the form on the payment page itself."""

from flask_babel import lazy_gettext as _l

from marketplace.payments.gateway import GatewayError, get_gateway
from marketplace.payments.methods import Method, register
from marketplace.payments.models import Payment


def refund(payment: Payment, amount: int, idempotency_key: str) -> str:
    if not payment.intent_id:
        raise GatewayError("payment not captured")
    return get_gateway().refund(payment.intent_id, amount, idempotency_key)


def register_methods() -> None:
    register(Method(code="card", label=_l("Kartu debit/kredit"), group="card", gateway="stripe",
                    template="payments/methods/card.html", unavailable=lambda payment, orders: None,
                    refund=refund, hint=_l("Visa, Mastercard, JCB")))
