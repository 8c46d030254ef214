import "server-only";
import { createEngine, type CodeSandbox, type Engine, type Model, type SandboxStatus } from "@/lib/engine";
import { createChatCompletionsModel } from "@/lib/engine/model/chat-completions";
import { createScriptedModel } from "@/lib/engine/model/scripted";
import { createSandbox, OffSandbox, type SandboxConfig } from "@/lib/engine/sandbox";
import type { PythonSandboxOptions } from "@/lib/engine/sandbox/python";
import { ENTRA_SCOPES, getEntraToken } from "./entra";
import { getEnv } from "./env";
import type { CodeSandboxConfig, ConnectionConfig, EngineModelConfig } from "./env-schema";

export type LocalConnectionConfig = Extract<ConnectionConfig, { kind: "local" }>;

// On globalThis so that dev-mode module reloads reuse the engines (and their data directory locks).
const holder = globalThis as typeof globalThis & {
  __playgroundEngines?: Map<string, Engine>;
  __playgroundSandboxes?: Map<string, CodeSandbox>;
  /** Sandboxes handed to an engine, which closes them itself. */
  __playgroundOwnedSandboxes?: WeakSet<CodeSandbox>;
};

function engines(): Map<string, Engine> {
  holder.__playgroundEngines ??= new Map();
  return holder.__playgroundEngines;
}

/** One code sandbox per local connection, made before its engine when the connection list asks first. */
function sandboxes(): Map<string, CodeSandbox> {
  holder.__playgroundSandboxes ??= new Map();
  return holder.__playgroundSandboxes;
}

/** The engine's options for one sandbox configuration (ENGINE_CODE_SANDBOX*, or a connection's own). */
export function sandboxConfigFor(config: CodeSandboxConfig): SandboxConfig {
  const python: PythonSandboxOptions = {
    ...(config.pythonPath ? { pythonPath: config.pythonPath } : {}),
    ...(config.timeoutSeconds !== null ? { timeoutMs: config.timeoutSeconds * 1000 } : {}),
    ...(config.memoryMb !== null ? { memoryBytes: config.memoryMb * 2 ** 20 } : {}),
    idleTimeoutMs: config.idleMinutes * 60_000,
    unsafeNoIsolation: config.unsafeNoIsolation,
    // Session directories stay in os.tmpdir() (the backend's default), not the data directory: they
    // are scratch space removed with the session, and when the server runs as root the sandbox user
    // (uid 65534) must be able to traverse their parents, which a 0700 data directory forbids.
  };
  return {
    backend: config.backend,
    python,
    ...(config.poolEndpoint
      ? {
          azureSessions: {
            poolManagementEndpoint: config.poolEndpoint,
            getToken: () => getEntraToken(ENTRA_SCOPES.dynamicSessions),
            ...(config.timeoutSeconds !== null ? { timeoutMs: config.timeoutSeconds * 1000 } : {}),
            idleExpiryMs: config.idleMinutes * 60_000,
          },
        }
      : {}),
  };
}

/**
 * The sandbox of a local connection, created once. Its status is taken here, so the local
 * backend's one synchronous probe (spawning a sandboxed python3) runs at creation, never per request.
 */
export function codeSandboxFor(config: LocalConnectionConfig): CodeSandbox {
  const all = sandboxes();
  let sandbox = all.get(config.name);
  if (!sandbox) {
    const c = config.codeSandbox;
    sandbox =
      !c || c.backend === "off"
        ? new OffSandbox({
            kind: "off",
            available: false,
            description: "off: turned off in this server's configuration",
          })
        : createSandbox(sandboxConfigFor(c));
    sandbox.status();
    all.set(config.name, sandbox);
  }
  return sandbox;
}

/** What runs code on a local connection, as the setup panel and Settings show it. */
export function codeSandboxStatus(config: LocalConnectionConfig): SandboxStatus {
  return codeSandboxFor(config).status();
}

/**
 * What the header shows after "Local engine — ": "scripted model", the configured label, or the
 * endpoint ("Azure OpenAI on my-resource", "chat completions on localhost:11434"). Never a key.
 */
export function engineModelLabel(model: EngineModelConfig): string {
  if (model.kind === "scripted") return "scripted model";
  if (model.label) return model.label;
  const host = new URL(model.endpoint).host;
  const azureResource =
    /^([^.]+)\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/.exec(host)?.[1];
  if (model.api === "openai-compatible") return `chat completions on ${host}`;
  return `${model.api === "azure-v1" ? "Azure OpenAI v1" : "Azure OpenAI"} on ${azureResource ?? host}`;
}

/** The model behind a local connection; Entra tokens are fetched here, so the engine never imports lib/server. */
export function engineModelFor(model: EngineModelConfig): Model {
  if (model.kind === "scripted") return createScriptedModel();
  return createChatCompletionsModel({
    api: model.api,
    endpoint: model.endpoint,
    apiVersion: model.apiVersion,
    apiKey: model.apiKey,
    label: engineModelLabel(model),
    ...(model.entra
      ? {
          headers: async () => ({
            authorization: `Bearer ${await getEntraToken(ENTRA_SCOPES.cognitiveServices)}`,
          }),
        }
      : {}),
  });
}

/** The engine serving one local connection, created on first use (one per connection name). */
export function getEngineFor(config: LocalConnectionConfig): Engine {
  const all = engines();
  let engine = all.get(config.name);
  if (!engine) {
    const codeSandbox = codeSandboxFor(config);
    // DATABASE_URL: records in PostgreSQL, a schema per local connection; else PGlite in its data directory.
    const url = process.env.DATABASE_URL;
    const database = url
      ? {
          url,
          schema: config.name === "local" ? "engine" : `engine_${config.name.replace(/[^A-Za-z0-9_]/g, "_")}`,
        }
      : undefined;
    engine = createEngine({
      dataDir: config.dataDir,
      model: engineModelFor(config.model),
      codeSandbox,
      ...(database ? { database } : {}),
    });
    (holder.__playgroundOwnedSandboxes ??= new WeakSet()).add(codeSandbox);
    all.set(config.name, engine);
  }
  return engine;
}

/** The default local engine (the `local` connection, else the engine on ENGINE_DATA_DIR), created on first use. */
export function getEngine(): Engine {
  const env = getEnv();
  const local = env.connections.find(
    (c): c is LocalConnectionConfig => c.kind === "local" && c.name === "local",
  );
  return getEngineFor(
    local ?? {
      name: "local",
      kind: "local",
      label: null,
      model: { kind: "scripted" },
      dataDir: env.engineDataDir,
      codeSandbox: env.engineCodeSandbox,
    },
  );
}

/** Test seam: serve the local connection `name` from `engine` (or forget it, with `undefined`). */
export function setEngineForTests(engine: Engine | undefined, name = "local"): void {
  if (engine) engines().set(name, engine);
  else engines().delete(name);
}

/** Stops every engine (timers, pending writes, code sandboxes) and forgets them; the next use creates fresh ones. */
export async function closeEngine(): Promise<void> {
  const all = [...engines().values()];
  // An engine closes its own sandbox; the others (made for the connection list, never used) are closed here.
  const orphans = [...sandboxes().values()].filter((s) => !holder.__playgroundOwnedSandboxes?.has(s));
  engines().clear();
  sandboxes().clear();
  await Promise.all([...all.map((e) => e.close()), ...orphans.map((s) => s.close())]);
}
