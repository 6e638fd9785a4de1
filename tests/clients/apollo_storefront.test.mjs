// Apollo Client (Saleor storefront's transport, with @saleor/sdk's token-refreshing fetch) running catalogue and
// checkout operations in the shapes Saleor's storefront sends: fragments, __typename added to every selection.
import { env } from "./shim.mjs";
import assert from "node:assert/strict";
import { test } from "node:test";
import sdk from "@saleor/sdk";
import apollo from "@apollo/client";

const { createSaleorClient, createFetch } = sdk;
const { ApolloClient, HttpLink, InMemoryCache, gql } = apollo;

const PRICE = gql`
  fragment PriceFragment on Money {
    currency
    amount
  }
`;

const PRODUCT_CARD = gql`
  ${PRICE}
  fragment ProductCardFragment on Product {
    id
    slug
    name
    thumbnail(size: 256, format: WEBP) {
      url
      alt
    }
    category {
      id
      name
    }
    pricing {
      onSale
      priceRange {
        start {
          gross {
            ...PriceFragment
          }
        }
        stop {
          gross {
            ...PriceFragment
          }
        }
      }
    }
  }
`;

const PRODUCT_LIST = gql`
  ${PRODUCT_CARD}
  query ProductList($first: Int!, $after: String, $channel: String!) {
    products(first: $first, after: $after, channel: $channel) {
      totalCount
      edges {
        cursor
        node {
          ...ProductCardFragment
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const PRODUCT_DETAILS = gql`
  ${PRODUCT_CARD}
  query ProductDetails($slug: String!, $channel: String!) {
    product(slug: $slug, channel: $channel) {
      ...ProductCardFragment
      description
      media {
        id
        url
        alt
        type
      }
      variants {
        id
        name
        sku
        quantityAvailable
        pricing {
          price {
            gross {
              ...PriceFragment
            }
          }
        }
      }
      koperasi {
        name
        region
      }
    }
  }
`;

const CHECKOUT = gql`
  ${PRICE}
  fragment CheckoutDetailsFragment on Checkout {
    id
    token
    email
    lines {
      id
      quantity
      totalPrice {
        gross {
          ...PriceFragment
        }
      }
      variant {
        id
        name
        product {
          name
          thumbnail {
            url
          }
        }
      }
    }
    shippingAddress {
      id
      city
      postalCode
    }
    shipments {
      koperasi {
        name
      }
      shippingMethods {
        id
        name
        price {
          ...PriceFragment
        }
      }
      shippingMethod {
        id
      }
    }
    deliveryMethod {
      ... on ShippingMethod {
        id
        name
      }
    }
    availablePaymentGateways {
      id
      name
      config {
        field
        value
      }
    }
    subtotalPrice {
      gross {
        ...PriceFragment
      }
    }
    totalPrice {
      gross {
        ...PriceFragment
      }
    }
  }
`;

const ERRORS = `errors { field message code }`;
const mutation = (body) => gql`
  ${CHECKOUT}
  ${body}
`;

const CREATE = mutation(`mutation CheckoutCreate($email: String, $lines: [CheckoutLineInput!]!, $channel: String!) {
  checkoutCreate(input: { channel: $channel, email: $email, lines: $lines }) {
    checkout { ...CheckoutDetailsFragment } ${ERRORS} } }`);
const ADD = mutation(`mutation CheckoutLinesAdd($id: ID!, $lines: [CheckoutLineInput!]!) {
  checkoutLinesAdd(id: $id, lines: $lines) { checkout { ...CheckoutDetailsFragment } ${ERRORS} } }`);
const EMAIL = mutation(`mutation CheckoutEmailUpdate($id: ID!, $email: String!) {
  checkoutEmailUpdate(id: $id, email: $email) { checkout { ...CheckoutDetailsFragment } ${ERRORS} } }`);
const SHIPPING = mutation(`mutation CheckoutShippingAddressUpdate($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    checkout { ...CheckoutDetailsFragment } ${ERRORS} } }`);
const BILLING = mutation(`mutation CheckoutBillingAddressUpdate($id: ID!, $address: AddressInput!) {
  checkoutBillingAddressUpdate(id: $id, billingAddress: $address) {
    checkout { ...CheckoutDetailsFragment } ${ERRORS} } }`);
const DELIVERY = mutation(`mutation CheckoutDeliveryMethodUpdate($id: ID!, $deliveryMethodId: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $deliveryMethodId) {
    checkout { ...CheckoutDetailsFragment } ${ERRORS} } }`);
const PAYMENT = gql`
  mutation CheckoutPaymentCreate($id: ID!, $input: PaymentInput!) {
    checkoutPaymentCreate(id: $id, input: $input) {
      payment { id gateway total { amount currency } }
      ${ERRORS}
    }
  }
`;
const COMPLETE = gql`
  mutation CheckoutComplete($id: ID!) {
    checkoutComplete(id: $id) {
      order { id number status isPaid paymentStatus total { gross { amount currency } } }
      confirmationNeeded
      ${ERRORS}
    }
  }
`;
const MY_ORDERS = gql`
  query MyOrders {
    me {
      email
      orders(first: 5) {
        totalCount
        edges { node { id number isPaid opopStatus total { gross { amount } } lines { productName quantity } } }
      }
    }
  }
`;

const ADDRESS = {
  firstName: "Siti",
  lastName: "Aminah",
  phone: "081234567890",
  country: "ID",
  countryArea: "Jawa Timur",
  city: "Kota Surabaya",
  cityArea: "Wonokromo",
  streetAddress1: "Jl. Jagir Wonokromo No. 5",
  streetAddress2: "Jagir",
  postalCode: "60244",
};

async function storefront() {
  const saleor = createSaleorClient({ apiUrl: env.apiUrl, channel: "default-channel" });
  const login = await saleor.auth.login({ email: env.email, password: env.password });
  assert.deepEqual(login.data.tokenCreate.errors, []);
  return new ApolloClient({ link: new HttpLink({ uri: env.apiUrl, fetch: createFetch() }), cache: new InMemoryCache() });
}

const ok = (payload) => {
  assert.deepEqual(payload.errors, [], JSON.stringify(payload.errors));
  return payload;
};

test("browse, open a product, check out across two koperasi, pay on localstripe, see the order", async () => {
  const client = await storefront();
  const page1 = (await client.query({ query: PRODUCT_LIST, variables: { first: 2, channel: "default-channel" } }))
    .data.products;
  assert.ok(page1.totalCount >= 3);
  assert.equal(page1.edges[0].node.__typename, "Product");
  assert.equal(page1.edges[0].node.pricing.priceRange.start.gross.currency, "IDR");
  assert.ok(page1.edges[0].node.thumbnail.url.startsWith("http"));
  const page2 = (await client.query({
    query: PRODUCT_LIST,
    variables: { first: 2, after: page1.pageInfo.endCursor, channel: "default-channel" },
  })).data.products;
  const seen = new Set(page1.edges.map((e) => e.node.id));
  assert.ok(page2.edges.every((e) => !seen.has(e.node.id)), "pages do not overlap");

  const slugs = process.env.OPOP_PRODUCT_SLUGS.split(",");
  const products = [];
  for (const slug of slugs) {
    const product = (await client.query({ query: PRODUCT_DETAILS, variables: { slug, channel: "default-channel" } }))
      .data.product;
    assert.ok(product.variants[0].quantityAvailable > 0);
    products.push(product);
  }

  let checkout = ok((await client.mutate({
    mutation: CREATE,
    variables: { channel: "default-channel", lines: [{ variantId: products[0].variants[0].id, quantity: 1 }] },
  })).data.checkoutCreate).checkout;
  checkout = ok((await client.mutate({
    mutation: ADD, variables: { id: checkout.id, lines: [{ variantId: products[1].variants[0].id, quantity: 2 }] },
  })).data.checkoutLinesAdd).checkout;
  assert.equal(checkout.lines.length, 2);
  checkout = ok((await client.mutate({ mutation: EMAIL, variables: { id: checkout.id, email: env.email } }))
    .data.checkoutEmailUpdate).checkout;
  checkout = ok((await client.mutate({ mutation: SHIPPING, variables: { id: checkout.id, address: ADDRESS } }))
    .data.checkoutShippingAddressUpdate).checkout;
  assert.equal(checkout.shippingAddress.postalCode, "60244");
  checkout = ok((await client.mutate({ mutation: BILLING, variables: { id: checkout.id, address: ADDRESS } }))
    .data.checkoutBillingAddressUpdate).checkout;
  assert.equal(checkout.shipments.length, 2, "one shipment per koperasi");
  for (const shipment of checkout.shipments) {
    checkout = ok((await client.mutate({
      mutation: DELIVERY, variables: { id: checkout.id, deliveryMethodId: shipment.shippingMethods[0].id },
    })).data.checkoutDeliveryMethodUpdate).checkout;
  }
  assert.ok(checkout.shipments.every((s) => s.shippingMethod));
  const gateway = checkout.availablePaymentGateways[0];
  const total = checkout.totalPrice.gross.amount;
  assert.ok(total > checkout.subtotalPrice.gross.amount, "shipping is added");

  ok((await client.mutate({
    mutation: PAYMENT,
    variables: { id: checkout.id, input: { gateway: gateway.id, token: "pm_card_visa", amount: total } },
  })).data.checkoutPaymentCreate);
  const done = ok((await client.mutate({ mutation: COMPLETE, variables: { id: checkout.id } })).data.checkoutComplete);
  assert.equal(done.order.isPaid, true);
  assert.equal(done.order.paymentStatus, "FULLY_CHARGED");

  const mine = (await client.query({ query: MY_ORDERS, fetchPolicy: "network-only" })).data.me.orders;
  const numbers = mine.edges.map((e) => e.node.number);
  assert.ok(numbers.includes(done.order.number));
  assert.ok(mine.edges.filter((e) => e.node.isPaid).length >= 2, "one paid order per koperasi");
});
