"""The catalogue over GraphQL: Relay paging with opaque cursors, Saleor's pricing/thumbnail/variant shapes,
search through the search interface, only what a buyer may see, and clear errors for bad requests."""

import pytest

from marketplace.api.ids import to_global_id
from marketplace.catalog.models import ProductStatus
from marketplace.outbox.services import dispatch_pending

PRODUCTS = """query($first: Int, $after: String, $last: Int, $before: String, $filter: ProductFilterInput,
                   $sortBy: ProductOrder) {
  products(first: $first, after: $after, last: $last, before: $before, channel: "default-channel",
           filter: $filter, sortBy: $sortBy) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { __typename id name slug
      pricing { priceRange { start { gross { amount currency } } stop { gross { amount } } } }
      thumbnail { url alt } koperasi { name } } } } }"""


@pytest.fixture
def catalogue(db, make_stocked_product, make_koperasi):
    koperasi = make_koperasi(name="Koppontren Nurul Islam")
    products = [make_stocked_product(stock=(n + 1,), prices=(10000 * (n + 1),), koperasi=koperasi,
                                     name=f"Kopi Robusta {n:02d}") for n in range(5)]
    make_stocked_product(name="Kopi Draft", status=ProductStatus.DRAFT)
    return products


def test_products_page_forward_and_back(gql, catalogue):
    sort = {"field": "PRICE", "direction": "ASC"}
    first = gql(PRODUCTS, {"first": 2, "sortBy": sort})["data"]["products"]
    assert first["totalCount"] == 5 and [e["node"]["name"] for e in first["edges"]] == ["Kopi Robusta 00",
                                                                                        "Kopi Robusta 01"]
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    node = first["edges"][0]["node"]
    assert node["__typename"] == "Product" and node["id"] == to_global_id("Product", catalogue[0].id)
    assert node["pricing"]["priceRange"]["start"]["gross"] == {"amount": 10000.0, "currency": "IDR"}
    second = gql(PRODUCTS, {"first": 2, "after": first["pageInfo"]["endCursor"], "sortBy": sort})["data"]["products"]
    assert [e["node"]["name"] for e in second["edges"]] == ["Kopi Robusta 02", "Kopi Robusta 03"]
    back = gql(PRODUCTS, {"last": 2, "before": second["pageInfo"]["startCursor"], "sortBy": sort})["data"]["products"]
    assert [e["node"]["name"] for e in back["edges"]] == ["Kopi Robusta 00", "Kopi Robusta 01"]
    odd = gql(PRODUCTS, {"first": 3, "after": first["edges"][0]["cursor"], "sortBy": sort})["data"]["products"]
    assert [e["node"]["name"][-2:] for e in odd["edges"]] == ["01", "02", "03"]


def test_product_by_slug_with_variants_and_stock(gql, catalogue):
    query = """query($slug: String!) { product(slug: $slug, channel: "default-channel") { id name
      category { name } media { url } isAvailable
      variants { id name sku quantityAvailable pricing { price { gross { amount currency } } } } } }"""
    product = gql(query, {"slug": catalogue[2].slug})["data"]["product"]
    assert product["variants"][0]["quantityAvailable"] == 3
    assert product["variants"][0]["pricing"]["price"]["gross"]["amount"] == 30000
    assert gql(query, {"slug": "kopi-draft"})["data"]["product"] is None


def test_search_goes_through_the_search_index(gql, db, search_dir, make_product):
    make_product(name="Madu Hutan Bondowoso")
    make_product(name="Keripik Tempe Malang")
    db.session.commit()
    dispatch_pending()
    found = gql(PRODUCTS, {"first": 10, "filter": {"search": "madu"}})["data"]["products"]
    assert [e["node"]["name"] for e in found["edges"]] == ["Madu Hutan Bondowoso"]


def test_categories_and_channel(gql, db, make_category, make_product):
    drinks = make_category("Minuman")
    coffee = make_category("Kopi", parent=drinks)
    make_product(name="Kopi Jember", category=coffee)
    make_product(name="Batik Tulis")
    tree = gql("{ categories(first: 10, level: 0) { edges { node { name children { name } } } } }")
    assert tree["data"]["categories"]["edges"][0]["node"]["children"] == [{"name": "Kopi"}]
    by_category = gql(PRODUCTS, {"first": 10, "filter": {"categories": [to_global_id("Category", drinks.id)]}})
    assert [e["node"]["name"] for e in by_category["data"]["products"]["edges"]] == ["Kopi Jember"]
    channel = gql('{ channel(slug: "default-channel") { id slug currencyCode } }')["data"]["channel"]
    assert channel["slug"] == "default-channel" and channel["currencyCode"] == "IDR"


@pytest.mark.parametrize(("query", "message"), [
    ("{ products(first: 500) { totalCount } }", "exceeds the `first` limit of 100"),
    ("{ products { totalCount } }", "You must provide a `first` or `last`"),
    ('{ products(first: 5, after: "bm9wZQ==") { totalCount } }', "Invalid cursor"),
    ('{ product(id: "Q2F0ZWdvcnk6MQ==") { id } }', "Must receive a Product id"),
    ('{ product(id: "%%%") { id } }', "Couldn't resolve id"),
    ("{ product(id: 12) { id } }", None),
    ("{ products(first: 5) { edges { node { secret } } } }", "Cannot query field 'secret'"),
    ("{ products(first: 5 { id }", "Syntax Error"),
    ('{ products(first: 5, channel: "lain") { totalCount } }', "Channel with 'lain' slug does not exist"),
    ('{ products(first: 5, sortBy: {field: NAME, direction: DESC}) { totalCount } }', "not supported"),
])
def test_bad_requests_get_clear_errors(gql, catalogue, query, message):
    body = gql(query, expect_errors=True)
    assert body["errors"] and body.get("data") in (None, {}) or body["data"].get("product") is None
    if message:
        assert message in body["errors"][0]["message"]
    assert "Traceback" not in str(body) and "sqlalchemy" not in str(body).lower()


def test_over_deep_and_over_costly_queries_are_refused(gql, catalogue):
    deep = "{ products(first: 1) { edges { node { category { parent { parent { parent { parent { parent { " \
           "parent { parent { parent { parent { name } } } } } } } } } } } } } }"
    assert "exceeds maximum operation depth" in gql(deep, expect_errors=True)["errors"][0]["message"]
    costly = "{ " + " ".join(f"p{n}: products(first: 100) {{ edges {{ node {{ variants {{ id sku name }} }} }} }}"
                             for n in range(40)) + " }"
    error = gql(costly, expect_errors=True)["errors"][0]
    assert "query cost" in error["message"] and error["extensions"]["exception"]["code"] == "QueryCostError"


def test_malformed_http_requests_get_json_errors(client, db):
    response = client.post("/graphql/", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["errors"][0]["message"]
    assert client.post("/graphql/", json={"query": "mutation { tokenCreate(email: 1) { token } }"}).get_json()[
        "errors"]
