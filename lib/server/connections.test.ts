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
  it("says when a local connection's model cannot run code (a chat-completions model)", async () => {
    const { text } = await connectionsWith({
      PLAYGROUND_CONNECTIONS: JSON.stringify([
        {
          name: "ollama",
          kind: "local",
          model: {
            kind: "chat-completions",
            api: "openai-compatible",
            endpoint: "http://localhost:11434/v1",
          },
        },
      ]),
    });
    const { connections } = JSON.parse(text) as { connections: Record<string, unknown>[] };
    expect(connections.find((c) => c.name === "ollama")).toMatchObject({
      kind: "local",
      codeInterpreter: false,
    });
    expect(connections.find((c) => c.name === "local")).toMatchObject({
      kind: "local",
      codeInterpreter: true,
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
      "codeInterpreter",
      "default",
      "deployments",
      "description",
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
      codeInterpreter: true,
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
