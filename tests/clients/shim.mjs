// What a browser gives @saleor/sdk and Node does not: localStorage (kept in memory). And a recording proxy in
// front of the API, so tests can see which operations a client sent (e.g. when the SDK refreshed its token).
import http from "node:http";

const store = new Map();
globalThis.localStorage = {
  getItem: (key) => (store.has(key) ? store.get(key) : null),
  setItem: (key, value) => store.set(key, String(value)),
  removeItem: (key) => store.delete(key),
  clear: () => store.clear(),
};

export const env = {
  apiUrl: process.env.OPOP_API_URL,
  email: process.env.OPOP_BUYER_EMAIL,
  password: process.env.OPOP_BUYER_PASSWORD,
  tokenSeconds: Number(process.env.OPOP_ACCESS_TOKEN_SECONDS || "4"),
};

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function recordingProxy(target) {
  const sent = [];
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    try {
      sent.push(JSON.parse(body.toString()).operationName ?? null);
    } catch {
      sent.push(null);
    }
    const headers = { ...req.headers };
    delete headers.host;
    delete headers["content-length"];
    const answer = await fetch(target, { method: req.method, headers, body: req.method === "POST" ? body : undefined });
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") || "application/json" });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/graphql/`, sent, close: () => server.close() };
}
