"""Checkout over GraphQL, through the same checkout, inventory and payments services as the web pages, paid on
localstripe: one order per koperasi, one payment, stock allocated; refusals change nothing."""

from sqlalchemy import func, select

from marketplace.api.ids import to_global_id
from marketplace.inventory.queries import available_by_variant
from marketplace.orders.models import Order, OrderStatus

ADDRESS = {"firstName": "Siti", "lastName": "Aminah", "phone": "081234567890", "country": "ID",
           "countryArea": "Jawa Timur", "city": "Kota Surabaya", "cityArea": "Wonokromo",
           "streetAddress1": "Jl. Jagir Wonokromo No. 5", "streetAddress2": "Jagir", "postalCode": "60244"}

CHECKOUT_FIELDS = """
  id token email
  lines { id quantity variant { id sku quantityAvailable } totalPrice { gross { amount currency } } }
  subtotalPrice { gross { amount } } shippingPrice { gross { amount } } totalPrice { gross { amount } }
  shipments { koperasi { name } shippingMethods { id name price { amount } } shippingMethod { id } }
  availablePaymentGateways { id name }
"""

CREATE = f"""mutation($input: CheckoutCreateInput!) {{ checkoutCreate(input: $input) {{
  checkout {{ {CHECKOUT_FIELDS} }} errors {{ field message code variants }} }} }}"""
ADDRESS_UPDATE = f"""mutation($id: ID!, $a: AddressInput!) {{
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $a) {{
  checkout {{ {CHECKOUT_FIELDS} }} errors {{ field message code }} }} }}"""
DELIVERY = f"""mutation($id: ID!, $m: ID!) {{ checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $m) {{
  checkout {{ {CHECKOUT_FIELDS} }} errors {{ field message code }} }} }}"""
PAYMENT = """mutation($id: ID!, $input: PaymentInput!) { checkoutPaymentCreate(id: $id, input: $input) {
  payment { id gateway total { amount } } errors { field message code } } }"""
COMPLETE = """mutation($id: ID!) { checkoutComplete(id: $id) {
  order { id number status opopStatus isPaid total { gross { amount } } }
  orders { id koperasiName } errors { field message code } } }"""


def _variant(product, n=0):
    return to_global_id("ProductVariant", product.variants[n].id)


def _ready_checkout(gql, token, products, quantity=2):
    lines = [{"variantId": _variant(p), "quantity": quantity} for p in products]
    created = gql(CREATE, {"input": {"lines": lines, "channel": "default-channel"}}, token)["data"]["checkoutCreate"]
    assert created["errors"] == []
    checkout_id = created["checkout"]["id"]
    shipped = gql(ADDRESS_UPDATE, {"id": checkout_id, "a": ADDRESS}, token)["data"]["checkoutShippingAddressUpdate"]
    assert shipped["errors"] == []
    checkout = shipped["checkout"]
    for shipment in checkout["shipments"]:
        chosen = gql(DELIVERY, {"id": checkout_id, "m": shipment["shippingMethods"][0]["id"]}, token)
        checkout = chosen["data"]["checkoutDeliveryMethodUpdate"]["checkout"]
    return checkout


def test_buyer_pays_two_koperasi_in_one_checkout(gql, make_user, token_for, make_stocked_product, stripe_app, db):
    first = make_stocked_product(stock=(5,), prices=(30000,))
    second = make_stocked_product(stock=(5,), prices=(45000,))
    buyer = make_user(name="Siti Aminah")
    token = token_for(buyer)

    checkout = _ready_checkout(gql, token, [first, second])
    assert checkout["subtotalPrice"]["gross"]["amount"] == 150000
    assert len(checkout["shipments"]) == 2 and all(s["shippingMethod"] for s in checkout["shipments"])
    total = checkout["totalPrice"]["gross"]["amount"]
    assert total == 150000 + checkout["shippingPrice"]["gross"]["amount"]

    paid = gql(PAYMENT, {"id": checkout["id"], "input": {"gateway": "opop.payments.stripe", "token": "pm_card_visa",
                                                         "amount": total}}, token)["data"]["checkoutPaymentCreate"]
    assert paid["errors"] == []
    done = gql(COMPLETE, {"id": checkout["id"]}, token)["data"]["checkoutComplete"]
    assert done["errors"] == []
    assert done["order"]["isPaid"] and done["order"]["opopStatus"] == "DIKEMAS"
    assert len(done["orders"]) == 2
    orders = db.session.scalars(select(Order).where(Order.user_id == buyer.id)).all()
    assert {o.status for o in orders} == {OrderStatus.PACKING}
    assert available_by_variant([first.variants[0].id])[first.variants[0].id] == 3

    again = gql(COMPLETE, {"id": checkout["id"]}, token)["data"]["checkoutComplete"]
    assert again["errors"] == [] and {o["id"] for o in again["orders"]} == {o["id"] for o in done["orders"]}

    mine = gql("{ me { orders(first: 10) { totalCount edges { node { number isPaid lines { productName } } } } } }",
               token=token)["data"]["me"]["orders"]
    assert mine["totalCount"] == 2 and all(edge["node"]["isPaid"] for edge in mine["edges"])


def test_declined_card_leaves_orders_unpaid_and_a_new_payment_completes(gql, make_user, token_for,
                                                                        make_stocked_product, stripe_app, db):
    product = make_stocked_product(stock=(5,))
    token = token_for(make_user())
    checkout = _ready_checkout(gql, token, [product], quantity=1)
    total = checkout["totalPrice"]["gross"]["amount"]
    payment = {"gateway": "opop.payments.stripe", "token": "pm_card_chargeCustomerFail", "amount": total}
    gql(PAYMENT, {"id": checkout["id"], "input": payment}, token)
    declined = gql(COMPLETE, {"id": checkout["id"]}, token)["data"]["checkoutComplete"]
    assert declined["order"] is None and declined["errors"][0]["code"] == "PAYMENT_ERROR"

    gql(PAYMENT, {"id": checkout["id"], "input": {**payment, "token": "pm_card_visa"}}, token)
    done = gql(COMPLETE, {"id": checkout["id"]}, token)["data"]["checkoutComplete"]
    assert done["errors"] == [] and done["order"]["isPaid"]


def test_refusals_change_nothing(gql, make_user, token_for, make_stocked_product, db):
    product = make_stocked_product(stock=(2,))
    token = token_for(make_user())
    lines = [{"variantId": _variant(product), "quantity": 3}]
    short = gql(CREATE, {"input": {"lines": lines}}, token)["data"]["checkoutCreate"]
    assert short["checkout"] is None and short["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    zero = gql(CREATE, {"input": {"lines": [{"variantId": _variant(product), "quantity": 0}]}}, token)
    assert zero["data"]["checkoutCreate"]["errors"][0]["code"] == "ZERO_QUANTITY"
    from marketplace.checkout.models import Cart

    assert db.session.scalar(select(func.count()).select_from(Cart)) == 0

    checkout = _ready_checkout(gql, token, [product], quantity=1)
    unpaid = gql(COMPLETE, {"id": checkout["id"]}, token)["data"]["checkoutComplete"]
    assert unpaid["errors"][0]["code"] == "CHECKOUT_NOT_FULLY_PAID"
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0


def test_another_buyers_checkout_is_not_found(gql, make_user, token_for, make_stocked_product, db):
    product = make_stocked_product(stock=(5,))
    owner, other = token_for(make_user()), token_for(make_user())
    checkout = _ready_checkout(gql, owner, [product], quantity=1)
    seen = gql("query($id: ID!) { checkout(id: $id) { id } }", {"id": checkout["id"]}, other)
    assert seen["data"]["checkout"] is None
    stolen = gql(DELIVERY, {"id": checkout["id"], "m": checkout["shipments"][0]["shippingMethods"][1]["id"]}, other)
    assert stolen["data"]["checkoutDeliveryMethodUpdate"]["errors"][0]["code"] == "NOT_FOUND"
    mine = gql("query($id: ID!) { checkout(id: $id) { shipments { shippingMethod { id } } } }",
               {"id": checkout["id"]}, owner)["data"]["checkout"]
    assert mine["shipments"][0]["shippingMethod"]["id"] == checkout["shipments"][0]["shippingMethods"][0]["id"]
    wrong_type = gql("query($id: ID!) { checkout(id: $id) { id } }", {"id": _variant(product)}, owner,
                     expect_errors=True)
    assert "Checkout" in wrong_type["errors"][0]["message"]


def test_another_koperasis_ids_are_refused(gql, make_user, token_for, make_stocked_product, make_koperasi, db):
    from marketplace.catalog.models import ProductStatus
    from marketplace.koperasi.models import VerificationStatus

    product = make_stocked_product(stock=(5,))
    elsewhere = make_stocked_product(stock=(5,))
    draft = make_stocked_product(stock=(5,), status=ProductStatus.DRAFT)
    unverified = make_stocked_product(stock=(5,), koperasi=make_koperasi(status=VerificationStatus.SUBMITTED))
    token = token_for(make_user())
    checkout = _ready_checkout(gql, token, [product], quantity=1)
    chosen = checkout["shipments"][0]["shippingMethod"]["id"]
    foreign = to_global_id("ShippingMethod", f"{elsewhere.koperasi_id}:jne")
    refused = gql(DELIVERY, {"id": checkout["id"], "m": foreign}, token)["data"]["checkoutDeliveryMethodUpdate"]
    assert refused["errors"][0]["code"] == "INVALID_SHIPPING_METHOD"
    add = """mutation($id: ID!, $l: [CheckoutLineInput!]!) { checkoutLinesAdd(id: $id, lines: $l) {
      checkout { lines { id } } errors { code variants } } }"""
    for hidden in (draft, unverified):
        result = gql(add, {"id": checkout["id"], "l": [{"variantId": _variant(hidden), "quantity": 1}]}, token)
        assert result["data"]["checkoutLinesAdd"]["errors"][0]["code"] == "PRODUCT_NOT_PUBLISHED"
    after = gql("query($id: ID!) { checkout(id: $id) { lines { id } shipments { shippingMethod { id } } } }",
                {"id": checkout["id"]}, token)["data"]["checkout"]
    assert len(after["lines"]) == 1 and after["shipments"][0]["shippingMethod"]["id"] == chosen
