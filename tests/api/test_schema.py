"""The public shape is guarded: the schema must equal the committed SDL (tests/api/schema.graphql). After a
deliberate change, regenerate it with `python -m tests.api.test_schema` and review the diff."""

from pathlib import Path

import pytest

from marketplace.api.schema import build_schema, public_schema

SNAPSHOT = Path(__file__).with_name("schema.graphql")


def current_sdl() -> str:
    return str(public_schema()).strip() + "\n"


def test_schema_matches_the_committed_snapshot():
    assert current_sdl() == SNAPSHOT.read_text(), (
        "The GraphQL schema changed. If intended, run `python -m tests.api.test_schema` and commit schema.graphql.")


@pytest.mark.parametrize("enabled", [True, False])
def test_introspection_can_be_switched_off(app, enabled):
    schema = build_schema(app, introspection=enabled)
    result = schema.execute_sync("{ __schema { queryType { name } } }")
    assert (result.errors is None) == enabled
    if not enabled:
        assert "introspection" in result.errors[0].message.lower()
    assert schema.execute_sync('{ channel(slug: "default-channel") { slug } }').data is not None


if __name__ == "__main__":
    SNAPSHOT.write_text(current_sdl())
    print(f"wrote {SNAPSHOT}")
