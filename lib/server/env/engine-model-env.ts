/**
 * Which model runs the local engine's assistants: the scripted model (default, offline) or a
 * chat-completions driver on a real endpoint (docs/real-models.md). Used for the `ENGINE_MODEL*` variables
 * (the default `local` connection) and for the `model` field of a `local` entry in
 * PLAYGROUND_CONNECTIONS.
 */
import { z } from "zod";
import { API_VERSION_PATTERN, optional, serviceUrl, type EnvIssue, zodIssues } from "./shared";

export type ChatApi = "azure-deployment" | "azure-v1" | "openai-compatible";

export type EngineModelConfig =
  | { kind: "scripted" }
  | {
      kind: "chat-completions";
      /**
       * azure-deployment: `{endpoint}/openai/deployments/{model}/chat/completions?api-version=…`;
       * azure-v1: `{endpoint}/openai/v1/chat/completions`;
       * openai-compatible: `{endpoint}/chat/completions` (endpoint is the base URL, e.g. http://localhost:11434/v1).
       */
      api: ChatApi;
      endpoint: string;
      /** api-key (azure-*) or bearer key (openai-compatible); absent with Entra or keyless servers. */
      apiKey: string | null;
      /** Entra ID (DefaultAzureCredential, scope https://cognitiveservices.azure.com/.default); azure-* only. */
      entra: boolean;
      /** For azure-deployment. */
      apiVersion: string;
      /** Shown in the header: "Local engine — <label>". Defaults to the endpoint's host. */
      label: string | null;
    };

export const DEFAULT_CHAT_API_VERSION = "2024-10-21";

/** The JSON form (a `local` entry's `model` in PLAYGROUND_CONNECTIONS). */
export const engineModelJson = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("scripted") }).strict(),
  z
    .object({
      kind: z.literal("chat-completions"),
      api: z.enum(["azure-deployment", "azure-v1", "openai-compatible"]),
      endpoint: serviceUrl("https://myres.openai.azure.com or http://localhost:11434/v1"),
      apiKey: z.string().trim().min(1).optional(),
      /** Name of an environment variable that holds the key (keeps keys out of the JSON). */
      apiKeyEnv: z.string().trim().min(1).optional(),
      auth: z.enum(["key", "entra", "none"]).optional(),
      apiVersion: z.string().trim().regex(API_VERSION_PATTERN, "must look like 2024-10-21").optional(),
      label: z.string().trim().min(1).max(80).optional(),
    })
    .strict(),
]);

export function resolveEngineModel(
  json: z.infer<typeof engineModelJson>,
  source: Record<string, string | undefined>,
  path: string,
  issues: EnvIssue[],
): EngineModelConfig {
  if (json.kind === "scripted") return { kind: "scripted" };
  const apiKey = json.apiKey ?? (json.apiKeyEnv ? source[json.apiKeyEnv]?.trim() || null : null);
  if (json.apiKeyEnv && !apiKey)
    issues.push({ path: `${path}.apiKeyEnv`, message: `names ${json.apiKeyEnv}, which is not set` });
  const auth = json.auth ?? (apiKey ? "key" : json.api === "openai-compatible" ? "none" : "entra");
  if (auth === "entra" && json.api === "openai-compatible")
    issues.push({
      path: `${path}.auth`,
      message: 'is "entra", which only azure-deployment and azure-v1 take',
    });
  if (auth === "key" && !apiKey)
    issues.push({ path: `${path}.apiKey`, message: 'is required with auth "key" (or give apiKeyEnv)' });
  return {
    kind: "chat-completions",
    api: json.api,
    endpoint: json.endpoint,
    apiKey: auth === "key" ? apiKey : null,
    entra: auth === "entra",
    apiVersion: json.apiVersion ?? DEFAULT_CHAT_API_VERSION,
    label: json.label ?? null,
  };
}

/** The `ENGINE_MODEL*` variables: the model of the default `local` connection. */
export const engineModelShape = {
  ENGINE_MODEL: optional(z.enum(["scripted", "chat-completions"])),
  ENGINE_CHAT_API: optional(z.enum(["azure-deployment", "azure-v1", "openai-compatible"])),
  ENGINE_CHAT_ENDPOINT: optional(z.string()),
  ENGINE_CHAT_API_KEY: optional(z.string().trim()),
  ENGINE_CHAT_AUTH: optional(z.enum(["key", "entra", "none"])),
  ENGINE_CHAT_API_VERSION: optional(z.string()),
  ENGINE_CHAT_LABEL: optional(z.string()),
};

export function parseEngineModelEnv(
  source: Record<string, string | undefined>,
  issues: EnvIssue[],
): EngineModelConfig {
  const env = z.object(engineModelShape).safeParse(source);
  if (!env.success) {
    issues.push(...zodIssues(env.error));
    return { kind: "scripted" };
  }
  const e = env.data;
  if ((e.ENGINE_MODEL ?? "scripted") === "scripted") return { kind: "scripted" };
  if (!e.ENGINE_CHAT_API || !e.ENGINE_CHAT_ENDPOINT) {
    issues.push({
      path: "ENGINE_MODEL",
      message:
        "is chat-completions but ENGINE_CHAT_API and ENGINE_CHAT_ENDPOINT are not both set (e.g. ENGINE_CHAT_API=openai-compatible ENGINE_CHAT_ENDPOINT=http://localhost:11434/v1)",
    });
    return { kind: "scripted" };
  }
  const json = engineModelJson.safeParse({
    kind: "chat-completions",
    api: e.ENGINE_CHAT_API,
    endpoint: e.ENGINE_CHAT_ENDPOINT,
    ...(e.ENGINE_CHAT_API_KEY ? { apiKey: e.ENGINE_CHAT_API_KEY } : {}),
    ...(e.ENGINE_CHAT_AUTH ? { auth: e.ENGINE_CHAT_AUTH } : {}),
    ...(e.ENGINE_CHAT_API_VERSION ? { apiVersion: e.ENGINE_CHAT_API_VERSION } : {}),
    ...(e.ENGINE_CHAT_LABEL ? { label: e.ENGINE_CHAT_LABEL } : {}),
  });
  if (!json.success) {
    const names: Record<string, string> = {
      endpoint: "ENGINE_CHAT_ENDPOINT",
      apiVersion: "ENGINE_CHAT_API_VERSION",
      label: "ENGINE_CHAT_LABEL",
    };
    issues.push(
      ...zodIssues(json.error).map((i) => ({
        path: names[i.path] ?? `ENGINE_CHAT_${i.path}`,
        message: i.message,
      })),
    );
    return { kind: "scripted" };
  }
  return resolveEngineModel(json.data, source, "ENGINE_CHAT", issues);
}
