/**
 * Helpers shared by the environment sections (./*-env.ts). Free of `server-only`: the start-up
 * gate in instrumentation.ts parses the environment before the server takes requests.
 */
import { z } from "zod";

export const API_VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
export const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Deployment tooling often writes `VAR=` for "not set"; treat it the same as absent. */
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

export const booleanString = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => v === "true" || v === "false", 'must be "true" or "false"')
  .transform((v) => v === "true");

/**
 * An endpoint a key or token is sent to: https, or plain http to this machine only (tests, local
 * gateways, Ollama). No credentials, query or fragment in it.
 */
export function isServiceUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (
      (u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK_HOSTS.has(u.hostname))) &&
      !u.username &&
      !u.password &&
      !u.search &&
      !u.hash
    );
  } catch {
    return false;
  }
}

export const serviceUrl = (example: string) =>
  z
    .string()
    .trim()
    .refine(
      isServiceUrl,
      `must be an https URL, e.g. ${example} (http only for localhost; no credentials, query or fragment)`,
    )
    .transform((v) => v.replace(/\/+$/, ""));

/** One problem with the environment, phrased so a person knows what to change. Never holds a value. */
export interface EnvIssue {
  /** The variable, or `VARIABLE[2].field` inside a JSON variable. */
  path: string;
  message: string;
}

export function zodIssues(error: z.ZodError, prefix = ""): EnvIssue[] {
  return error.issues.map((issue) => ({
    path: `${prefix}${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`.replace(
      /^\./,
      "",
    ),
    message: issue.message,
  }));
}
