/**
 * What each kind of connection sends upstream: URL shape, api-version and auth — against a
 * recording fake upstream on loopback, with a fake Entra credential.
 */
import type { TokenCredential } from "@azure/identity";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { specCheckedClient } from "@/tests/helpers/sdk";
import { call, json, loadRoute, ORIGIN, routeFetch, type RouteModule } from "../proxy/harness";
import { startFakeUpstream, type FakeUpstream } from "../proxy/fake-upstream";

const KEY = "e2e-azure-key-DO-NOT-LEAK-7f3a";
const COMPAT_KEY = "compat-key-DO-NOT-LEAK-91b2";

let upstream: FakeUpstream;
let route: RouteModule;
let connectionsRoute: Awaited<ReturnType<typeof loadRoute>>["connectionsRoute"];
const scopes: string[] = [];

/** A TokenCredential that hands out a token naming its scope, and counts. */
const fakeCredential: TokenCredential = {
  getToken: (scope) => {
    const s = Array.isArray(scope) ? scope.join(" ") : scope;
    scopes.push(s);
    return Promise.resolve({ token: `entra-token-for ${s}`, expiresOnTimestamp: Date.now() + 3600_000 });
  },
};

const assistant = (id: string) => ({
  id,
  object: "assistant",
  created_at: 1700000000,
  name: id,
  description: null,
  model: "gpt-4o",
  instructions: null,
  tools: [],
  tool_resources: {},
  metadata: {},
  temperature: 1,
  top_p: 1,
  response_format: "auto",
});

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());
beforeEach(async () => {
  const connections = [
    {
      name: "aoai-key",
      kind: "azure-openai",
      endpoint: `${upstream.url}/`,
      apiKey: KEY,
      apiVersion: "2024-10-01-preview",
    },
    { name: "aoai-entra", kind: "azure-openai", endpoint: `${upstream.url}/openai`, auth: "entra" },
    {
      name: "foundry",
      kind: "foundry-agents",
      endpoint: `${upstream.url}/api/projects/proj1`,
      apiVersion: "2025-05-01",
    },
    { name: "compat", kind: "openai-compatible", baseURL: `${upstream.url}/v1`, apiKey: COMPAT_KEY },
    { name: "compat-nokey", kind: "openai-compatible", baseURL: `${upstream.url}/v1` },
  ];
  ({ route, connectionsRoute } = await loadRoute({ PLAYGROUND_CONNECTIONS: JSON.stringify(connections) }));
  const { setEntraCredentialForTests } = await import("@/lib/server/entra");
  setEntraCredentialForTests(fakeCredential);
  scopes.length = 0;
  upstream.requests.length = 0;
  upstream.respond((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ object: "list", data: [], first_id: "", last_id: "", has_more: false, url: req.url }),
    );
  });
});
afterEach(async () => {
  (await import("@/lib/server/entra")).setEntraCredentialForTests(undefined);
});

const get = (connection: string, query = "api-version=2024-05-01-preview") =>
  call(route, "GET", `assistants?limit=5&${query}`, { headers: { "x-playground-connection": connection } });

describe("each kind's URL, api-version and auth", () => {
  it("azure-openai with a key: {endpoint}/openai/<path>?api-version, api-key header, no bearer", async () => {
    const res = await get("aoai-key");
    expect(res.status).toBe(200);
    const seen = upstream.requests[0]!;
    expect(seen.url).toBe("/openai/assistants?limit=5&api-version=2024-05-01-preview");
    expect(seen.headers["api-key"]).toBe(KEY);
    expect(seen.headers).not.toHaveProperty("authorization");
    expect(res.headers.get("x-playground-connection")).toBe("aoai-key");
    expect(await res.text()).not.toContain(KEY);
  });

  it("azure-openai without a request api-version uses the connection's own", async () => {
    await get("aoai-key", "");
    expect(upstream.requests[0]!.url).toBe("/openai/assistants?limit=5&api-version=2024-10-01-preview");
  });

  it("azure-openai with Entra ID: a bearer token for the Cognitive Services scope, no api-key", async () => {
    const res = await get("aoai-entra");
    expect(res.status).toBe(200);
    const seen = upstream.requests[0]!;
    // The endpoint was given with a trailing /openai: it is not doubled.
    expect(seen.url).toBe("/openai/assistants?limit=5&api-version=2024-05-01-preview");
    expect(seen.headers.authorization).toBe(
      "Bearer entra-token-for https://cognitiveservices.azure.com/.default",
    );
    expect(seen.headers).not.toHaveProperty("api-key");
  });

  it("Entra tokens are reused until they near expiry", async () => {
    await get("aoai-entra");
    await get("aoai-entra");
    await get("foundry");
    expect(scopes).toEqual(["https://cognitiveservices.azure.com/.default", "https://ai.azure.com/.default"]);
  });

  it("foundry-agents: {project}/<path> (no /openai), its own api-version, a bearer for ai.azure.com", async () => {
    const res = await get("foundry");
    expect(res.status).toBe(200);
    const seen = upstream.requests[0]!;
    // A dated Azure api-version from the browser is not Foundry's: the connection's version applies.
    expect(seen.url).toBe("/api/projects/proj1/assistants?limit=5&api-version=2025-05-01");
    expect(seen.headers.authorization).toBe("Bearer entra-token-for https://ai.azure.com/.default");
    expect(seen.headers).not.toHaveProperty("api-key");
    expect(res.headers.get("x-playground-api-version")).toBe("2025-05-01");
  });

  it("foundry-agents takes v1 when the request asks for it; GET /threads exists there", async () => {
    const res = await call(route, "GET", "threads?api-version=v1", {
      headers: { "x-playground-connection": "foundry" },
    });
    expect(res.status).toBe(200);
    expect(upstream.requests[0]!.url).toBe("/api/projects/proj1/threads?api-version=v1");
  });

  it("GET /threads is refused for Azure OpenAI (it has no such endpoint)", async () => {
    const res = await call(route, "GET", "threads?api-version=2024-05-01-preview", {
      headers: { "x-playground-connection": "aoai-key" },
    });
    expect(res.status).toBe(404);
    expect(upstream.requests).toEqual([]);
  });

  it("openai-compatible: {baseURL}/<path>, Bearer key, OpenAI-Beta: assistants=v2, no api-version", async () => {
    const res = await call(route, "POST", "assistants?api-version=v2", {
      headers: {
        "x-playground-connection": "compat",
        "content-type": "application/json",
        "api-key": "browser-placeholder",
        "openai-beta": "assistants=v1",
      },
      body: JSON.stringify({ model: "gpt-4o" }),
    });
    expect(res.status).toBe(200);
    const seen = upstream.requests[0]!;
    expect(seen.url).toBe("/v1/assistants");
    expect(seen.headers.authorization).toBe(`Bearer ${COMPAT_KEY}`);
    expect(seen.headers["openai-beta"]).toBe("assistants=v2");
    expect(seen.headers).not.toHaveProperty("api-key");
    expect(seen.body.toString()).toBe('{"model":"gpt-4o"}');
  });

  it("openai-compatible without a key sends no authorization; a dated api-version is dropped too", async () => {
    await get("compat-nokey");
    const seen = upstream.requests[0]!;
    expect(seen.url).toBe("/v1/assistants?limit=5");
    expect(seen.headers).not.toHaveProperty("authorization");
  });

  it("an upstream redirect is never followed: the proxy answers 502 and nothing else is requested", async () => {
    upstream.respond((_req, res) => {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" });
      res.end();
    });
    const res = await get("aoai-key");
    expect(res.status).toBe(502);
    const body = (await json(res)) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("upstream_redirect");
    expect(body.error.message).toContain("169.254.169.254");
    expect(body.error.message).toContain("never follows redirects");
    expect(upstream.requests).toHaveLength(1);
    expect(res.headers.get("location")).toBeNull();
  });

  it("an Entra credential that fails gives a 502 that says how to grant access", async () => {
    (await import("@/lib/server/entra")).setEntraCredentialForTests({
      getToken: () =>
        Promise.reject(new Error("ManagedIdentityCredential: no managed identity endpoint found")),
    });
    const res = await get("foundry");
    expect(res.status).toBe(502);
    const body = (await json(res)) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("entra_token_unavailable");
    expect(body.error.message).toContain("https://ai.azure.com/.default");
    expect(body.error.message).toContain("managed identity");
    expect(upstream.requests).toEqual([]);
  });
});

describe("GET /api/playground/connections with every kind", () => {
  it("lists each with kind, host, auth and api-versions — never a key or a URL", async () => {
    const res = connectionsRoute.GET();
    const text = await res.text();
    const body = JSON.parse(text) as { connections: Record<string, unknown>[]; userConnections: unknown };
    const host = new URL(upstream.url).host;
    expect(
      body.connections.map((c) => [c.name, c.kind, c.host, c.auth, c.apiVersion, c.listThreads]),
    ).toEqual([
      ["aoai-key", "azure-openai", host, "api-key", "2024-10-01-preview", false],
      ["aoai-entra", "azure-openai", host, "entra", "2024-05-01-preview", false],
      ["foundry", "foundry-agents", host, "entra", "2025-05-01", true],
      ["compat", "openai-compatible", host, "bearer", "v2", false],
      ["compat-nokey", "openai-compatible", host, "bearer", "v2", false],
      ["local", "local", null, "none", "2024-05-01-preview", true],
    ]);
    expect(body.connections.find((c) => c.name === "foundry")?.apiVersions).toEqual(["v1", "2025-05-01"]);
    expect(body.userConnections).toEqual({ enabled: false, hosts: [] });
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(COMPAT_KEY);
    expect(text).not.toContain("http://");
  });
});

describe("Foundry lists stay in the Azure surface the browser speaks", () => {
  it("object and first_id are filled in, and the SDK pages through them (responses spec-checked)", async () => {
    const all = ["asst_a", "asst_b", "asst_c"];
    upstream.respond((req, res) => {
      const url = new URL(req.url ?? "", "http://x");
      const after = url.searchParams.get("after");
      const start = after ? all.indexOf(after) + 1 : 0;
      const page = all.slice(start, start + 2);
      res.writeHead(200, { "content-type": "application/json" });
      // Foundry's list shape: no object, no first_id.
      res.end(
        JSON.stringify({ data: page.map(assistant), last_id: page.at(-1), has_more: start + 2 < all.length }),
      );
    });
    const proxied = routeFetch(route);
    const checked = specCheckedClient(
      (req) => {
        const url = new URL(req.url);
        const target = `${ORIGIN}/api/openai${url.pathname.replace(/^\/openai/, "")}${url.search}`;
        const headers = new Headers(req.headers);
        headers.set("x-playground-connection", "foundry");
        return proxied(target, { method: req.method, headers });
      },
      { apiVersion: "2024-05-01-preview", maxRetries: 0 },
    );
    const ids: string[] = [];
    for await (const a of checked.client.beta.assistants.list({ limit: 2 })) ids.push(a.id);
    expect(ids).toEqual(all);
    checked.assertClean();
    expect(upstream.requests.map((r) => r.url)).toEqual([
      "/api/projects/proj1/assistants?limit=2&api-version=2025-05-01",
      "/api/projects/proj1/assistants?limit=2&after=asst_b&api-version=2025-05-01",
    ]);
  });

  it("GET /files (no has_more, no cursor on Foundry) gets has_more: false", async () => {
    upstream.respond((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [] }));
    });
    const res = await call(route, "GET", "files?api-version=v1", {
      headers: { "x-playground-connection": "foundry" },
    });
    expect(await json(res)).toEqual({ object: "list", data: [], first_id: "", last_id: "", has_more: false });
  });

  it("Azure lists pass through byte for byte", async () => {
    const raw = '{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}';
    upstream.respond((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(raw);
    });
    const res = await get("aoai-key");
    expect(await res.text()).toBe(raw);
  });
});
