import { queryOptions } from "@tanstack/react-query";
import { PlaygroundHttpError } from "@/lib/client/errors";

/** GET /api/playground/auth/session */
export interface SessionInfo {
  sign_in_required: boolean;
  password_sign_in: boolean;
  swa_sign_in: boolean;
  signed_in: boolean;
  method: "public" | "password" | "swa" | null;
  user: string | null;
  expires_at: number | null;
}

export interface AccessToken {
  id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

/** The playground's own endpoints answer failures in the Azure error shape; retry-after travels along. */
export class AuthHttpError extends PlaygroundHttpError {
  constructor(
    status: number,
    code: string | null,
    message: string,
    readonly param: string | null,
    readonly retryAfter: number | null,
  ) {
    super(status, code, message);
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`/api/playground/auth/${path}`, {
    ...init,
    headers: init.body ? { "content-type": "application/json" } : undefined,
    credentials: "same-origin",
    cache: "no-store",
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const base = PlaygroundHttpError.fromBody(response.status, body);
    const param = (body as { error?: { param?: unknown } } | null)?.error?.param;
    const retry = Number(response.headers.get("retry-after"));
    throw new AuthHttpError(
      base.status,
      base.code,
      base.message,
      typeof param === "string" ? param : null,
      Number.isFinite(retry) && retry > 0 ? retry : null,
    );
  }
  return body as T;
}

export const authKeys = {
  all: ["playground-auth"] as const,
  session: () => [...authKeys.all, "session"] as const,
  tokens: () => [...authKeys.all, "tokens"] as const,
};

export const sessionQuery = () =>
  queryOptions({
    queryKey: authKeys.session(),
    queryFn: () => call<SessionInfo>("session"),
    // Notices an expired session while the page stays open.
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
    staleTime: 30_000,
  });

export const tokensQuery = () =>
  queryOptions({
    queryKey: authKeys.tokens(),
    queryFn: async () => (await call<{ data: AccessToken[] }>("tokens")).data,
  });

export const signIn = (password: string, next: string) =>
  call<{ next: string }>("sign-in", { method: "POST", body: JSON.stringify({ password, next }) });

export const signOut = () => call<unknown>("sign-out", { method: "POST" });

export const createToken = (name: string) =>
  call<AccessToken & { token: string }>("tokens", { method: "POST", body: JSON.stringify({ name }) });

export const revokeToken = (id: string) =>
  call<unknown>(`tokens/${encodeURIComponent(id)}`, { method: "DELETE" });
