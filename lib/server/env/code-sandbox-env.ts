/**
 * What runs the local engine's code-interpreter code (lib/engine/sandbox): the `ENGINE_CODE_SANDBOX*`
 * variables (every local connection without its own setting) and the `codeSandbox` field of a
 * `local` entry in PLAYGROUND_CONNECTIONS (which replaces them for that connection).
 */
import path from "node:path";
import { z } from "zod";
import { booleanString, optional, serviceUrl, type EnvIssue, zodIssues } from "./shared";

export type CodeSandboxBackend = "auto" | "python" | "azure-sessions" | "off";

export interface CodeSandboxConfig {
  /**
   * auto: Azure sessions when a pool endpoint is given, else the local Python where it can run
   * isolated, else off (with the reason). `off`: code interpreter cannot run on this connection.
   */
  backend: CodeSandboxBackend;
  /** The local backend's interpreter (needs numpy, pandas, matplotlib); null: /usr/bin/python3. */
  pythonPath: string | null;
  /** Wall time of one execution; null: the backend's default (60 s local, 220 s Azure). */
  timeoutSeconds: number | null;
  /** Address space of the local kernel; null: the backend's default (2 GiB). */
  memoryMb: number | null;
  /** A thread's session (its variables and /mnt/data) ends after this long unused. */
  idleMinutes: number;
  /** The local backend without bubblewrap: code runs as the server's user (opt-in, warned about). */
  unsafeNoIsolation: boolean;
  /** Azure Container Apps session pool management endpoint (azure-sessions). */
  poolEndpoint: string | null;
}

export const DEFAULT_SANDBOX_IDLE_MINUTES = 60;
/** The session pool's own per-execution maximum. */
export const AZURE_SESSIONS_MAX_TIMEOUT_SECONDS = 220;
const MAX_TIMEOUT_SECONDS = 3600;
const MIN_MEMORY_MB = 256;
const MAX_MEMORY_MB = 65_536;
const MAX_IDLE_MINUTES = 24 * 60;

export const SANDBOX_OFF: CodeSandboxConfig = {
  backend: "off",
  pythonPath: null,
  timeoutSeconds: null,
  memoryMb: null,
  idleMinutes: DEFAULT_SANDBOX_IDLE_MINUTES,
  unsafeNoIsolation: false,
  poolEndpoint: null,
};

const POOL_EXAMPLE =
  "https://westeurope.dynamicsessions.io/subscriptions/<sub>/resourceGroups/<rg>/sessionPools/<pool>";

const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number({ error: `must be a number (${what})` })
    .int(`must be a whole number (${what})`)
    .min(min, `must be at least ${min} (${what})`)
    .max(max, `must be at most ${max} (${what})`);

const fields = {
  timeoutSeconds: wholeNumber("seconds one execution may run", 1, MAX_TIMEOUT_SECONDS),
  memoryMb: wholeNumber("megabytes of memory for the Python process", MIN_MEMORY_MB, MAX_MEMORY_MB),
  idleMinutes: wholeNumber("minutes before an unused session ends", 1, MAX_IDLE_MINUTES),
  pythonPath: z
    .string()
    .trim()
    .refine((p) => path.isAbsolute(p), "must be an absolute path to a python3, e.g. /usr/bin/python3"),
  poolEndpoint: serviceUrl(POOL_EXAMPLE),
};

/** The JSON form (a `local` entry's `codeSandbox` in PLAYGROUND_CONNECTIONS). */
export const codeSandboxJson = z
  .object({
    backend: z.enum(["auto", "python", "azure-sessions", "off"]),
    python: fields.pythonPath.optional(),
    timeoutSeconds: fields.timeoutSeconds.optional(),
    memoryMb: fields.memoryMb.optional(),
    idleMinutes: fields.idleMinutes.optional(),
    unsafeNoIsolation: z.boolean().optional(),
    poolEndpoint: fields.poolEndpoint.optional(),
  })
  .strict();

/** Cross-field rules shared by both forms; `names` maps a field to what the person wrote. */
export function resolveCodeSandbox(
  json: z.infer<typeof codeSandboxJson>,
  names: Record<
    "backend" | "python" | "memoryMb" | "timeoutSeconds" | "unsafeNoIsolation" | "poolEndpoint",
    string
  >,
  issues: EnvIssue[],
): CodeSandboxConfig {
  const backend = json.backend;
  const config: CodeSandboxConfig = {
    backend,
    pythonPath: json.python ?? null,
    timeoutSeconds: json.timeoutSeconds ?? null,
    memoryMb: json.memoryMb ?? null,
    idleMinutes: json.idleMinutes ?? DEFAULT_SANDBOX_IDLE_MINUTES,
    unsafeNoIsolation: json.unsafeNoIsolation ?? false,
    poolEndpoint: json.poolEndpoint ?? null,
  };
  if (backend === "azure-sessions" && !config.poolEndpoint)
    issues.push({
      path: names.poolEndpoint,
      message: `is required with ${names.backend}=azure-sessions (the pool's management endpoint, e.g. ${POOL_EXAMPLE})`,
    });
  if (config.poolEndpoint && (backend === "python" || backend === "off"))
    issues.push({ path: names.poolEndpoint, message: `is set but ${names.backend} is ${backend}` });
  const azure = backend === "azure-sessions" || (backend === "auto" && config.poolEndpoint !== null);
  if (config.unsafeNoIsolation && backend !== "python")
    issues.push({
      path: names.unsafeNoIsolation,
      message: `only applies with ${names.backend}=python (running code without isolation is never chosen automatically)`,
    });
  if (azure && config.pythonPath)
    issues.push({ path: names.python, message: "applies to the local Python backend, not azure-sessions" });
  if (azure && config.memoryMb !== null)
    issues.push({
      path: names.memoryMb,
      message: "applies to the local Python backend; a session pool's memory is a pool setting",
    });
  if (azure && config.timeoutSeconds !== null && config.timeoutSeconds > AZURE_SESSIONS_MAX_TIMEOUT_SECONDS)
    issues.push({
      path: names.timeoutSeconds,
      message: `must be at most ${AZURE_SESSIONS_MAX_TIMEOUT_SECONDS} with azure-sessions (the pool's own limit)`,
    });
  return config;
}

const integerEnv = (schema: z.ZodNumber) =>
  optional(
    z
      .string()
      .trim()
      .refine((v) => /^\d+$/.test(v), "must be a whole number")
      .transform(Number)
      .pipe(schema),
  );

export const codeSandboxShape = {
  ENGINE_CODE_SANDBOX: optional(z.enum(["auto", "python", "azure-sessions", "off"])),
  ENGINE_CODE_SANDBOX_PYTHON: optional(fields.pythonPath),
  ENGINE_CODE_SANDBOX_TIMEOUT_SECONDS: integerEnv(fields.timeoutSeconds),
  ENGINE_CODE_SANDBOX_MEMORY_MB: integerEnv(fields.memoryMb),
  ENGINE_CODE_SANDBOX_IDLE_MINUTES: integerEnv(fields.idleMinutes),
  ENGINE_CODE_SANDBOX_UNSAFE_NO_ISOLATION: optional(booleanString),
  ENGINE_CODE_SANDBOX_POOL_ENDPOINT: optional(fields.poolEndpoint),
};

const ENV_NAMES = {
  backend: "ENGINE_CODE_SANDBOX",
  python: "ENGINE_CODE_SANDBOX_PYTHON",
  memoryMb: "ENGINE_CODE_SANDBOX_MEMORY_MB",
  timeoutSeconds: "ENGINE_CODE_SANDBOX_TIMEOUT_SECONDS",
  unsafeNoIsolation: "ENGINE_CODE_SANDBOX_UNSAFE_NO_ISOLATION",
  poolEndpoint: "ENGINE_CODE_SANDBOX_POOL_ENDPOINT",
};

/** The `ENGINE_CODE_SANDBOX*` variables: the sandbox of every local connection without its own. */
export function parseCodeSandboxEnv(
  source: Record<string, string | undefined>,
  issues: EnvIssue[],
): CodeSandboxConfig {
  const env = z.object(codeSandboxShape).safeParse(source);
  if (!env.success) {
    issues.push(...zodIssues(env.error));
    return SANDBOX_OFF;
  }
  const e = env.data;
  return resolveCodeSandbox(
    {
      backend: e.ENGINE_CODE_SANDBOX ?? "auto",
      ...(e.ENGINE_CODE_SANDBOX_PYTHON ? { python: e.ENGINE_CODE_SANDBOX_PYTHON } : {}),
      ...(e.ENGINE_CODE_SANDBOX_TIMEOUT_SECONDS !== undefined
        ? { timeoutSeconds: e.ENGINE_CODE_SANDBOX_TIMEOUT_SECONDS }
        : {}),
      ...(e.ENGINE_CODE_SANDBOX_MEMORY_MB !== undefined ? { memoryMb: e.ENGINE_CODE_SANDBOX_MEMORY_MB } : {}),
      ...(e.ENGINE_CODE_SANDBOX_IDLE_MINUTES !== undefined
        ? { idleMinutes: e.ENGINE_CODE_SANDBOX_IDLE_MINUTES }
        : {}),
      ...(e.ENGINE_CODE_SANDBOX_UNSAFE_NO_ISOLATION !== undefined
        ? { unsafeNoIsolation: e.ENGINE_CODE_SANDBOX_UNSAFE_NO_ISOLATION }
        : {}),
      ...(e.ENGINE_CODE_SANDBOX_POOL_ENDPOINT ? { poolEndpoint: e.ENGINE_CODE_SANDBOX_POOL_ENDPOINT } : {}),
    },
    ENV_NAMES,
    issues,
  );
}

/** The JSON entry's field names, for issues: `PLAYGROUND_CONNECTIONS[2].codeSandbox.poolEndpoint`. */
export function jsonNames(at: string): Parameters<typeof resolveCodeSandbox>[1] {
  return {
    backend: `${at}.backend`,
    python: `${at}.python`,
    memoryMb: `${at}.memoryMb`,
    timeoutSeconds: `${at}.timeoutSeconds`,
    unsafeNoIsolation: `${at}.unsafeNoIsolation`,
    poolEndpoint: `${at}.poolEndpoint`,
  };
}
