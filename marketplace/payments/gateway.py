"""The payment gateway interface and its Stripe implementation (localstripe in development and tests).

Amounts cross this edge in rupiah. Stripe treats IDR as a two-decimal currency, so the API sees rupiah × 100;
the conversion happens here and nowhere else."""

import json
from dataclasses import dataclass
from typing import Protocol

import stripe
from flask import current_app

IDR_API_FACTOR = 100


class GatewayError(Exception):
    """The gateway refused or could not be reached; ``declined`` when the card itself was refused."""

    def __init__(self, message: str, declined: bool = False):
        super().__init__(message)
        self.declined = declined


class ManualRefund(GatewayError):
    """The method cannot give money back through an API (a bank virtual account, a manual transfer): a person at
    the koperasi transfers it back and confirms (``refunds.confirm_manual_refund``). Not retried."""


class InvalidSignature(Exception):
    pass


@dataclass(frozen=True)
class Intent:
    id: str
    client_secret: str | None
    status: str  # succeeded | processing | requires_payment_method | requires_confirmation | canceled | ...
    amount: int  # rupiah
    currency: str
    failure_message: str | None = None
    metadata: dict | None = None


@dataclass(frozen=True)
class GatewayEvent:
    id: str
    type: str
    intent: Intent | None
    payload: dict


class PaymentGateway(Protocol):
    name: str

    def create_intent(self, amount: int, currency: str, metadata: dict, idempotency_key: str) -> Intent: ...

    def confirm(self, intent_id: str, payment_method: str, idempotency_key: str) -> Intent: ...

    def retrieve(self, intent_id: str) -> Intent: ...

    def refund(self, intent_id: str, amount: int, idempotency_key: str) -> str: ...

    def parse_event(self, payload: bytes, signature: str | None) -> GatewayEvent: ...


def _intent(data: dict) -> Intent:
    error = data.get("last_payment_error") or {}
    return Intent(
        id=data["id"], client_secret=data.get("client_secret"), status=data.get("status", ""),
        amount=int(data.get("amount") or 0) // IDR_API_FACTOR, currency=data.get("currency", ""),
        failure_message=error.get("message"), metadata=dict(data.get("metadata") or {}),
    )


class StripeGateway:
    name = "stripe"

    def __init__(self, secret_key: str, api_base: str, webhook_secret: str):
        self.client = stripe.StripeClient(secret_key, base_addresses={"api": api_base}, max_network_retries=2)
        self.webhook_secret = webhook_secret

    def _call(self, fn, *args, **kwargs) -> dict:
        try:
            return fn(*args, **kwargs).to_dict()
        except stripe.CardError as error:
            raise GatewayError(error.user_message or str(error), declined=True) from error
        except stripe.StripeError as error:
            raise GatewayError(error.user_message or str(error)) from error

    def create_intent(self, amount: int, currency: str, metadata: dict, idempotency_key: str) -> Intent:
        data = self._call(
            self.client.v1.payment_intents.create,
            params={"amount": amount * IDR_API_FACTOR, "currency": currency, "metadata": metadata},
            options={"idempotency_key": idempotency_key},
        )
        return _intent(data)

    def confirm(self, intent_id: str, payment_method: str, idempotency_key: str) -> Intent:
        # Attach the method, then confirm (localstripe does not take the method on confirm itself).
        self._call(self.client.v1.payment_intents.update, intent_id, params={"payment_method": payment_method},
                   options={"idempotency_key": idempotency_key + "-attach"})
        return _intent(self._call(self.client.v1.payment_intents.confirm, intent_id,
                                  options={"idempotency_key": idempotency_key + "-confirm"}))

    def retrieve(self, intent_id: str) -> Intent:
        return _intent(self._call(self.client.v1.payment_intents.retrieve, intent_id))

    def refund(self, intent_id: str, amount: int, idempotency_key: str) -> str:
        data = self._call(self.client.v1.refunds.create,
                          params={"payment_intent": intent_id, "amount": amount * IDR_API_FACTOR},
                          options={"idempotency_key": idempotency_key})
        return data["id"]

    def parse_event(self, payload: bytes, signature: str | None) -> GatewayEvent:
        try:
            stripe.WebhookSignature.verify_header(payload.decode("utf-8"), signature or "", self.webhook_secret,
                                                  tolerance=300)
        except (stripe.SignatureVerificationError, UnicodeDecodeError) as error:
            raise InvalidSignature(str(error)) from error
        data = json.loads(payload)
        obj = (data.get("data") or {}).get("object") or {}
        intent = _intent(obj) if obj.get("object") == "payment_intent" else None
        return GatewayEvent(id=data["id"], type=data.get("type", ""), intent=intent, payload=data)


def get_gateway() -> PaymentGateway:
    cached = current_app.extensions.get("payment_gateway")
    if cached is None:
        config = current_app.config
        cached = StripeGateway(config["STRIPE_SECRET_KEY"], config["STRIPE_API_BASE"],
                               config["STRIPE_WEBHOOK_SECRET"])
        current_app.extensions["payment_gateway"] = cached
    return cached
