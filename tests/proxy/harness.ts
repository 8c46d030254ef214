/** Loads the route handlers with a given environment, fresh, and calls them the way Next does. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, vi } from "vitest";

/** One fresh engine data directory per test file; never the project's own `.data`. */
export const TEST_DATA_DIR = mkdtempSync(path.join(tmpdir(), "proxy-test-engine-"));
afterAll(async () => {
  await (await import("@/lib/server/engine")).closeEngine();
  rmSync(TEST_DATA_DIR, { recursive: true, force: true });
});

export type RouteModule = typeof import("@/app/api/openai/[...path]/route");
export type Method = "GET" | "POST" | "DELETE" | "PUT" | "PATCH" | "HEAD" | "OPTIONS";

export const SERVER_KEY = "server-secret-key-0123456789abcdef";
export const ORIGIN = "http://app.test";

const ENV_KEYS = [
  "AZURE_OPENAI_ENDPOINT",
  "AZURE_OPENAI_API_KEY",
  "AZURE_OPENAI_API_VERSION",
  "ENGINE_DATA_DIR",
  "PLAYGROUND_PUBLIC",
  "PLAYGROUND_CONNECTIONS",
  "PLAYGROUND_DEFAULT_CONNECTION",
  "PLAYGROUND_ALLOW_USER_CONNECTIONS",
  "PLAYGROUND_USER_CONNECTION_HOSTS",
  "PLAYGROUND_ORIGINS",
] as const;

/** Sets the env (everything else of ours unset), resets module state, imports the modules anew. */
export async function loadRoute(env: Partial<Record<(typeof ENV_KEYS)[number], string>>) {
  // The engine singleton outlives module resets (it sits on globalThis): close it first.
  await (await import("@/lib/server/engine")).closeEngine();
  vi.unstubAllEnvs();
  for (const key of ENV_KEYS) vi.stubEnv(key, env[key] ?? "");
  if (!env.ENGINE_DATA_DIR) vi.stubEnv("ENGINE_DATA_DIR", TEST_DATA_DIR);
  // The test requests come from this origin; the access check knows it as the server's own.
  if (env.PLAYGROUND_ORIGINS === undefined)
    vi.stubEnv("PLAYGROUND_ORIGINS", `${ORIGIN},https://playground.example`);
  vi.resetModules();
  const route = await import("@/app/api/openai/[...path]/route");
  const engineModule = await import("@/lib/server/engine");
  const connectionsRoute = await import("@/app/api/playground/connections/route");
  return { route, engineModule, connectionsRoute };
}

/** Next's catch-all params: the URL path after /api/openai/, split and percent-decoded. */
export function segmentsOf(url: string): string[] {
  const rest = new URL(url).pathname.replace(/^\/api\/openai\/?/, "");
  return rest === "" ? [] : rest.split("/").map((s) => decodeURIComponent(s));
}

export interface CallOptions extends RequestInit {
  /** Overrides the params Next would pass (for paths a URL parser would normalise away). */
  segments?: string[];
  duplex?: "half";
}

export function call(
  route: RouteModule,
  method: Method,
  pathAndQuery: string,
  init: CallOptions = {},
): Promise<Response> {
  const url = `${ORIGIN}/api/openai/${pathAndQuery}`;
  const { segments, ...rest } = init;
  const request = new Request(url, { method, ...rest });
  const context = { params: Promise.resolve({ path: segments ?? segmentsOf(url) }) };
  const handler = route[method] as (req: Request, ctx: typeof context) => Response | Promise<Response>;
  return Promise.resolve(handler(request, context));
}

export async function json(response: Response): Promise<unknown> {
  return JSON.parse(await response.text()) as unknown;
}

/** A fetch that hands each request to the route handlers, as the Next server would. */
export function routeFetch(
  route: RouteModule,
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    const request = new Request(input, init);
    const method = request.method as Method;
    const context = { params: Promise.resolve({ path: segmentsOf(request.url) }) };
    const handler = route[method] as (req: Request, ctx: typeof context) => Response | Promise<Response>;
    return Promise.resolve(handler(request, context));
  };
}
