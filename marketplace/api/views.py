"""The /graphql/ endpoint: strawberry's Flask view with the caller's context, JSON for every answer (also for a
malformed request), and nothing internal in error messages."""

from flask import Request, Response, current_app
from graphql import GraphQLError
from strawberry.flask.views import GraphQLView
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from marketplace.api.context import ApiContext
from marketplace.api.errors import api_error
from marketplace.extensions import db


def _is_expected(error: GraphQLError) -> bool:
    """Errors meant for the client: validation, parsing, and the ones the API raises on purpose. Anything else
    is a bug whose text could leak internals."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


class ApiView(GraphQLView):
    def get_context(self, request: Request, response: Response) -> ApiContext:
        return ApiContext(request=request, response=response)

    def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors:
            cleaned = []
            for error in result.errors:
                if _is_expected(error):
                    cleaned.append(error)
                    continue
                db.session.rollback()
                cleaned.append(GraphQLError("Internal Server Error", nodes=error.nodes, path=error.path,
                                            extensions={"exception": {"code": "InternalServerError"}}))
            result.errors = cleaned
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [error.formatted for error in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        return data

    def dispatch_request(self):
        response = super().dispatch_request()
        if isinstance(response, Response) and response.mimetype == "text/plain":
            # strawberry answers a malformed request (bad JSON, no query, wrong method) in plain text
            message = response.get_data(as_text=True) or "Bad request."
            body = {"errors": [api_error(message, "GraphQLError").formatted], "data": None}
            return current_app.json.response(body), response.status_code
        return response


def make_view(schema, graphiql: bool):
    return ApiView.as_view("graphql", schema=schema, graphql_ide="graphiql" if graphiql else None,
                           allow_queries_via_get=True)

