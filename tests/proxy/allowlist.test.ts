import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, json, loadRoute, SERVER_KEY, type Method, type RouteModule } from "./harness";
import { startFakeUpstream, type FakeUpstream } from "./fake-upstream";

let upstream: FakeUpstream;
let route: RouteModule;

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());
beforeEach(async () => {
  ({ route } = await loadRoute({ AZURE_OPENAI_ENDPOINT: upstream.url, AZURE_OPENAI_API_KEY: SERVER_KEY }));
  upstream.requests.length = 0;
});

const V = "api-version=2024-05-01-preview";
const JSON_BODY = { headers: { "content-type": "application/json" }, body: "{}" };

// What the official SDK (and the v1 API) send, each forwarded as is to {endpoint}/openai/<path>.
const accepted: [Method, string][] = [
  ["GET", "assistants"],
  ["POST", "assistants"],
  ["GET", "assistants/asst_abc123"],
  ["POST", "assistants/asst_abc123"],
  ["DELETE", "assistants/asst_abc123"],
  ["GET", "assistants/asst_abc123/files"],
  ["POST", "assistants/asst_abc123/files"],
  ["GET", "assistants/asst_abc123/files/assistant-XYZ"],
  ["DELETE", "assistants/asst_abc123/files/file-abc"],
  ["POST", "threads"],
  ["POST", "threads/runs"],
  ["GET", "threads/thread_1"],
  ["POST", "threads/thread_1"],
  ["DELETE", "threads/thread_1"],
  ["GET", "threads/thread_1/messages"],
  ["POST", "threads/thread_1/messages"],
  ["GET", "threads/thread_1/messages/msg_1"],
  ["POST", "threads/thread_1/messages/msg_1"],
  ["DELETE", "threads/thread_1/messages/msg_1"],
  ["GET", "threads/thread_1/messages/msg_1/files"],
  ["GET", "threads/thread_1/messages/msg_1/files/file-1"],
  ["GET", "threads/thread_1/runs"],
  ["POST", "threads/thread_1/runs"],
  ["GET", "threads/thread_1/runs/run_1"],
  ["POST", "threads/thread_1/runs/run_1"],
  ["POST", "threads/thread_1/runs/run_1/submit_tool_outputs"],
  ["POST", "threads/thread_1/runs/run_1/cancel"],
  ["GET", "threads/thread_1/runs/run_1/steps"],
  ["GET", "threads/thread_1/runs/run_1/steps/step_1"],
  ["GET", "files"],
  ["GET", "files/assistant-abc"],
  ["DELETE", "files/assistant-abc"],
  ["GET", "files/assistant-abc/content"],
  ["GET", "vector_stores"],
  ["POST", "vector_stores"],
  ["GET", "vector_stores/vs_1"],
  ["POST", "vector_stores/vs_1"],
  ["DELETE", "vector_stores/vs_1"],
  ["GET", "vector_stores/vs_1/files"],
  ["POST", "vector_stores/vs_1/files"],
  ["GET", "vector_stores/vs_1/files/file-1"],
  ["DELETE", "vector_stores/vs_1/files/file-1"],
  ["POST", "vector_stores/vs_1/file_batches"],
  ["GET", "vector_stores/vs_1/file_batches/vsfb_1"],
  ["POST", "vector_stores/vs_1/file_batches/vsfb_1/cancel"],
  ["GET", "vector_stores/vs_1/file_batches/vsfb_1/files"],
];

describe("allowlist: accepted", () => {
  it.each(accepted)("%s /%s reaches the upstream unchanged", async (method, path) => {
    const res = await call(route, method, `${path}?${V}`, method === "POST" ? JSON_BODY : {});
    expect(res.status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
    const seen = upstream.requests[0]!;
    expect(seen.method).toBe(method);
    expect(seen.url).toBe(`/openai/${path}?${V}`);
    if (method === "POST") expect(seen.body.toString()).toBe("{}");
  });

  it("forwards the list query parameters and drops unknown ones", async () => {
    const res = await call(
      route,
      "GET",
      `threads/thread_1/messages?limit=5&order=asc&after=msg_1&before=msg_9&run_id=run_1&evil=1&${V}`,
    );
    expect(res.status).toBe(200);
    const url = new URL(upstream.requests[0]!.url, "http://x");
    expect([...url.searchParams.keys()].sort()).toEqual([
      "after",
      "api-version",
      "before",
      "limit",
      "order",
      "run_id",
    ]);
    expect(url.searchParams.get("run_id")).toBe("run_1");
  });

  it("forwards a POST without a body (cancel, as the SDK sends it)", async () => {
    const res = await call(route, "POST", `threads/thread_1/runs/run_1/cancel?${V}`);
    expect(res.status).toBe(200);
    expect(upstream.requests[0]?.bytes).toBe(0);
    expect(upstream.requests[0]?.headers["content-length"]).toBe("0");
  });
});

interface Refusal {
  name: string;
  method: Method;
  path: string;
  init?: Parameters<typeof call>[3];
  status: number;
  code: string;
}

const refused: Refusal[] = [
  {
    name: "chat completions",
    method: "POST",
    path: "deployments/gpt-4o/chat/completions",
    init: JSON_BODY,
    status: 404,
    code: "endpoint_not_allowed",
  },
  { name: "deployments list", method: "GET", path: "deployments", status: 404, code: "endpoint_not_allowed" },
  { name: "models", method: "GET", path: "models", status: 404, code: "endpoint_not_allowed" },
  {
    name: "embeddings",
    method: "POST",
    path: "embeddings",
    init: JSON_BODY,
    status: 404,
    code: "endpoint_not_allowed",
  },
  {
    name: "responses API",
    method: "POST",
    path: "responses",
    init: JSON_BODY,
    status: 404,
    code: "endpoint_not_allowed",
  },
  { name: "fine-tuning", method: "GET", path: "fine_tuning/jobs", status: 404, code: "endpoint_not_allowed" },
  {
    name: "an extra segment",
    method: "GET",
    path: "assistants/asst_1/extra/more",
    status: 404,
    code: "endpoint_not_allowed",
  },
  { name: "no path", method: "GET", path: "", status: 404, code: "endpoint_not_allowed" },
  {
    name: "engine control (reset)",
    method: "POST",
    path: "_engine/reset",
    status: 404,
    code: "endpoint_not_allowed",
  },
  {
    name: "engine control (health)",
    method: "GET",
    path: "_engine/health",
    status: 404,
    code: "endpoint_not_allowed",
  },
  { name: "thread list on Azure", method: "GET", path: "threads", status: 404, code: "endpoint_not_allowed" },
  {
    name: "dot-dot segment",
    method: "GET",
    path: "deployments",
    init: { segments: ["threads", "..", "deployments"] },
    status: 400,
    code: "invalid_path",
  },
  {
    name: "dot segment",
    method: "GET",
    path: "assistants",
    init: { segments: [".", "assistants"] },
    status: 400,
    code: "invalid_path",
  },
  {
    name: "backslash traversal",
    method: "GET",
    path: "assistants",
    init: { segments: ["threads\\..\\assistants"] },
    status: 400,
    code: "invalid_path",
  },
  {
    name: "encoded slash",
    method: "GET",
    path: "threads%2Fthread_1/messages",
    status: 400,
    code: "invalid_path",
  },
  {
    name: "encoded lowercase slash",
    method: "GET",
    path: "threads/thread_1%2fmessages",
    status: 400,
    code: "invalid_path",
  },
  { name: "encoded dot", method: "GET", path: "files/%2Efile/content", status: 400, code: "invalid_path" },
  {
    name: "encoded dots inside an id",
    method: "GET",
    path: "threads/thread_1%2e%2e",
    status: 400,
    code: "invalid_path",
  },
  {
    name: "encoded backslash",
    method: "GET",
    path: "threads/a%5C..%5Cdeployments",
    status: 400,
    code: "invalid_path",
  },
  { name: "empty segment", method: "GET", path: "threads//messages", status: 400, code: "invalid_path" },
  { name: "trailing slash", method: "GET", path: "assistants/", status: 400, code: "invalid_path" },
  {
    name: "absolute URL",
    method: "GET",
    path: "https://evil.example/openai/assistants",
    status: 400,
    code: "invalid_path",
  },
  {
    name: "protocol-relative URL",
    method: "GET",
    path: "assistants",
    init: { segments: ["", "", "evil.example", "assistants"] },
    status: 400,
    code: "invalid_path",
  },
  { name: "id with a space", method: "GET", path: "threads/thread%201", status: 400, code: "invalid_path" },
  {
    name: "id with a semicolon",
    method: "GET",
    path: "threads/thread_1;x=1",
    status: 400,
    code: "invalid_path",
  },
  {
    name: "id with a dollar sign",
    method: "GET",
    path: "assistants/asst$1",
    status: 400,
    code: "invalid_path",
  },
  { name: "id with a NUL", method: "GET", path: "assistants/asst%00", status: 400, code: "invalid_path" },
  {
    name: "an overlong id",
    method: "GET",
    path: `assistants/asst_${"a".repeat(200)}`,
    status: 400,
    code: "invalid_path",
  },
  {
    name: "an id spelling an endpoint",
    method: "GET",
    path: "threads/runs",
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "PUT",
    method: "PUT",
    path: "assistants",
    init: JSON_BODY,
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "PATCH",
    method: "PATCH",
    path: "assistants/asst_1",
    init: JSON_BODY,
    status: 405,
    code: "method_not_allowed",
  },
  { name: "OPTIONS", method: "OPTIONS", path: "assistants", status: 405, code: "method_not_allowed" },
  {
    name: "DELETE on a collection",
    method: "DELETE",
    path: "assistants",
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "GET on cancel",
    method: "GET",
    path: "threads/thread_1/runs/run_1/cancel",
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "DELETE a run",
    method: "DELETE",
    path: "threads/thread_1/runs/run_1",
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "POST to file content",
    method: "POST",
    path: "files/file-1/content",
    init: JSON_BODY,
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "JSON over 8 MB by content-length",
    method: "POST",
    path: "assistants",
    init: {
      headers: { "content-type": "application/json", "content-length": String(8 * 1024 * 1024 + 1) },
      body: "{}",
    },
    status: 413,
    code: "request_too_large",
  },
  {
    name: "JSON over 8 MB, chunked",
    method: "POST",
    path: "threads/thread_1/messages",
    init: {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: "x".repeat(8 * 1024 * 1024) }),
    },
    status: 413,
    code: "request_too_large",
  },
  {
    name: "upload over 512 MB by content-length",
    method: "POST",
    path: "files",
    init: {
      headers: {
        "content-type": "multipart/form-data; boundary=b",
        "content-length": String(600 * 1024 * 1024),
      },
      body: "--b--",
    },
    status: 413,
    code: "request_too_large",
  },
  {
    name: "JSON endpoint given text",
    method: "POST",
    path: "assistants",
    init: { headers: { "content-type": "text/plain" }, body: "{}" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "upload given JSON",
    method: "POST",
    path: "files",
    init: JSON_BODY,
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "unknown connection",
    method: "GET",
    path: "assistants",
    init: { headers: { "x-playground-connection": "prod" } },
    status: 400,
    code: "unknown_connection",
  },
  {
    name: "malformed api-version",
    method: "GET",
    path: "assistants?api-version=latest",
    status: 400,
    code: "invalid_api_version",
  },
];

describe("allowlist: refused before any upstream", () => {
  it.each(refused)("$name → $status $code", async ({ method, path, init, status, code }) => {
    const res = await call(route, method, path, init);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await json(res)) as {
      error: { code: string; message: string; type: string; param: unknown };
    };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error).toHaveProperty("param");
    expect(upstream.requests).toEqual([]);
  });

  it("pages of its own origin are served", async () => {
    const res = await call(route, "GET", `assistants?${V}`, {
      headers: { origin: "http://app.test", "sec-fetch-site": "same-origin" },
    });
    expect(res.status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
  });

  it("behind a reverse proxy, the public host in x-forwarded-host counts as the origin", async () => {
    const res = await call(route, "GET", `assistants?${V}`, {
      headers: { origin: "https://playground.example", "x-forwarded-host": "playground.example" },
    });
    expect(res.status).toBe(200);
  });

  it("HEAD is refused like any other non-Assistants method", async () => {
    const res = await call(route, "HEAD", `assistants?${V}`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, POST, DELETE");
    expect(upstream.requests).toEqual([]);
  });

  it("names the allowed methods on a 405", async () => {
    const res = await call(route, "DELETE", "threads/thread_1/runs/run_1");
    expect(res.headers.get("allow")).toBe("GET, POST");
  });

  it("names the known connections on an unknown one", async () => {
    const res = await call(route, "GET", "assistants", { headers: { "x-playground-connection": "prod" } });
    const body = (await json(res)) as { error: { message: string } };
    expect(body.error.message).toContain("prod");
    expect(body.error.message).toContain("azure, local");
  });
});
