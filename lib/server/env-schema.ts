/**
 * The server's environment, validated. Kept free of `server-only` so that `instrumentation.ts`
 * can check it before the server takes requests; everything else imports it through ./env.
 */
import path from "node:path";
import { z } from "zod";

export const DEFAULT_AZURE_API_VERSION = "2024-05-01-preview";
export const API_VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

// Deployment tooling often writes `VAR=` for "not set"; treat it the same as absent.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

const schema = z
  .object({
    AZURE_OPENAI_ENDPOINT: optional(
      z
        .string()
        .trim()
        .refine((v) => {
          try {
            const u = new URL(v);
            return (
              // The key travels in a header: plain http only to this machine (tests, local gateways).
              (u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK.has(u.hostname))) &&
              !u.username &&
              !u.password &&
              !u.search &&
              !u.hash
            );
          } catch {
            return false;
          }
        }, "must be the resource's https URL, e.g. https://myres.openai.azure.com (http only for localhost; no credentials, query or fragment)"),
    ),
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
    ENGINE_DATA_DIR: optional(z.string().trim()),
    PLAYGROUND_PUBLIC: optional(
      z
        .string()
        .trim()
        .toLowerCase()
        .refine((v) => v === "true" || v === "false", 'must be "true" or "false"'),
    ),
    // Reserved for the connections issue; accepted and ignored for now.
    PLAYGROUND_CONNECTIONS: optional(z.string()),
  })
  .superRefine((env, ctx) => {
    if (env.AZURE_OPENAI_ENDPOINT && !env.AZURE_OPENAI_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["AZURE_OPENAI_API_KEY"],
        message:
          "is not set but AZURE_OPENAI_ENDPOINT is: set both to use Azure OpenAI, or neither to serve the local engine only",
      });
    }
    if (env.AZURE_OPENAI_API_KEY && !env.AZURE_OPENAI_ENDPOINT) {
      ctx.addIssue({
        code: "custom",
        path: ["AZURE_OPENAI_ENDPOINT"],
        message:
          "is not set but AZURE_OPENAI_API_KEY is: set both to use Azure OpenAI, or neither to serve the local engine only",
      });
    }
  });

export interface ServerEnv {
  azure: { endpoint: string; apiKey: string; apiVersion: string; deployments: string[] } | null;
  engineDataDir: string;
  playgroundPublic: boolean;
}

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses the environment; throws an EnvError whose message says what to change. Never echoes values. */
export function parseEnv(
  source: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): ServerEnv {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  - ${issue.path.join(".") || "environment"} ${issue.message}`,
    );
    throw new EnvError(`Invalid server environment:\n${lines.join("\n")}`);
  }
  const env = result.data;
  return {
    azure:
      env.AZURE_OPENAI_ENDPOINT && env.AZURE_OPENAI_API_KEY
        ? {
            endpoint: env.AZURE_OPENAI_ENDPOINT.replace(/\/+$/, "").replace(/\/openai$/, ""),
            apiKey: env.AZURE_OPENAI_API_KEY,
            apiVersion: env.AZURE_OPENAI_API_VERSION ?? DEFAULT_AZURE_API_VERSION,
            deployments: env.AZURE_OPENAI_DEPLOYMENTS?.split(",").map((d) => d.trim()) ?? [],
          }
        : null,
    engineDataDir: path.resolve(cwd, env.ENGINE_DATA_DIR ?? path.join(".data", "engine")),
    playgroundPublic: env.PLAYGROUND_PUBLIC === "true",
  };
}
