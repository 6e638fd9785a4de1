// @saleor/sdk 0.7 unchanged against the live /graphql/: register, log in, read `me`, refresh the token both
// ways the SDK does it (before expiry, and after the server answers ExpiredSignatureError).
import { env, recordingProxy, sleep } from "./shim.mjs";
import assert from "node:assert/strict";
import { test } from "node:test";
import sdk from "@saleor/sdk";
import apollo from "@apollo/client";

const { createSaleorClient } = sdk;
const { gql } = apollo;

const ME = gql`
  query Me {
    me {
      id
      email
      firstName
    }
  }
`;

test("register, login, me, refresh after ExpiredSignatureError", async (t) => {
  const proxy = await recordingProxy(env.apiUrl);
  t.after(proxy.close);
  const sent = proxy.sent;
  const client = createSaleorClient({
    apiUrl: proxy.url,
    channel: "default-channel",
    // no refresh ahead of expiry: the server's ExpiredSignatureError must drive the refresh
    opts: { autologin: true, fetchOpts: { autoTokenRefresh: false } },
  });
  const email = `sdk-${Date.now()}@uji.opop.id`;
  const registered = await client.auth.register({
    email,
    password: "rahasia123",
    redirectUrl: "http://127.0.0.1/konfirmasi",
    channel: "default-channel",
  });
  assert.deepEqual(registered.data.accountRegister.errors, []);

  const login = await client.auth.login({ email, password: "rahasia123" });
  assert.deepEqual(login.data.tokenCreate.errors, []);
  assert.equal(login.data.tokenCreate.user.email, email);
  assert.ok(localStorage.getItem("saleor_auth_module_refresh_token") || login.data.tokenCreate.refreshToken);
  const state = client.getState();
  assert.equal(state.user.email, email);

  const me = await client._internal.apolloClient.query({ query: ME, fetchPolicy: "network-only" });
  assert.equal(me.data.me.email, email);

  await sleep((env.tokenSeconds + 1) * 1000); // the access token is now expired
  sent.length = 0;
  const again = await client._internal.apolloClient.query({ query: ME, fetchPolicy: "network-only" });
  assert.equal(again.data.me.email, email);
  assert.deepEqual(sent, ["Me", "refreshToken", "Me"], "the SDK refreshed after the server said the token expired");

  const wrong = await client.auth.login({ email, password: "salah-sekali" });
  assert.equal(wrong.data.tokenCreate.errors[0].code, "INVALID_CREDENTIALS");
});

test("refreshes ahead of expiry and logs in an existing buyer", async (t) => {
  const proxy = await recordingProxy(env.apiUrl);
  t.after(proxy.close);
  const sent = proxy.sent;
  const client = createSaleorClient({ apiUrl: proxy.url, channel: "default-channel" });
  const login = await client.auth.login({ email: env.email, password: env.password });
  assert.deepEqual(login.data.tokenCreate.errors, []);
  sent.length = 0;
  const me = await client._internal.apolloClient.query({ query: ME, fetchPolicy: "network-only" });
  assert.equal(me.data.me.email, env.email);
  // tokens here live a few seconds, inside the SDK's 120 s skew: it refreshes before sending
  assert.deepEqual(sent, ["refreshToken", "Me"]);
  const refreshed = await client.auth.refreshToken(true);
  assert.equal(refreshed.data.tokenRefresh.user.email, env.email);
  await client.auth.logout();
  assert.equal(client.getState().user, null);
});
