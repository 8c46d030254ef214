/**
 * The connections this server offers, from its environment:
 * - `PLAYGROUND_CONNECTIONS`: a JSON list of named connections (kinds below);
 * - the single-Azure variables of the foundation (`AZURE_OPENAI_ENDPOINT` + `AZURE_OPENAI_API_KEY`,
 *   `AZURE_OPENAI_API_VERSION`, `AZURE_OPENAI_DEPLOYMENTS`) add a connection named `azure`;
 * - the local engine as `local` (its model from `ENGINE_MODEL*`), unless the engine is off.
 * Order: PLAYGROUND_CONNECTIONS entries, then `azure`, then `local`; the default is
 * `PLAYGROUND_DEFAULT_CONNECTION` if set, else the first.
 */
import path from "node:path";
import { z } from "zod";
import { codeSandboxJson, jsonNames, resolveCodeSandbox, type CodeSandboxConfig } from "./code-sandbox-env";
import { engineModelJson, resolveEngineModel, type EngineModelConfig } from "./engine-model-env";
import {
  DEFAULT_API_VERSION as DEFAULT_AZURE_API_VERSION,
  FOUNDRY_STABLE_API_VERSIONS as FOUNDRY_API_VERSIONS,
} from "@/lib/protocol/api-versions";
import { API_VERSION_PATTERN, booleanString, optional, serviceUrl, type EnvIssue, zodIssues } from "./shared";

export { DEFAULT_AZURE_API_VERSION, FOUNDRY_API_VERSIONS };
/** The name under which a connection typed in by the user travels (`x-playground-connection: user`). */
export const USER_CONNECTION_NAME = "user";

/** From sending a request to the upstream's response headers (PLAYGROUND_UPSTREAM_TIMEOUT_MS). */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 60_000;
/** Once a response streams, the longest silence before the proxy gives up (PLAYGROUND_STREAM_IDLE_TIMEOUT_MS). */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;
const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 3_600_000;

/** How long the proxy waits on a remote upstream; a connection may set its own. */
export interface UpstreamTimeouts {
  responseTimeoutMs: number;
  streamIdleTimeoutMs: number;
}

/** Per-connection overrides of the server-wide timeouts (remote kinds only: the engine has no network). */
interface TimeoutOverrides {
  responseTimeoutMs?: number;
  streamIdleTimeoutMs?: number;
}

export type ConnectionConfig =
  | {
      name: string;
      kind: "local";
      label: string | null;
      model: EngineModelConfig;
      dataDir: string;
      /** What runs code-interpreter code; absent (configs built by hand, tests): off. */
      codeSandbox?: CodeSandboxConfig;
    }
  | (TimeoutOverrides & {
      name: string;
      kind: "azure-openai";
      label: string | null;
      /** `https://host[/path]`, without the trailing `/openai`. */
      endpoint: string;
      /** api-key, or null with Entra ID (scope https://cognitiveservices.azure.com/.default). */
      apiKey: string | null;
      apiVersion: string;
      deployments: string[];
    })
  | (TimeoutOverrides & {
      name: string;
      kind: "foundry-agents";
      label: string | null;
      /** The project endpoint: https://<res>.services.ai.azure.com/api/projects/<project>. Entra only. */
      endpoint: string;
      apiVersion: (typeof FOUNDRY_API_VERSIONS)[number];
      deployments: string[];
    })
  | (TimeoutOverrides & {
      name: string;
      kind: "openai-compatible";
      label: string | null;
      /** Base URL; requests go to `{baseURL}/assistants…` with `OpenAI-Beta: assistants=v2`. */
      baseURL: string;
      apiKey: string | null;
      deployments: string[];
    });

const name = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "must be 1–40 lowercase letters, digits or dashes, e.g. prod-eastus")
  .refine(
    (n) => n !== USER_CONNECTION_NAME,
    `"${USER_CONNECTION_NAME}" is reserved for the connection a person types in the browser`,
  );
const label = z.string().trim().min(1).max(80).optional();
const deployments = z
  .array(
    z
      .string()
      .trim()
      .regex(/^[\w.:-]+$/, "must be a deployment or model name"),
  )
  .optional();
const timeoutMs = (what: string) =>
  z
    .number({ error: `must be a number of milliseconds (${what})` })
    .int(`must be a whole number of milliseconds (${what})`)
    .min(MIN_TIMEOUT_MS, `must be at least ${MIN_TIMEOUT_MS} ms (${what})`)
    .max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS} ms, one hour (${what})`)
    .optional();
const timeoutFields = {
  responseTimeoutMs: timeoutMs("how long to wait for the upstream's response headers"),
  streamIdleTimeoutMs: timeoutMs("how long a streaming response may stay silent"),
};
const timeoutEnv = (what: string) =>
  optional(
    z.coerce
      .number({ error: `must be a number of milliseconds (${what})` })
      .int(`must be a whole number of milliseconds (${what})`)
      .min(MIN_TIMEOUT_MS, `must be at least ${MIN_TIMEOUT_MS} ms (${what})`)
      .max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS} ms, one hour (${what})`),
  );
const keyFields = {
  apiKey: z.string().trim().min(1).optional(),
  /** Name of an environment variable holding the key (keeps keys out of the JSON). */
  apiKeyEnv: z.string().trim().min(1).optional(),
};

const entryJson = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("local"),
      name,
      label,
      model: engineModelJson.optional(),
      codeSandbox: codeSandboxJson.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("azure-openai"),
      name,
      label,
      endpoint: serviceUrl("https://myres.openai.azure.com"),
      auth: z.enum(["key", "entra"]).optional(),
      ...keyFields,
      apiVersion: z
        .string()
        .trim()
        .regex(API_VERSION_PATTERN, "must look like 2024-05-01-preview")
        .optional(),
      deployments,
      ...timeoutFields,
    })
    .strict(),
  z
    .object({
      kind: z.literal("foundry-agents"),
      name,
      label,
      endpoint: serviceUrl("https://myres.services.ai.azure.com/api/projects/myproject"),
      apiVersion: z.enum(FOUNDRY_API_VERSIONS).optional(),
      deployments,
      ...timeoutFields,
    })
    .strict(),
  z
    .object({
      kind: z.literal("openai-compatible"),
      name,
      label,
      baseURL: serviceUrl("https://assistants.example.com/v1"),
      ...keyFields,
      deployments,
      ...timeoutFields,
    })
    .strict(),
]);

export const connectionsShape = {
  PLAYGROUND_CONNECTIONS: optional(z.string()),
  PLAYGROUND_DEFAULT_CONNECTION: optional(z.string().trim()),
  AZURE_OPENAI_ENDPOINT: optional(serviceUrl("https://myres.openai.azure.com")),
  AZURE_OPENAI_API_KEY: optional(z.string().trim()),
  // No Assistants endpoint lists deployments: the operator names them for the UI's suggestions.
  AZURE_OPENAI_DEPLOYMENTS: optional(
    z
      .string()
      .trim()
      .regex(
        /^[\w.-]+(\s*,\s*[\w.-]+)*$/,
        "must be a comma-separated list of deployment names, e.g. gpt-4o,gpt-4o-mini",
      ),
  ),
  AZURE_OPENAI_API_VERSION: optional(
    z
      .string()
      .trim()
      .regex(API_VERSION_PATTERN, "must look like 2024-05-01-preview (a dated Assistants api-version)"),
  ),
  PLAYGROUND_ALLOW_USER_CONNECTIONS: optional(booleanString),
  /** Extra host patterns user connections may reach, comma-separated (`*.example.com`). */
  PLAYGROUND_USER_CONNECTION_HOSTS: optional(z.string().trim()),
  PLAYGROUND_UPSTREAM_TIMEOUT_MS: timeoutEnv("how long to wait for a remote upstream's response headers"),
  PLAYGROUND_STREAM_IDLE_TIMEOUT_MS: timeoutEnv("how long a streaming response may stay silent"),
};

export interface ConnectionsEnv {
  connections: ConnectionConfig[];
  defaultConnection: string;
  userConnections: { enabled: boolean; hostPatterns: string[] };
  /** Server-wide timeouts for remote upstreams (a connection entry may override them). */
  upstreamTimeouts: UpstreamTimeouts;
}

/** Hosts a user connection may target without configuration (Azure OpenAI and Foundry). */
export const BUILTIN_USER_HOST_PATTERNS = [
  "*.openai.azure.com",
  "*.cognitiveservices.azure.com",
  "*.services.ai.azure.com",
];

function keyOf(
  entry: { apiKey?: string | undefined; apiKeyEnv?: string | undefined },
  source: Record<string, string | undefined>,
  at: string,
  issues: EnvIssue[],
): string | null {
  if (entry.apiKey) return entry.apiKey;
  if (!entry.apiKeyEnv) return null;
  const value = source[entry.apiKeyEnv]?.trim();
  if (!value) issues.push({ path: `${at}.apiKeyEnv`, message: `names ${entry.apiKeyEnv}, which is not set` });
  return value || null;
}

/** Only the overrides an entry gives (absent keys stay absent: the server-wide value applies). */
function timeoutsOf(entry: TimeoutOverrides): TimeoutOverrides {
  const out: TimeoutOverrides = {};
  if (entry.responseTimeoutMs !== undefined) out.responseTimeoutMs = entry.responseTimeoutMs;
  if (entry.streamIdleTimeoutMs !== undefined) out.streamIdleTimeoutMs = entry.streamIdleTimeoutMs;
  return out;
}

export function parseConnectionsEnv(
  source: Record<string, string | undefined>,
  engine: { dataDir: string; enabled: boolean; model: EngineModelConfig; codeSandbox: CodeSandboxConfig },
  issues: EnvIssue[],
): ConnectionsEnv {
  const parsed = z.object(connectionsShape).safeParse(source);
  if (!parsed.success) {
    issues.push(...zodIssues(parsed.error));
    return {
      connections: [],
      defaultConnection: "local",
      userConnections: { enabled: false, hostPatterns: [] },
      upstreamTimeouts: {
        responseTimeoutMs: DEFAULT_UPSTREAM_TIMEOUT_MS,
        streamIdleTimeoutMs: DEFAULT_STREAM_IDLE_TIMEOUT_MS,
      },
    };
  }
  const e = parsed.data;
  const connections: ConnectionConfig[] = [];

  if (e.PLAYGROUND_CONNECTIONS) {
    let json: unknown;
    try {
      json = JSON.parse(e.PLAYGROUND_CONNECTIONS);
    } catch {
      issues.push({
        path: "PLAYGROUND_CONNECTIONS",
        message: "is not valid JSON (expected a list of connections)",
      });
    }
    if (json !== undefined) {
      const list = z.array(entryJson).safeParse(json);
      if (!list.success) issues.push(...zodIssues(list.error, "PLAYGROUND_CONNECTIONS"));
      else
        list.data.forEach((entry, i) => {
          const at = `PLAYGROUND_CONNECTIONS[${i}]`;
          switch (entry.kind) {
            case "local":
              if (!engine.enabled) {
                issues.push({
                  path: at,
                  message: `is a local engine connection, but the local engine is off on this host (set PLAYGROUND_LOCAL_ENGINE=demo to run it as a demo that forgets)`,
                });
                return;
              }
              connections.push({
                name: entry.name,
                kind: "local",
                label: entry.label ?? null,
                model: entry.model
                  ? resolveEngineModel(entry.model, source, `${at}.model`, issues)
                  : { kind: "scripted" },
                dataDir: path.join(/* turbopackIgnore: true */ engine.dataDir, "connections", entry.name),
                codeSandbox: entry.codeSandbox
                  ? resolveCodeSandbox(entry.codeSandbox, jsonNames(`${at}.codeSandbox`), issues)
                  : engine.codeSandbox,
              });
              return;
            case "azure-openai": {
              const apiKey = keyOf(entry, source, at, issues);
              const auth = entry.auth ?? (apiKey ? "key" : "entra");
              if (auth === "key" && !apiKey)
                issues.push({
                  path: `${at}.apiKey`,
                  message: 'is required with auth "key" (or give apiKeyEnv, or use auth "entra")',
                });
              connections.push({
                name: entry.name,
                kind: "azure-openai",
                label: entry.label ?? null,
                endpoint: entry.endpoint.replace(/\/openai$/, ""),
                apiKey: auth === "key" ? apiKey : null,
                apiVersion: entry.apiVersion ?? DEFAULT_AZURE_API_VERSION,
                deployments: entry.deployments ?? [],
                ...timeoutsOf(entry),
              });
              return;
            }
            case "foundry-agents":
              connections.push({
                name: entry.name,
                kind: "foundry-agents",
                label: entry.label ?? null,
                endpoint: entry.endpoint,
                apiVersion: entry.apiVersion ?? "v1",
                deployments: entry.deployments ?? [],
                ...timeoutsOf(entry),
              });
              return;
            case "openai-compatible":
              connections.push({
                name: entry.name,
                kind: "openai-compatible",
                label: entry.label ?? null,
                baseURL: entry.baseURL,
                apiKey: keyOf(entry, source, at, issues),
                deployments: entry.deployments ?? [],
                ...timeoutsOf(entry),
              });
              return;
          }
        });
    }
  }

  if (e.AZURE_OPENAI_ENDPOINT && !e.AZURE_OPENAI_API_KEY)
    issues.push({
      path: "AZURE_OPENAI_API_KEY",
      message:
        "is not set but AZURE_OPENAI_ENDPOINT is: set both to use Azure OpenAI, or neither to serve the local engine only",
    });
  if (e.AZURE_OPENAI_API_KEY && !e.AZURE_OPENAI_ENDPOINT)
    issues.push({
      path: "AZURE_OPENAI_ENDPOINT",
      message:
        "is not set but AZURE_OPENAI_API_KEY is: set both to use Azure OpenAI, or neither to serve the local engine only",
    });
  if (e.AZURE_OPENAI_ENDPOINT && e.AZURE_OPENAI_API_KEY)
    connections.push({
      name: "azure",
      kind: "azure-openai",
      label: null,
      endpoint: e.AZURE_OPENAI_ENDPOINT.replace(/\/openai$/, ""),
      apiKey: e.AZURE_OPENAI_API_KEY,
      apiVersion: e.AZURE_OPENAI_API_VERSION ?? DEFAULT_AZURE_API_VERSION,
      deployments: e.AZURE_OPENAI_DEPLOYMENTS?.split(",").map((d) => d.trim()) ?? [],
    });

  if (engine.enabled && !connections.some((c) => c.name === "local"))
    connections.push({
      name: "local",
      kind: "local",
      label: null,
      model: engine.model,
      dataDir: engine.dataDir,
      codeSandbox: engine.codeSandbox,
    });

  const seen = new Set<string>();
  for (const c of connections) {
    if (seen.has(c.name))
      issues.push({
        path: "PLAYGROUND_CONNECTIONS",
        message: `names the connection "${c.name}" twice (the single-Azure variables take "azure", the engine "local")`,
      });
    seen.add(c.name);
  }
  if (connections.length === 0)
    issues.push({
      path: "PLAYGROUND_CONNECTIONS",
      message:
        "leaves no connection: the local engine is off on this host and no other connection is configured",
    });
  const defaultConnection = e.PLAYGROUND_DEFAULT_CONNECTION ?? connections[0]?.name ?? "local";
  if (e.PLAYGROUND_DEFAULT_CONNECTION && !seen.has(e.PLAYGROUND_DEFAULT_CONNECTION))
    issues.push({
      path: "PLAYGROUND_DEFAULT_CONNECTION",
      message: `names no configured connection (configured: ${[...seen].join(", ") || "none"})`,
    });

  return {
    connections,
    defaultConnection,
    userConnections: {
      enabled: e.PLAYGROUND_ALLOW_USER_CONNECTIONS ?? false,
      hostPatterns: [
        ...BUILTIN_USER_HOST_PATTERNS,
        ...(e.PLAYGROUND_USER_CONNECTION_HOSTS?.split(",")
          .map((p) => p.trim().toLowerCase())
          .filter(Boolean) ?? []),
      ],
    },
    upstreamTimeouts: {
      responseTimeoutMs: e.PLAYGROUND_UPSTREAM_TIMEOUT_MS ?? DEFAULT_UPSTREAM_TIMEOUT_MS,
      streamIdleTimeoutMs: e.PLAYGROUND_STREAM_IDLE_TIMEOUT_MS ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    },
  };
}
