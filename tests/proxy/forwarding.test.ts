import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { call, json, loadRoute, SERVER_KEY, type RouteModule } from "./harness";
import { closedPort, startFakeUpstream, type FakeUpstream } from "./fake-upstream";
import { fakeEngine } from "./fake-engine";

let upstream: FakeUpstream;
let route: RouteModule;

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());
beforeEach(async () => {
  ({ route } = await loadRoute({ AZURE_OPENAI_ENDPOINT: upstream.url, AZURE_OPENAI_API_KEY: SERVER_KEY }));
  upstream.requests.length = 0;
  upstream.respond((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ url: req.url }));
  });
});

const V = "api-version=2024-05-01-preview";

describe("auth and request headers", () => {
  it("injects the server's api-key and drops the browser's credentials and forwarding headers", async () => {
    const res = await call(route, "POST", `assistants?${V}`, {
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        authorization: "Bearer browser-token",
        "api-key": "browser-key",
        cookie: "session=abc",
        "x-forwarded-for": "10.0.0.1",
        "x-forwarded-host": "app.test",
        "x-forwarded-proto": "http",
        forwarded: "for=10.0.0.1",
        "x-real-ip": "10.0.0.1",
        origin: "http://app.test",
        referer: "http://app.test/playground",
        "openai-beta": "assistants=v2",
        "user-agent": "AzureOpenAI/JS 6.49.0",
        "x-stainless-retry-count": "0",
        "x-playground-connection": "azure",
        "ocp-apim-subscription-key": "browser-apim",
      },
      body: JSON.stringify({ model: "gpt-4o" }),
    });
    expect(res.status).toBe(200);
    const headers = upstream.requests[0]!.headers;
    expect(headers["api-key"]).toBe(SERVER_KEY);
    for (const name of [
      "authorization",
      "cookie",
      "x-forwarded-for",
      "x-forwarded-host",
      "x-forwarded-proto",
      "forwarded",
      "x-real-ip",
      "origin",
      "referer",
      "x-playground-connection",
      "ocp-apim-subscription-key",
    ]) {
      expect(headers, name).not.toHaveProperty(name);
    }
    expect(headers["content-type"]).toBe("application/json");
    expect(headers.accept).toBe("application/json");
    expect(headers["openai-beta"]).toBe("assistants=v2");
    expect(headers["user-agent"]).toBe("AzureOpenAI/JS 6.49.0");
    expect(headers["x-stainless-retry-count"]).toBe("0");
    expect(headers.host).toBe(new URL(upstream.url).host);
    expect(upstream.requests[0]!.body.toString()).toBe('{"model":"gpt-4o"}');
  });

  it("does not ask the upstream for a compressed body (bytes pass through as sent)", async () => {
    await call(route, "GET", `assistants?${V}`, { headers: { "accept-encoding": "gzip, br" } });
    expect(upstream.requests[0]!.headers).not.toHaveProperty("accept-encoding");
  });
});

describe("responses pass through", () => {
  it.each([
    [404, { error: { code: "404", message: "Resource not found" } }],
    [
      400,
      {
        error: {
          message: "Invalid value for 'model'.",
          type: "invalid_request_error",
          param: "model",
          code: null,
        },
      },
    ],
    [
      401,
      {
        error: {
          code: "401",
          message: "Access denied due to invalid subscription key or wrong API endpoint.",
        },
      },
    ],
    [500, { error: { code: "server_error", message: "The server had an error." } }],
  ])("status %i and its error body, byte for byte", async (status, body) => {
    const text = JSON.stringify(body);
    upstream.respond((_req, res) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(text);
    });
    const res = await call(route, "GET", `assistants/asst_1?${V}`);
    expect(res.status).toBe(status);
    expect(await res.text()).toBe(text);
    expect(res.headers.get("x-playground-connection")).toBe("azure");
  });

  it("429 keeps retry-after and retry-after-ms", async () => {
    upstream.respond((_req, res) => {
      res.writeHead(429, {
        "content-type": "application/json",
        "retry-after": "7",
        "retry-after-ms": "7000",
      });
      res.end('{"error":{"code":"429","message":"Rate limit is exceeded. Try again in 7 seconds."}}');
    });
    const res = await call(route, "POST", `threads/thread_1/runs?${V}`, {
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("retry-after-ms")).toBe("7000");
    expect(((await json(res)) as { error: { code: string } }).error.code).toBe("429");
  });

  it("filters response headers by allowlist", async () => {
    upstream.respond((_req, res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        "set-cookie": ["ARRAffinity=abc; Path=/", "other=1"],
        "access-control-allow-origin": "*",
        "access-control-allow-credentials": "true",
        "access-control-expose-headers": "*",
        "strict-transport-security": "max-age=1",
        server: "Kestrel",
        "x-powered-by": "ASP.NET",
        "x-ms-rai-invoked": "true",
        "openai-poll-after-ms": "250",
        "apim-request-id": "apim-42",
        "x-request-id": "req-42",
        "x-ms-region": "Sweden Central",
        "retry-after": "1",
        "keep-alive": "timeout=5",
        connection: "keep-alive",
        "content-length": "2",
      });
      res.end("{}");
    });
    const res = await call(route, "GET", `threads/thread_1/runs/run_1?${V}`);
    const names = [...res.headers.keys()].sort();
    expect(names).toEqual(
      [
        "apim-request-id",
        "cache-control",
        "content-length",
        "content-type",
        "openai-poll-after-ms",
        "retry-after",
        "x-content-type-options",
        "x-ms-region",
        "x-playground-api-version",
        "x-playground-connection",
        "x-request-id",
      ].sort(),
    );
    expect(res.headers.get("content-length")).toBe("2");
    expect(res.headers.get("openai-poll-after-ms")).toBe("250");
    expect(res.headers.get("x-ms-region")).toBe("Sweden Central");
  });
});

describe("file content is served so it cannot run in the app's origin", () => {
  async function fileContent(contentType: string, disposition?: string) {
    upstream.respond((_req, res) => {
      res.writeHead(200, {
        "content-type": contentType,
        ...(disposition ? { "content-disposition": disposition } : {}),
      });
      res.end("<script>alert(document.cookie)</script>");
    });
    return call(route, "GET", `files/assistant-abc/content?${V}`);
  }

  it("HTML becomes an attachment, sandboxed and not sniffed, bytes unchanged", async () => {
    const res = await fileContent("text/html", 'inline; filename="page.html"');
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="page.html"');
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toBe("sandbox");
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(await res.text()).toBe("<script>alert(document.cookie)</script>");
  });

  it("without a disposition from upstream it is still an attachment", async () => {
    const res = await fileContent("application/octet-stream");
    expect(res.headers.get("content-disposition")).toBe("attachment");
  });

  it("SVG (an image that can carry script) is an attachment", async () => {
    const res = await fileContent("image/svg+xml");
    expect(res.headers.get("content-disposition")).toBe("attachment");
    expect(res.headers.get("content-security-policy")).toBe("sandbox");
  });

  it("a PNG may show inline, still sandboxed and nosniff", async () => {
    const res = await fileContent("image/png", 'attachment; filename="chart.png"');
    expect(res.headers.get("content-disposition")).toBe('inline; filename="chart.png"');
    expect(res.headers.get("content-security-policy")).toBe("sandbox");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("other endpoints are not turned into downloads", async () => {
    const res = await call(route, "GET", `files/assistant-abc?${V}`);
    expect(res.headers.get("content-disposition")).toBeNull();
  });
});

describe("streaming responses", () => {
  it("the first SSE event reaches the client before the upstream finishes", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    upstream.respond(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
      res.write(
        'event: thread.run.created\ndata: {"id":"run_1","object":"thread.run","status":"queued"}\n\n',
      );
      await released;
      res.write(
        'event: thread.run.completed\ndata: {"id":"run_1","object":"thread.run","status":"completed"}\n\n',
      );
      res.end("event: done\ndata: [DONE]\n\n");
      finished = true;
    });
    // The SDK asks for JSON even when it streams: the proxy must look at what comes back instead.
    const res = await call(route, "POST", `threads/thread_1/runs?${V}`, {
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ assistant_id: "asst_1", stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("\n\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    expect(text).toContain("event: thread.run.created");
    expect(finished).toBe(false);
    release();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    expect(finished).toBe(true);
    expect(text).toBe(
      'event: thread.run.created\ndata: {"id":"run_1","object":"thread.run","status":"queued"}\n\n' +
        'event: thread.run.completed\ndata: {"id":"run_1","object":"thread.run","status":"completed"}\n\n' +
        "event: done\ndata: [DONE]\n\n",
    );
  });

  it("a client that stops reading closes the upstream stream", async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    upstream.respond((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('event: thread.run.created\ndata: {"id":"run_1"}\n\n');
      res.on("close", () => upstreamClosed());
    });
    const res = await call(route, "POST", `threads/thread_1/runs?${V}`, {
      headers: { "content-type": "application/json" },
      body: '{"assistant_id":"asst_1","stream":true}',
    });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    // Resolves only when the upstream sees its response connection closed.
    await closed;
    expect(upstream.requests).toHaveLength(1);
  });
});

describe("unreachable upstream", () => {
  it("answers 502 naming the host and the reason, never the key", async () => {
    const port = await closedPort();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    ({ route } = await loadRoute({
      AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${port}`,
      AZURE_OPENAI_API_KEY: SERVER_KEY,
    }));
    const res = await call(route, "GET", `assistants?${V}`);
    expect(res.status).toBe(502);
    const text = await res.text();
    const body = JSON.parse(text) as { error: { code: string; message: string; type: string } };
    expect(body.error.code).toBe("upstream_unreachable");
    expect(body.error.message).toContain(`127.0.0.1:${port}`);
    expect(body.error.message).toContain("ECONNREFUSED");
    expect(text).not.toContain(SERVER_KEY);
    expect(JSON.stringify(errors.mock.calls)).not.toContain(SERVER_KEY);
    errors.mockRestore();
  });
});

describe("choosing the connection", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("defaults to azure when it is configured, local on request", async () => {
    const { route: r, engineModule } = await loadRoute({
      AZURE_OPENAI_ENDPOINT: upstream.url,
      AZURE_OPENAI_API_KEY: SERVER_KEY,
    });
    const fake = fakeEngine();
    engineModule.setEngineForTests(fake.engine);
    const viaDefault = await call(r, "GET", `assistants?${V}`);
    expect(viaDefault.headers.get("x-playground-connection")).toBe("azure");
    expect(upstream.requests).toHaveLength(1);
    expect(fake.requests).toHaveLength(0);

    const viaLocal = await call(r, "GET", `assistants?${V}`, {
      headers: { "x-playground-connection": "local" },
    });
    expect(viaLocal.headers.get("x-playground-connection")).toBe("local");
    expect(((await json(viaLocal)) as { engine: boolean }).engine).toBe(true);
    expect(upstream.requests).toHaveLength(1);
    expect(fake.requests.map((q) => q.url)).toEqual([`http://local-engine/openai/assistants?${V}`]);
    engineModule.setEngineForTests(undefined);
  });

  it("defaults to the local engine with nothing configured; azure is then unknown", async () => {
    const { route: r, engineModule } = await loadRoute({});
    const fake = fakeEngine();
    engineModule.setEngineForTests(fake.engine);
    const res = await call(r, "GET", `threads?${V}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-playground-connection")).toBe("local");
    expect(fake.requests[0]?.url).toBe(`http://local-engine/openai/threads?${V}`);
    const azure = await call(r, "GET", `assistants?${V}`, {
      headers: { "x-playground-connection": "azure" },
    });
    expect(azure.status).toBe(400);
    expect(((await json(azure)) as { error: { message: string } }).error.message).toContain(
      "known connections: local",
    );
    expect(upstream.requests).toHaveLength(0);
    engineModule.setEngineForTests(undefined);
  });

  it("the local engine gets the browser's safe headers and body, no credentials", async () => {
    const { route: r, engineModule } = await loadRoute({});
    const fake = fakeEngine();
    engineModule.setEngineForTests(fake.engine);
    await call(r, "POST", `threads/thread_1/messages?${V}`, {
      headers: {
        "content-type": "application/json",
        cookie: "a=b",
        authorization: "Bearer x",
        "api-key": "k",
        "openai-beta": "assistants=v2",
      },
      body: '{"role":"user","content":"hi"}',
    });
    const seen = fake.requests[0]!;
    expect(seen.method).toBe("POST");
    expect(seen.body).toBe('{"role":"user","content":"hi"}');
    expect(seen.headers.get("cookie")).toBeNull();
    expect(seen.headers.get("authorization")).toBeNull();
    expect(seen.headers.get("api-key")).toBeNull();
    expect(seen.headers.get("openai-beta")).toBe("assistants=v2");
    engineModule.setEngineForTests(undefined);
  });

  it("an engine that throws gives a JSON 500 that reveals nothing", async () => {
    const { route: r, engineModule } = await loadRoute({});
    engineModule.setEngineForTests({
      get model(): never {
        throw new Error("unused");
      },
      fetch: () => Promise.reject(new Error("disk full")),
      close: async () => {},
    });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await call(r, "GET", `assistants?${V}`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: "internal_error", type: "proxy_error" } });
    expect(text).not.toContain("disk full");
    errors.mockRestore();
    engineModule.setEngineForTests(undefined);
  });
});

describe("api-version", () => {
  async function azureVersion(env: Record<string, string>, query: string) {
    ({ route } = await loadRoute({
      AZURE_OPENAI_ENDPOINT: upstream.url,
      AZURE_OPENAI_API_KEY: SERVER_KEY,
      ...env,
    }));
    upstream.requests.length = 0;
    const res = await call(route, "GET", `assistants${query}`);
    return {
      res,
      sent: upstream.requests[0]
        ? new URL(upstream.requests[0].url, "http://x").searchParams.getAll("api-version")
        : [],
    };
  }

  it.each([
    ["?api-version=2024-10-01-preview", ["2024-10-01-preview"]],
    ["?api-version=2024-02-15-preview", ["2024-02-15-preview"]],
    ["?api-version=2031-01-01", ["2031-01-01"]],
    ["", ["2024-07-01-preview"]],
    ["?api-version=", ["2024-07-01-preview"]],
  ])("azure: %s → upstream gets %j", async (query, expected) => {
    const { res, sent } = await azureVersion({ AZURE_OPENAI_API_VERSION: "2024-07-01-preview" }, query);
    expect(res.status).toBe(200);
    expect(sent).toEqual(expected);
    expect(res.headers.get("x-playground-api-version")).toBe(expected[0]);
  });

  it("azure defaults to 2024-05-01-preview when the env names none", async () => {
    const { sent } = await azureVersion({}, "");
    expect(sent).toEqual(["2024-05-01-preview"]);
  });

  it.each(["latest", "2024-5-1", "2024-05-01-preview;x", "2024-05-01-previewX", "v1"])(
    "a malformed %s is refused",
    async (v) => {
      const { res, sent } = await azureVersion({}, `?api-version=${encodeURIComponent(v)}`);
      expect(res.status).toBe(400);
      expect(((await json(res)) as { error: { code: string; param: string } }).error).toMatchObject({
        code: "invalid_api_version",
        param: "api-version",
      });
      expect(sent).toEqual([]);
    },
  );

  it.each([
    ["?api-version=2024-02-15-preview", "2024-02-15-preview"],
    ["?api-version=2025-04-01-preview", "2025-04-01-preview"],
    ["?api-version=2031-01-01-preview", "2024-05-01-preview"],
    ["?api-version=2024-06-01", "2024-05-01-preview"],
    ["", "2024-05-01-preview"],
  ])("local: %s → the engine gets %s", async (query, expected) => {
    const { route: r, engineModule } = await loadRoute({});
    const fake = fakeEngine();
    engineModule.setEngineForTests(fake.engine);
    const res = await call(r, "GET", `assistants${query}`);
    expect(res.status).toBe(200);
    expect(new URL(fake.requests[0]!.url).searchParams.getAll("api-version")).toEqual([expected]);
    engineModule.setEngineForTests(undefined);
  });
});

describe("keys never leave the server", () => {
  it("not in any response header or body, nor in the connections list", async () => {
    const { route: r, connectionsRoute } = await loadRoute({
      AZURE_OPENAI_ENDPOINT: upstream.url,
      AZURE_OPENAI_API_KEY: SERVER_KEY,
    });
    upstream.respond((req, res) => {
      // An upstream that echoes what it got, headers included, is the worst case.
      res.writeHead(req.url?.includes("asst_missing") ? 404 : 200, {
        "content-type": "application/json",
        "x-echo": JSON.stringify(req.headers),
      });
      res.end(JSON.stringify({ note: "ok" }));
    });
    const responses = [
      await call(r, "GET", `assistants?${V}`),
      await call(r, "GET", `assistants/asst_missing?${V}`),
      await call(r, "POST", `deployments/x/chat/completions?${V}`),
      await call(r, "GET", `assistants?api-version=nope`),
      connectionsRoute.GET(),
    ];
    for (const res of responses) {
      const dump = JSON.stringify([...res.headers.entries()]) + (await res.text());
      expect(dump).not.toContain(SERVER_KEY);
    }
  });
});

describe("an upstream that drops mid-stream", () => {
  it("errors the client's stream instead of ending it as if complete", async () => {
    ({ route } = await loadRoute({ AZURE_OPENAI_ENDPOINT: upstream.url, AZURE_OPENAI_API_KEY: SERVER_KEY }));
    upstream.respond((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('event: thread.run.created\ndata: {"id":"run_1"}\n\n', () =>
        setTimeout(() => res.socket?.destroy(), 20),
      );
    });
    const res = await call(route, "POST", `threads/thread_1/runs?${V}`, {
      headers: { "content-type": "application/json" },
      body: '{"assistant_id":"asst_1","stream":true}',
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });
});

describe("JSON bodies are checked before any upstream sees them", () => {
  it.each([
    ['{"model": "gpt-4o",', "is not valid JSON"],
    ['[{"model":"gpt-4o"}]', "must be a JSON object"],
    ["null", "must be a JSON object"],
    [new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), "is not UTF-8"],
  ])("%j → 400 invalid_request_body", async (body, message) => {
    const res = await call(route, "POST", `assistants?${V}`, {
      headers: { "content-type": "application/json" },
      body,
    });
    expect(res.status).toBe(400);
    const error = ((await json(res)) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("invalid_request_body");
    expect(error.message).toContain(message);
    expect(error.message).not.toContain("gpt-4o");
    expect(upstream.requests).toEqual([]);
  });
});
