/** Loads the proxy route, the auth routes and the root proxy.ts with a given access environment. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, vi } from "vitest";

export const DATA_DIR = mkdtempSync(path.join(tmpdir(), "auth-test-"));
afterAll(async () => {
  await (await import("@/lib/server/engine")).closeEngine();
  rmSync(DATA_DIR, { recursive: true, force: true });
});

export const PASSWORD = "e2e-correct-horse-battery-staple";
export const ORIGIN = "http://127.0.0.1:3000";
export const HOST = "127.0.0.1:3000";

const KEYS = [
  "NODE_ENV",
  "AZURE_OPENAI_ENDPOINT",
  "AZURE_OPENAI_API_KEY",
  "PLAYGROUND_CONNECTIONS",
  "PLAYGROUND_PUBLIC",
  "PLAYGROUND_PASSWORD",
  "PLAYGROUND_SESSION_SECRET",
  "PLAYGROUND_SESSION_HOURS",
  "PLAYGROUND_TRUST_SWA_AUTH",
  "PLAYGROUND_SWA_ROLE",
  "PLAYGROUND_TRUSTED_PROXY",
  "PLAYGROUND_ORIGINS",
  "PLAYGROUND_DATA_DIR",
  "ENGINE_DATA_DIR",
  "WEBSITE_HOSTNAME",
  "VERCEL_URL",
  "VERCEL_BRANCH_URL",
  "VERCEL_PROJECT_PRODUCTION_URL",
] as const;

export type Env = Partial<Record<(typeof KEYS)[number], string>>;

export async function load(env: Env) {
  await (await import("@/lib/server/engine")).closeEngine();
  vi.unstubAllEnvs();
  for (const key of KEYS) vi.stubEnv(key, env[key] ?? "");
  vi.stubEnv("NODE_ENV", env.NODE_ENV ?? "production");
  if (!env.ENGINE_DATA_DIR) vi.stubEnv("ENGINE_DATA_DIR", path.join(DATA_DIR, "engine"));
  vi.resetModules();
  // The sign-in limiter lives on globalThis (it must outlive module reloads): a fresh one per load.
  delete (globalThis as { __playgroundSignInLimiter?: unknown }).__playgroundSignInLimiter;
  return {
    openai: await import("@/app/api/openai/[...path]/route"),
    signIn: await import("@/app/api/playground/auth/sign-in/route"),
    signOut: await import("@/app/api/playground/auth/sign-out/route"),
    session: await import("@/app/api/playground/auth/session/route"),
    tokens: await import("@/app/api/playground/auth/tokens/route"),
    token: await import("@/app/api/playground/auth/tokens/[id]/route"),
    rootProxy: await import("@/proxy"),
  };
}

export type Routes = Awaited<ReturnType<typeof load>>;

/** A browser-like request to this server: Host always; Origin on unsafe methods unless given. */
export function browser(
  pathAndQuery: string,
  init: RequestInit & { cookie?: string | null; origin?: string | null; host?: string } = {},
): Request {
  const { cookie, origin, host, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set("host", host ?? HOST);
  const method = (rest.method ?? "GET").toUpperCase();
  const o = origin === undefined ? (method === "GET" ? null : ORIGIN) : origin;
  if (o) headers.set("origin", o);
  if (cookie) headers.set("cookie", cookie);
  if (rest.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  return new Request(`${ORIGIN}${pathAndQuery}`, { ...rest, headers });
}

export function proxyCall(
  routes: Routes,
  method: "GET" | "POST" | "DELETE",
  apiPath: string,
  request: Request,
) {
  const segments = apiPath.split("?")[0]!.split("/");
  return routes.openai[method](request, { params: Promise.resolve({ path: segments }) });
}

/** Signs in; returns the cookie pair to send back (`name=value`). */
export async function signedInCookie(routes: Routes, password = PASSWORD): Promise<string> {
  const response = await routes.signIn.POST(
    browser("/api/playground/auth/sign-in", { method: "POST", body: JSON.stringify({ password }) }),
  );
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

/** A fetch for the SDK: `<base>/api/openai/...` requests handed to the route handler as Next would. */
export function proxyFetch(routes: Routes, extraHeaders: Record<string, string> = {}) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const rest = url.pathname.replace(/^\/(api\/)?openai\/?/, "");
    const headers = new Headers(request.headers);
    headers.set("host", HOST);
    for (const [k, v] of Object.entries(extraHeaders)) headers.set(k, v);
    const body =
      request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    const forwarded = new Request(`${ORIGIN}/api/openai/${rest}${url.search}`, {
      method: request.method,
      headers,
      body,
    });
    const method = request.method as "GET" | "POST" | "DELETE";
    return routes.openai[method](forwarded, {
      params: Promise.resolve({ path: rest.split("/").map((s) => decodeURIComponent(s)) }),
    });
  };
}
