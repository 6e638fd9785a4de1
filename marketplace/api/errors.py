"""Errors as Saleor clients read them: top-level GraphQL errors for bad requests (with
``extensions.exception.code``), and ``errors: [{field message code}]`` in mutation payloads for business refusals."""

from enum import Enum

import strawberry
from graphql import GraphQLError


def api_error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"exception": {"code": code}})


def bad_input(message: str) -> GraphQLError:
    return api_error(message, "GraphQLError")


def not_found(message: str) -> GraphQLError:
    return api_error(message, "NotFound")


def permission_denied() -> GraphQLError:
    return api_error("You need to be logged in to perform this action.", "PermissionDenied")


@strawberry.enum
class AccountErrorCode(Enum):
    ACTIVATE_OWN_ACCOUNT = "activate_own_account"
    DUPLICATED_INPUT_ITEM = "duplicated_input_item"
    GRAPHQL_ERROR = "graphql_error"
    INACTIVE = "inactive"
    INVALID = "invalid"
    INVALID_CREDENTIALS = "invalid_credentials"
    INVALID_PASSWORD = "invalid_password"
    JWT_DECODE_ERROR = "jwt_decode_error"
    JWT_INVALID_TOKEN = "jwt_invalid_token"
    JWT_MISSING_TOKEN = "jwt_missing_token"
    JWT_SIGNATURE_EXPIRED = "jwt_signature_expired"
    NOT_FOUND = "not_found"
    PASSWORD_TOO_SHORT = "password_too_short"
    REQUIRED = "required"
    UNIQUE = "unique"


@strawberry.enum
class CheckoutErrorCode(Enum):
    BILLING_ADDRESS_NOT_SET = "billing_address_not_set"
    CHECKOUT_NOT_FULLY_PAID = "checkout_not_fully_paid"
    DELIVERY_METHOD_NOT_APPLICABLE = "delivery_method_not_applicable"
    EMAIL_NOT_SET = "email_not_set"
    GRAPHQL_ERROR = "graphql_error"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID = "invalid"
    INVALID_SHIPPING_METHOD = "invalid_shipping_method"
    NOT_FOUND = "not_found"
    NO_LINES = "no_lines"
    PAYMENT_ERROR = "payment_error"
    PRODUCT_NOT_PUBLISHED = "product_not_published"
    PRODUCT_UNAVAILABLE_FOR_PURCHASE = "product_unavailable_for_purchase"
    QUANTITY_GREATER_THAN_LIMIT = "quantity_greater_than_limit"
    REQUIRED = "required"
    SHIPPING_ADDRESS_NOT_SET = "shipping_address_not_set"
    SHIPPING_METHOD_NOT_SET = "shipping_method_not_set"
    UNAVAILABLE_VARIANT_IN_CHANNEL = "unavailable_variant_in_channel"
    ZERO_QUANTITY = "zero_quantity"


@strawberry.type
class AccountError:
    field: str | None
    message: str | None
    code: AccountErrorCode


@strawberry.type
class CheckoutError:
    field: str | None
    message: str | None
    code: CheckoutErrorCode
    variants: list[strawberry.ID] | None = None


class Refused(Exception):
    """A business refusal inside a mutation: becomes one entry of the payload's ``errors``, and the mutation's
    changes are rolled back."""

    def __init__(self, code: Enum, message: str, field: str | None = None, variants: list[str] | None = None):
        super().__init__(message)
        self.code, self.message, self.field, self.variants = code, message, field, variants
