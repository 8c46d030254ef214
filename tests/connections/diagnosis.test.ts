/** Test connection: the diagnosis for each way a connection fails, against a fake upstream on loopback. */
import type { TokenCredential } from "@azure/identity";
import type http from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Diagnosis } from "@/lib/server/connection-test";
import { loadRoute } from "../proxy/harness";
import { closedPort, startFakeUpstream, type FakeUpstream } from "../proxy/fake-upstream";

const KEY = "e2e-azure-key-DO-NOT-LEAK-7f3a";
let upstream: FakeUpstream;
let testRoute: typeof import("@/app/api/playground/connections/test/route");

const fakeCredential: TokenCredential = {
  getToken: (scope) =>
    Promise.resolve({ token: `tok ${String(scope)}`, expiresOnTimestamp: Date.now() + 3600_000 }),
};

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());
beforeEach(async () => {
  const dead = await closedPort();
  const connections = [
    { name: "aoai", kind: "azure-openai", endpoint: upstream.url, apiKey: KEY },
    { name: "aoai-entra", kind: "azure-openai", endpoint: upstream.url, auth: "entra" },
    { name: "foundry", kind: "foundry-agents", endpoint: `${upstream.url}/api/projects/p` },
    { name: "compat", kind: "openai-compatible", baseURL: `${upstream.url}/v1`, apiKey: KEY },
    { name: "dead", kind: "azure-openai", endpoint: `http://127.0.0.1:${dead}`, apiKey: KEY },
  ];
  await loadRoute({ PLAYGROUND_CONNECTIONS: JSON.stringify(connections) });
  testRoute = await import("@/app/api/playground/connections/test/route");
  (await import("@/lib/server/entra")).setEntraCredentialForTests(fakeCredential);
  upstream.requests.length = 0;
});
afterEach(async () => {
  (await import("@/lib/server/entra")).setEntraCredentialForTests(undefined);
});

function answer(status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
  upstream.respond((_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  });
}

async function diagnose(
  connection: string,
  apiVersion?: string,
): Promise<{ diagnosis: Diagnosis; text: string }> {
  const res = await testRoute.POST(
    new Request("http://app.test/api/playground/connections/test", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://app.test" },
      body: JSON.stringify({ connection, apiVersion }),
    }),
  );
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(text).not.toContain(KEY);
  return { diagnosis: (JSON.parse(text) as { diagnosis: Diagnosis }).diagnosis, text };
}

describe("Test connection", () => {
  it("ok: lists assistants with one cheap call on the chosen api-version", async () => {
    answer(200, { object: "list", data: [], first_id: "", last_id: "", has_more: false });
    const { diagnosis } = await diagnose("aoai", "2024-10-01-preview");
    expect(diagnosis).toMatchObject({
      ok: true,
      outcome: "ok",
      title: "Connected",
      status: 200,
      apiVersion: "2024-10-01-preview",
    });
    expect(upstream.requests.map((r) => [r.method, r.url])).toEqual([
      ["GET", "/openai/assistants?limit=1&api-version=2024-10-01-preview"],
    ]);
  });

  it("ok: says how many assistants it can tell, never 'one' when the list has more", async () => {
    const asst = { id: "asst_1", object: "assistant", created_at: 1, name: "A", model: "gpt-4o", tools: [] };
    answer(200, { object: "list", data: [asst], first_id: "asst_1", last_id: "asst_1", has_more: true });
    const many = (await diagnose("aoai", "2024-10-01-preview")).diagnosis.detail;
    expect(many).toContain(
      "listing assistants works (more than one assistant; the test reads only the first)",
    );
    expect(many).not.toMatch(/returned one|1 assistant\b/);
    answer(200, { object: "list", data: [asst], first_id: "asst_1", last_id: "asst_1", has_more: false });
    expect((await diagnose("aoai", "2024-10-01-preview")).diagnosis.detail).toContain(
      "listing assistants works (1 assistant).",
    );
    answer(200, { object: "list", data: [], first_id: "", last_id: "", has_more: false });
    expect((await diagnose("aoai", "2024-10-01-preview")).diagnosis.detail).toContain(
      "listing assistants works (none yet).",
    );
  });

  it("ok on the local engine", async () => {
    const { diagnosis } = await diagnose("local");
    expect(diagnosis).toMatchObject({ ok: true, outcome: "ok", kind: "local", host: null });
  });

  it("401 → bad key, with Azure's message", async () => {
    answer(401, {
      error: { code: "401", message: "Access denied due to invalid subscription key or wrong API endpoint." },
    });
    const { diagnosis } = await diagnose("aoai");
    expect(diagnosis).toMatchObject({ ok: false, outcome: "bad_key", status: 401, code: "401" });
    expect(diagnosis.title).toContain("Bad key");
    expect(diagnosis.detail).toContain("Keys and Endpoint");
    expect(diagnosis.detail).toContain("invalid subscription key");
  });

  it("403 with Entra on Azure OpenAI → names the Cognitive Services OpenAI User role", async () => {
    answer(403, {
      error: { code: "PermissionDenied", message: "The principal lacks the required data action." },
    });
    const { diagnosis } = await diagnose("aoai-entra");
    expect(diagnosis).toMatchObject({ outcome: "missing_role", status: 403 });
    expect(diagnosis.detail).toContain('"Cognitive Services OpenAI User"');
  });

  it("403 on Foundry → names the Azure AI User role", async () => {
    answer(403, { error: { code: "PermissionDenied", message: "denied" } });
    const { diagnosis } = await diagnose("foundry");
    expect(diagnosis.outcome).toBe("missing_role");
    expect(diagnosis.detail).toContain('"Azure AI User"');
  });

  it("404 on Azure OpenAI → wrong resource or the retired API, with the retirement date", async () => {
    answer(404, { error: { code: "404", message: "Resource not found" } });
    const { diagnosis } = await diagnose("aoai");
    expect(diagnosis).toMatchObject({ outcome: "not_found", status: 404, message: "Resource not found" });
    expect(diagnosis.title).toContain("wrong resource or retired API");
    expect(diagnosis.detail).toContain("retired its hosted Assistants API on 2026-08-26");
    expect(diagnosis.detail).toContain("2027-03-31");
  });

  it("404 on Foundry → the project endpoint, and classic agents retiring 2027-03-31", async () => {
    answer(404, { error: { code: "NotFound", message: "Not found" } });
    const { diagnosis } = await diagnose("foundry");
    expect(diagnosis.detail).toContain("/api/projects/<project>");
    expect(diagnosis.detail).toContain("retire on 2027-03-31");
  });

  it("404 on an OpenAI-compatible server → check the base URL; OpenAI's retirement", async () => {
    answer(404, { error: { message: "Not found", type: "invalid_request_error", code: null } });
    const { diagnosis } = await diagnose("compat");
    expect(diagnosis.detail).toContain("/v1");
    expect(upstream.requests[0]!.url).toBe("/v1/assistants?limit=1");
  });

  it("400 about the api-version → unsupported api-version, quoting Azure", async () => {
    answer(400, { error: { code: "BadRequest", message: "API version not supported" } });
    const { diagnosis } = await diagnose("aoai", "2024-02-15-preview");
    expect(diagnosis).toMatchObject({
      outcome: "unsupported_api_version",
      status: 400,
      message: "API version not supported",
    });
    expect(diagnosis.title).toBe("Unsupported api-version 2024-02-15-preview");
    expect(diagnosis.detail).toContain('"API version not supported"');
  });

  it("429 → reachable but rate-limited", async () => {
    answer(429, { error: { code: "429", message: "Rate limit reached" } }, { "retry-after": "3" });
    const { diagnosis } = await diagnose("aoai");
    expect(diagnosis.outcome).toBe("rate_limited");
  });

  it("200 that is not a list → not an Assistants endpoint", async () => {
    upstream.respond((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>Welcome</html>");
    });
    const { diagnosis } = await diagnose("aoai");
    expect(diagnosis.outcome).toBe("not_assistants");
  });

  it("nothing listening → unreachable, connection refused", async () => {
    const { diagnosis } = await diagnose("dead");
    expect(diagnosis).toMatchObject({
      ok: false,
      outcome: "unreachable",
      title: "Connection refused",
      code: "ECONNREFUSED",
    });
  });

  it("a redirect → diagnosed, not followed", async () => {
    answer(302, {}, { location: "https://login.example.com/" });
    const { diagnosis } = await diagnose("aoai");
    expect(diagnosis.outcome).toBe("redirect");
    expect(diagnosis.detail).toContain("login.example.com");
    expect(upstream.requests).toHaveLength(1);
  });

  it("no Entra token → says so, and how to grant one", async () => {
    (await import("@/lib/server/entra")).setEntraCredentialForTests({
      getToken: () => Promise.reject(new Error("AzureCliCredential: Please run 'az login'")),
    });
    const { diagnosis } = await diagnose("foundry");
    expect(diagnosis.outcome).toBe("no_token");
    expect(diagnosis.detail).toContain("az login");
    expect(upstream.requests).toEqual([]);
  });

  it("a key the upstream echoes is scrubbed from the diagnosis", async () => {
    answer(401, { error: { code: "401", message: `Key ${KEY} is invalid` } });
    const { diagnosis, text } = await diagnose("aoai");
    expect(diagnosis.message).toBe("Key [redacted] is invalid");
    expect(text).not.toContain(KEY);
  });

  it("an unknown connection is a 400 naming the known ones", async () => {
    const res = await testRoute.POST(
      new Request("http://app.test/api/playground/connections/test", {
        method: "POST",
        body: JSON.stringify({ connection: "nope" }),
      }),
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("aoai, aoai-entra, foundry, compat, dead, local");
  });
});
