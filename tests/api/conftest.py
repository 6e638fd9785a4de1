"""GraphQL test helpers: post an operation as a client would (optionally with a bearer token), buyers with
tokens, and the app pointed at a real localstripe for payments."""

import pytest

from marketplace.api import auth


@pytest.fixture
def gql(client):
    def run(query: str, variables: dict | None = None, token: str | None = None, header: str = "Authorization",
            expect_errors: bool = False) -> dict:
        headers = {}
        if token:
            headers = {"Authorization": f"Bearer {token}"} if header == "Authorization" else {header: token}
        response = client.post("/graphql/", json={"query": query, "variables": variables or {}}, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        if not expect_errors:
            assert "errors" not in body, body["errors"]
        return body

    return run


@pytest.fixture
def token_for(app):
    def make(user) -> str:
        return auth.create_token(user, "access")

    return make


@pytest.fixture
def stripe_app(app, localstripe):
    """The test app talks to the session's localstripe for as long as the test runs."""
    saved = app.config["STRIPE_API_BASE"]
    app.config["STRIPE_API_BASE"] = localstripe
    app.extensions.pop("payment_gateway", None)
    yield app
    app.config["STRIPE_API_BASE"] = saved
    app.extensions.pop("payment_gateway", None)
