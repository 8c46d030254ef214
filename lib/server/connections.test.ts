import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

const dataDir = mkdtempSync(path.join(tmpdir(), "connections-test-engine-"));

async function connectionsWith(env: Record<string, string>) {
  await (await import("./engine")).closeEngine();
  vi.stubEnv("ENGINE_DATA_DIR", dataDir);
  for (const key of [
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_API_VERSION",
    "AZURE_OPENAI_DEPLOYMENTS",
    "PLAYGROUND_PUBLIC",
    "PLAYGROUND_CONNECTIONS",
    "ENGINE_CODE_SANDBOX",
  ]) {
    vi.stubEnv(key, env[key] ?? "");
  }
  vi.resetModules();
  const { GET } = await import("@/app/api/playground/connections/route");
  const res = GET();
  return { res, text: await res.text() };
}

afterEach(() => vi.unstubAllEnvs());
afterAll(async () => {
  await (await import("./engine")).closeEngine();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("GET /api/playground/connections", () => {
  it("says what runs code on each local connection (its sandbox), and its model kind", async () => {
    const { text } = await connectionsWith({
      ENGINE_CODE_SANDBOX: "python",
      PLAYGROUND_CONNECTIONS: JSON.stringify([
        {
          name: "ollama",
          kind: "local",
          model: {
            kind: "chat-completions",
            api: "openai-compatible",
            endpoint: "http://localhost:11434/v1",
          },
          codeSandbox: { backend: "off" },
        },
      ]),
    });
    const { connections } = JSON.parse(text) as { connections: Record<string, unknown>[] };
    expect(connections.find((c) => c.name === "ollama")).toMatchObject({
      kind: "local",
      engineModel: "chat-completions",
      codeSandbox: { kind: "off", available: false, description: expect.stringMatching(/^off: /) },
    });
    expect(connections.find((c) => c.name === "local")).toMatchObject({
      kind: "local",
      engineModel: "scripted",
      codeSandbox: {
        kind: "python",
        available: true,
        description: expect.stringMatching(/^Python 3\.\d+, isolated .*no network/),
      },
    });
  });

  it("lists the local engine alone, as the default, when nothing is configured", async () => {
    const { res, text } = await connectionsWith({});
    expect(res.status).toBe(200);
    const { connections } = JSON.parse(text) as { connections: Record<string, unknown>[] };
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({
      name: "local",
      kind: "local",
      label: "Local engine — scripted model",
      apiVersion: "2024-05-01-preview",
      default: true,
    });
    expect(connections[0]?.apiVersions).toContain("2024-02-15-preview");
    expect(Object.keys(connections[0] ?? {}).sort()).toEqual([
      "apiVersion",
      "apiVersions",
      "auth",
      "codeSandbox",
      "default",
      "deployments",
      "description",
      "engineModel",
      "host",
      "kind",
      "label",
      "listThreads",
      "name",
    ]);
    expect(connections[0]).toMatchObject({
      host: null,
      auth: "none",
      listThreads: true,
      codeSandbox: { kind: expect.stringMatching(/^(python|off)$/) },
    });
  });

  it("puts Azure first as the default when configured, without its key or URL", async () => {
    const { text } = await connectionsWith({
      AZURE_OPENAI_ENDPOINT: "https://myres.openai.azure.com/",
      AZURE_OPENAI_API_KEY: "key-that-must-not-leak",
      AZURE_OPENAI_API_VERSION: "2024-10-01-preview",
      AZURE_OPENAI_DEPLOYMENTS: "gpt-4o, my-gpt4o-mini",
    });
    const { connections } = JSON.parse(text) as { connections: Record<string, unknown>[] };
    expect(connections.map((c) => [c.name, c.kind, c.default])).toEqual([
      ["azure", "azure-openai", true],
      ["local", "local", false],
    ]);
    expect(connections[0]).toMatchObject({
      label: "Azure OpenAI — myres.openai.azure.com",
      apiVersion: "2024-10-01-preview",
      deployments: ["gpt-4o", "my-gpt4o-mini"],
      // The service runs code itself: no sandbox of ours to describe.
      codeSandbox: null,
      engineModel: null,
    });
    expect(text).not.toContain("key-that-must-not-leak");
    expect(text).not.toContain("https://");
  });

  it("a misconfigured server answers a JSON error that says what to set", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const { res, text } = await connectionsWith({ AZURE_OPENAI_API_KEY: "key-that-must-not-leak" });
    expect(res.status).toBe(500);
    const body = JSON.parse(text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("configuration_error");
    expect(body.error.message).toContain("AZURE_OPENAI_ENDPOINT is not set");
    expect(text).not.toContain("key-that-must-not-leak");
    errors.mockRestore();
  });
});

describe("GET /api/playground/health", () => {
  it("answers { ok: true }", async () => {
    const { GET } = await import("@/app/api/playground/health/route");
    const res = GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});

describe("upstream timeouts (PLAYGROUND_UPSTREAM_TIMEOUT_MS, PLAYGROUND_STREAM_IDLE_TIMEOUT_MS, per connection)", () => {
  const remote = (extra: Record<string, unknown>) =>
    JSON.stringify([
      {
        name: "aoai",
        kind: "azure-openai",
        endpoint: "https://a.openai.azure.com",
        apiKey: "k-SECRET",
        ...extra,
      },
    ]);

  async function remoteConnection(source: Record<string, string>) {
    const { parseEnv } = await import("./env-schema");
    const { fromConfig, upstreamTimeouts } = await import("./connections");
    const env = parseEnv({ ENGINE_DATA_DIR: dataDir, ...source });
    const config = env.connections.find((c) => c.name === "aoai");
    if (!config) throw new Error("no aoai connection");
    return fromConfig(config, upstreamTimeouts(env));
  }

  it("defaults to 60 s for the response and 300 s of stream silence", async () => {
    const c = await remoteConnection({ PLAYGROUND_CONNECTIONS: remote({}) });
    expect(c).toMatchObject({ responseTimeoutMs: 60_000, streamIdleTimeoutMs: 300_000 });
  });

  it("takes the server-wide variables, and a connection's own values over them", async () => {
    const wide = await remoteConnection({
      PLAYGROUND_CONNECTIONS: remote({}),
      PLAYGROUND_UPSTREAM_TIMEOUT_MS: "5000",
      PLAYGROUND_STREAM_IDLE_TIMEOUT_MS: "7000",
    });
    expect(wide).toMatchObject({ responseTimeoutMs: 5000, streamIdleTimeoutMs: 7000 });
    const own = await remoteConnection({
      PLAYGROUND_CONNECTIONS: remote({ responseTimeoutMs: 4000, streamIdleTimeoutMs: 2500 }),
      PLAYGROUND_UPSTREAM_TIMEOUT_MS: "5000",
    });
    expect(own).toMatchObject({ responseTimeoutMs: 4000, streamIdleTimeoutMs: 2500 });
  });

  it.each([
    [
      { PLAYGROUND_UPSTREAM_TIMEOUT_MS: "soon" },
      "PLAYGROUND_UPSTREAM_TIMEOUT_MS must be a number of milliseconds",
    ],
    [
      { PLAYGROUND_STREAM_IDLE_TIMEOUT_MS: "50" },
      "PLAYGROUND_STREAM_IDLE_TIMEOUT_MS must be at least 100 ms",
    ],
    [
      { PLAYGROUND_UPSTREAM_TIMEOUT_MS: "1.5" },
      "PLAYGROUND_UPSTREAM_TIMEOUT_MS must be a whole number of milliseconds",
    ],
    [
      { PLAYGROUND_CONNECTIONS: remote({ responseTimeoutMs: "4000" }) },
      "PLAYGROUND_CONNECTIONS[0].responseTimeoutMs must be a number",
    ],
    [
      { PLAYGROUND_CONNECTIONS: remote({ streamIdleTimeoutMs: 7_200_000 }) },
      "PLAYGROUND_CONNECTIONS[0].streamIdleTimeoutMs must be at most 3600000 ms",
    ],
    [
      { PLAYGROUND_CONNECTIONS: JSON.stringify([{ name: "eng", kind: "local", responseTimeoutMs: 4000 }]) },
      "PLAYGROUND_CONNECTIONS[0]",
    ],
  ])("refuses %j, naming the variable and never the value", async (source, message) => {
    const { parseEnv, EnvError } = await import("./env-schema");
    let error: unknown;
    try {
      parseEnv({ ENGINE_DATA_DIR: dataDir, ...source });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain("k-SECRET");
    expect((error as Error).message).not.toContain("soon");
  });
});
