// lib/server/engine.ts: one engine per local connection, its model from the connection's config, the
// header's label, and auth per endpoint kind (api-key, bearer, Entra) on the wire of a fake upstream.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { EngineModelConfig } from "@/lib/server/env-schema";
import { specCheckedClient } from "../helpers/sdk";
import { startFakeChatUpstream, type FakeChatUpstream } from "../helpers/fake-chat-upstream";

type EngineModule = typeof import("@/lib/server/engine");
type EntraModule = typeof import("@/lib/server/entra");

let fake: FakeChatUpstream;
let dir: string;
let engineModule: EngineModule;
let entra: EntraModule;

beforeEach(async () => {
  fake = await startFakeChatUpstream();
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "engine-server-test-"));
  vi.resetModules();
  vi.stubEnv("ENGINE_DATA_DIR", dir);
  vi.stubEnv("PLAYGROUND_CONNECTIONS", "");
  vi.stubEnv("AZURE_OPENAI_ENDPOINT", "");
  vi.stubEnv("AZURE_OPENAI_API_KEY", "");
  engineModule = await import("@/lib/server/engine");
  entra = await import("@/lib/server/entra");
});

afterEach(async () => {
  await engineModule.closeEngine();
  entra.setEntraCredentialForTests(undefined);
  vi.unstubAllEnvs();
  await fake.close();
  await fs.promises.rm(dir, { recursive: true, force: true });
});

function chat(model: Partial<Extract<EngineModelConfig, { kind: "chat-completions" }>>): EngineModelConfig {
  return {
    kind: "chat-completions",
    api: "openai-compatible",
    endpoint: `${fake.origin}/v1`,
    apiKey: null,
    entra: false,
    apiVersion: "2024-10-21",
    label: null,
    ...model,
  };
}

async function oneRun(name: string, model: EngineModelConfig, deployment = "gpt-4o") {
  const engine = engineModule.getEngineFor({
    name,
    kind: "local",
    label: null,
    model,
    dataDir: path.join(dir, name),
  });
  const sdk = specCheckedClient((r) => engine.fetch(r), { apiVersion: "2024-05-01-preview" });
  const c = sdk.client;
  const a = await c.beta.assistants.create({ model: deployment });
  const run = await c.beta.threads.createAndRunPoll({
    assistant_id: a.id,
    thread: { messages: [{ role: "user", content: "hello" }] },
  });
  sdk.assertClean();
  return { engine, run };
}

describe("engineModelLabel", () => {
  it("names the model the way the header shows it, never with a key", () => {
    const { engineModelLabel } = engineModule;
    expect(engineModelLabel({ kind: "scripted" })).toBe("scripted model");
    expect(engineModelLabel(chat({ label: "gpt-4o on my-resource" }))).toBe("gpt-4o on my-resource");
    expect(
      engineModelLabel(
        chat({
          api: "azure-deployment",
          endpoint: "https://my-resource.openai.azure.com",
          apiKey: "k-secret",
        }),
      ),
    ).toBe("Azure OpenAI on my-resource");
    expect(
      engineModelLabel(chat({ api: "azure-v1", endpoint: "https://my-res.cognitiveservices.azure.com" })),
    ).toBe("Azure OpenAI v1 on my-res");
    expect(engineModelLabel(chat({ endpoint: "http://localhost:11434/v1" }))).toBe(
      "chat completions on localhost:11434",
    );
  });
});

describe("getEngineFor", () => {
  it("keeps one engine per local connection; getEngine() is the default `local` one, on the scripted model", async () => {
    const a = engineModule.getEngineFor({
      name: "one",
      kind: "local",
      label: null,
      model: { kind: "scripted" },
      dataDir: path.join(dir, "one"),
    });
    const again = engineModule.getEngineFor({
      name: "one",
      kind: "local",
      label: null,
      model: { kind: "scripted" },
      dataDir: path.join(dir, "one"),
    });
    const b = engineModule.getEngineFor({
      name: "two",
      kind: "local",
      label: null,
      model: chat({}),
      dataDir: path.join(dir, "two"),
    });
    expect(again).toBe(a);
    expect(b).not.toBe(a);
    expect(b.model.label).toBe(`chat completions on ${new URL(fake.origin).host}`);
    const local = engineModule.getEngine();
    expect(local.model.id).toBe("scripted");
    expect(engineModule.getEngine()).toBe(local);
    const health = await (await local.fetch(new Request("http://x/_engine/health"))).json();
    expect(health.dataDir).toBe(dir);
  });

  it("openai-compatible with a key: Authorization: Bearer", async () => {
    const { run } = await oneRun("compat", chat({ apiKey: "sk-compat-000111" }), "llama3.2");
    expect(run.status).toBe("completed");
    expect(fake.requests[0]!.url).toBe("/v1/chat/completions");
    expect(fake.requests[0]!.headers.authorization).toBe("Bearer sk-compat-000111");
    expect(fake.requests[0]!.body.model).toBe("llama3.2");
  });

  it("openai-compatible without a key sends no credentials", async () => {
    await oneRun("keyless", chat({}));
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
    expect(fake.requests[0]!.headers["api-key"]).toBeUndefined();
  });

  it("azure-deployment with a key: api-key header, deployment in the path, api-version", async () => {
    await oneRun(
      "azkey",
      chat({
        api: "azure-deployment",
        endpoint: fake.origin,
        apiKey: "az-key-999888",
        apiVersion: "2025-01-01-preview",
      }),
      "my-gpt4o",
    );
    expect(fake.requests[0]!.url).toBe(
      "/openai/deployments/my-gpt4o/chat/completions?api-version=2025-01-01-preview",
    );
    expect(fake.requests[0]!.headers["api-key"]).toBe("az-key-999888");
  });

  it("azure-v1 with Entra ID: a bearer token for the Cognitive Services scope, no api-key", async () => {
    const scopes: string[] = [];
    entra.setEntraCredentialForTests({
      getToken: async (scope) => {
        scopes.push(String(scope));
        return { token: "entra-token-abc", expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    });
    const { run } = await oneRun("entra", chat({ api: "azure-v1", endpoint: fake.origin, entra: true }));
    expect(run.status).toBe("completed");
    expect(fake.requests[0]!.url).toBe("/openai/v1/chat/completions");
    expect(fake.requests[0]!.headers.authorization).toBe("Bearer entra-token-abc");
    expect(fake.requests[0]!.headers["api-key"]).toBeUndefined();
    expect(scopes).toEqual(["https://cognitiveservices.azure.com/.default"]);
  });

  it("an Entra failure fails the run with how to grant access", async () => {
    entra.setEntraCredentialForTests({
      getToken: async () => {
        throw new Error("no identity");
      },
    });
    const { run } = await oneRun(
      "entra-broken",
      chat({ api: "azure-v1", endpoint: fake.origin, entra: true }),
    );
    expect(run.status).toBe("failed");
    expect(run.last_error?.message).toMatch(/Microsoft Entra ID gave no token.*az login/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("the environment → the engine's model", () => {
  it("ENGINE_MODEL=chat-completions runs the default local engine on that endpoint", async () => {
    vi.stubEnv("ENGINE_MODEL", "chat-completions");
    vi.stubEnv("ENGINE_CHAT_API", "openai-compatible");
    vi.stubEnv("ENGINE_CHAT_ENDPOINT", `${fake.origin}/v1`);
    vi.stubEnv("ENGINE_CHAT_API_KEY", "sk-env-key-424242");
    vi.stubEnv("ENGINE_CHAT_LABEL", "llama3.2 on Ollama");
    vi.resetModules();
    engineModule = await import("@/lib/server/engine");
    const engine = engineModule.getEngine();
    expect(engine.model.label).toBe("llama3.2 on Ollama");
    const sdk = specCheckedClient((r) => engine.fetch(r), { apiVersion: "2024-05-01-preview" });
    const a = await sdk.client.beta.assistants.create({ model: "llama3.2" });
    const run = await sdk.client.beta.threads.createAndRunPoll({
      assistant_id: a.id,
      thread: { messages: [{ role: "user", content: "hi" }] },
    });
    expect(run.status).toBe("completed");
    expect(fake.requests[0]!.headers.authorization).toBe("Bearer sk-env-key-424242");
  });

  it("a local entry of PLAYGROUND_CONNECTIONS takes its key from apiKeyEnv; mistakes name the field, never the value", async () => {
    const { parseEnv } = await import("@/lib/server/env-schema");
    const env = parseEnv(
      {
        MY_KEY: "az-secret-value-1",
        PLAYGROUND_CONNECTIONS: JSON.stringify([
          {
            name: "local-gpt",
            kind: "local",
            model: {
              kind: "chat-completions",
              api: "azure-deployment",
              endpoint: "https://my-resource.openai.azure.com",
              apiKeyEnv: "MY_KEY",
            },
          },
        ]),
      },
      dir,
    );
    const local = env.connections.find((c) => c.name === "local-gpt");
    expect(local).toMatchObject({
      kind: "local",
      model: { kind: "chat-completions", api: "azure-deployment", apiKey: "az-secret-value-1", entra: false },
    });
    expect(local?.kind === "local" && engineModule.engineModelLabel(local.model)).toBe(
      "Azure OpenAI on my-resource",
    );
    let message = "";
    try {
      parseEnv(
        {
          ENGINE_MODEL: "chat-completions",
          ENGINE_CHAT_API: "openai-compatible",
          ENGINE_CHAT_ENDPOINT: "http://example.com/v1?key=leaky-secret",
        },
        dir,
      );
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("ENGINE_CHAT_ENDPOINT");
    expect(message).not.toContain("leaky-secret");
  });
});
