"""The schema, assembled with its limits: depth, cost, tokens, page size (in paging.py), and introspection that
production may switch off."""

import strawberry
from flask import Flask
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache, QueryDepthLimiter, ValidationCache
from strawberry.schema.config import StrawberryConfig

from marketplace.api.limits import cost_limiter
from marketplace.api.queries_catalog import CatalogQuery


@strawberry.type
class Query(CatalogQuery):
    pass


def build_schema(app: Flask, introspection: bool | None = None) -> strawberry.Schema:
    config = app.config
    extensions = [
        MaxTokensLimiter(max_token_count=config["API_MAX_TOKENS"]),
        ParserCache(maxsize=256),
        QueryDepthLimiter(max_depth=config["API_MAX_DEPTH"]),
        ValidationCache(maxsize=256),
        cost_limiter(config["API_MAX_COST"], config["API_MAX_PAGE_SIZE"]),
    ]
    if not (config["API_INTROSPECTION"] if introspection is None else introspection):
        extensions.append(AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return strawberry.Schema(query=Query, extensions=extensions, config=StrawberryConfig(auto_camel_case=True))


def public_schema() -> strawberry.Schema:
    """The schema without an app, for the SDL snapshot."""
    return strawberry.Schema(query=Query)
