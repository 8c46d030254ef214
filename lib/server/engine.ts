import "server-only";
import { createEngine, type Engine, type Model } from "@/lib/engine";
import { createChatCompletionsModel } from "@/lib/engine/model/chat-completions";
import { createScriptedModel } from "@/lib/engine/model/scripted";
import { ENTRA_SCOPES, getEntraToken } from "./entra";
import { getEnv } from "./env";
import type { ConnectionConfig, EngineModelConfig } from "./env-schema";

export type LocalConnectionConfig = Extract<ConnectionConfig, { kind: "local" }>;

// On globalThis so that dev-mode module reloads reuse the engines (and their data directory locks).
const holder = globalThis as typeof globalThis & { __playgroundEngines?: Map<string, Engine> };

function engines(): Map<string, Engine> {
  holder.__playgroundEngines ??= new Map();
  return holder.__playgroundEngines;
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
    engine = createEngine({ dataDir: config.dataDir, model: engineModelFor(config.model) });
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
    },
  );
}

/** Test seam: serve the local connection `name` from `engine` (or forget it, with `undefined`). */
export function setEngineForTests(engine: Engine | undefined, name = "local"): void {
  if (engine) engines().set(name, engine);
  else engines().delete(name);
}

/** Stops every engine (timers, pending writes) and forgets them; the next use creates fresh ones. */
export async function closeEngine(): Promise<void> {
  const all = [...engines().values()];
  engines().clear();
  await Promise.all(all.map((e) => e.close()));
}
