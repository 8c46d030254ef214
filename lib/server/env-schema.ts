/**
 * The server's environment, validated. Kept free of `server-only` so that `instrumentation.ts`
 * can check it before the server takes requests; everything else imports it through ./env.
 *
 * Each concern parses its own variables (./env/*-env.ts); this file composes them and reports
 * every problem at once, naming the variable and never echoing its value.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseAccessEnv, type AccessEnv } from "./env/access-env";
import { parseConnectionsEnv, type ConnectionConfig, type UpstreamTimeouts } from "./env/connections-env";
import { parseCodeSandboxEnv, type CodeSandboxConfig } from "./env/code-sandbox-env";
import { parseEngineModelEnv } from "./env/engine-model-env";
import { optional, type EnvIssue, zodIssues } from "./env/shared";

export { API_VERSION_PATTERN } from "./env/shared";
export { DEFAULT_AZURE_API_VERSION, type ConnectionConfig } from "./env/connections-env";
export type { AccessEnv } from "./env/access-env";
export type { EngineModelConfig } from "./env/engine-model-env";
export type { CodeSandboxConfig } from "./env/code-sandbox-env";

/** Hosts where a process lives for one request at most: the engine's disk state would not survive. */
export function detectServerless(source: Record<string, string | undefined>): string | null {
  if (source.VERCEL) return "Vercel";
  if (source.AWS_LAMBDA_FUNCTION_NAME) return "AWS Lambda";
  if (source.NETLIFY) return "Netlify";
  return null;
}

/**
 * The demo engine's data directory, inside a directory made once per process by mkdtemp: mode 0700
 * and a name nobody can guess, so another local user can neither pre-create it (a fixed /tmp path
 * could be theirs) nor read the engine's data or access-tokens.json, which is kept beside it.
 */
export function demoEngineDataDir(): string {
  const holder = globalThis as { __playgroundDemoDir?: string };
  holder.__playgroundDemoDir ??= mkdtempSync(
    path.join(/* turbopackIgnore: true */ os.tmpdir(), "playground-"),
  );
  const dir = path.join(/* turbopackIgnore: true */ holder.__playgroundDemoDir, "playground-demo-engine");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Vercel refuses request bodies over 4.5 MB; uploads above it must be stopped before sending. */
export const VERCEL_BODY_LIMIT_BYTES = 4.5 * 1024 * 1024;

const deployShape = {
  ENGINE_DATA_DIR: optional(z.string().trim()),
  /** on (default on servers) | off (default on serverless hosts) | demo (on, in a temporary directory that is forgotten). */
  PLAYGROUND_LOCAL_ENGINE: optional(z.enum(["on", "off", "demo"])),
  /** The host's request-body cap in bytes (Vercel: 4.5 MB, set automatically there). */
  PLAYGROUND_MAX_REQUEST_BYTES: optional(z.coerce.number().int().positive()),
};

export interface ServerEnv {
  connections: ConnectionConfig[];
  /** Name of the connection a request without `x-playground-connection` uses. */
  defaultConnection: string;
  userConnections: { enabled: boolean; hostPatterns: string[] };
  /** Server-wide upstream timeouts (connections may override them). */
  upstreamTimeouts: UpstreamTimeouts;
  /** The default local engine's data directory (other `local` connections use sub-directories). */
  engineDataDir: string;
  /** ENGINE_CODE_SANDBOX*: the code sandbox of local connections that do not set their own. */
  engineCodeSandbox: CodeSandboxConfig;
  localEngine: "on" | "off" | "demo";
  /** "Vercel", "AWS Lambda", … when the host is serverless; null on a long-lived server. */
  serverless: string | null;
  /** The host's request-body cap, or null when uploads are limited only by the protocol (512 MB). */
  maxRequestBytes: number | null;
  access: AccessEnv;
  /** Same as access.playgroundPublic (kept for the start-up gate). */
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
  const issues: EnvIssue[] = [];
  const deploy = z.object(deployShape).safeParse(source);
  if (!deploy.success) issues.push(...zodIssues(deploy.error));
  const d = deploy.success ? deploy.data : {};
  const serverless = detectServerless(source);
  const localEngine = d.PLAYGROUND_LOCAL_ENGINE ?? (serverless ? "off" : "on");
  const engineDataDir =
    localEngine === "demo" && !d.ENGINE_DATA_DIR
      ? demoEngineDataDir()
      : path.resolve(/* turbopackIgnore: true */ cwd, d.ENGINE_DATA_DIR ?? path.join(".data", "engine"));

  const model = parseEngineModelEnv(source, issues);
  const codeSandbox = parseCodeSandboxEnv(source, issues);
  const connections = parseConnectionsEnv(
    source,
    { dataDir: engineDataDir, enabled: localEngine !== "off", model, codeSandbox },
    issues,
  );
  const access = parseAccessEnv(source, issues);

  if (issues.length > 0) {
    const lines = issues.map((i) => `  - ${i.path || "environment"} ${i.message}`);
    throw new EnvError(`Invalid server environment:\n${lines.join("\n")}`);
  }
  return {
    ...connections,
    engineDataDir,
    engineCodeSandbox: codeSandbox,
    localEngine,
    serverless,
    maxRequestBytes: d.PLAYGROUND_MAX_REQUEST_BYTES ?? (source.VERCEL ? VERCEL_BODY_LIMIT_BYTES : null),
    access,
    playgroundPublic: access.playgroundPublic,
  };
}
