"""The schema, assembled with its limits: depth, cost, tokens, page size (in paging.py), and introspection that
production may switch off."""

import logging

import strawberry
from flask import Flask
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache, QueryDepthLimiter, ValidationCache
from strawberry.schema.config import StrawberryConfig

from marketplace.api.limits import cost_limiter
from marketplace.api.mutations_account import AccountMutation
from marketplace.api.mutations_checkout import CheckoutMutation
from marketplace.api.queries_catalog import CatalogQuery
from marketplace.api.queries_orders import AccountQuery
from marketplace.api.types_common import SCALARS

logger = logging.getLogger(__name__)


@strawberry.type
class Query(CatalogQuery, AccountQuery):
    pass


@strawberry.type
class Mutation(AccountMutation, CheckoutMutation):
    pass


class ApiSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Only unexpected errors are logged (with their traceback); a client's mistakes are not ours."""
        for error in errors:
            if error.original_error is not None and not isinstance(error.original_error, GraphQLError):
                logger.error("GraphQL resolver failed: %s", error.message, exc_info=error.original_error)


def build_schema(app: Flask, introspection: bool | None = None) -> strawberry.Schema:
    config = app.config
    tokens = config["API_MAX_TOKENS"]
    # The rule classes are made once: the validation cache is keyed by them, so a new class per request (what a
    # fresh QueryDepthLimiter makes) would validate every request again.
    rules = list(QueryDepthLimiter(max_depth=config["API_MAX_DEPTH"]).validation_rules)
    if not (config["API_INTROSPECTION"] if introspection is None else introspection):
        rules.append(NoSchemaIntrospectionCustomRule)
    extensions = [  # factories: a fresh extension per request (the parse/validation caches are shared)
        lambda: MaxTokensLimiter(max_token_count=tokens),
        lambda: ParserCache(maxsize=256),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=256),
        cost_limiter(config["API_MAX_COST"], config["API_MAX_PAGE_SIZE"]),
    ]
    return ApiSchema(query=Query, mutation=Mutation, extensions=extensions,
                             config=StrawberryConfig(auto_camel_case=True, scalar_map=SCALARS))


def public_schema() -> strawberry.Schema:
    """The schema without an app, for the SDL snapshot."""
    return strawberry.Schema(query=Query, mutation=Mutation, config=StrawberryConfig(scalar_map=SCALARS))
