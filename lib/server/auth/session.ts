/**
 * The sign-in session: a signed, HTTP-only, SameSite=Lax cookie `v1.<expires ms>.<id>.<mac>`
 * (HMAC-SHA256 with the policy's session key). Stateless, so a sign-out also remembers the ended
 * session's id until it would have expired anyway.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "playground_session";

export interface Session {
  id: string;
  expiresAt: number;
}

// On globalThis: the root proxy.ts and the route handlers are separate bundles in one process.
const ended: Map<string, number> = ((
  globalThis as { __playgroundEndedSessions?: Map<string, number> }
).__playgroundEndedSessions ??= new Map());

function mac(key: Buffer, payload: string): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}

export function issueSession(
  key: Buffer,
  lifetimeMs: number,
  now = Date.now(),
): { value: string; session: Session } {
  const session = { id: randomBytes(16).toString("base64url"), expiresAt: now + lifetimeMs };
  const payload = `v1.${session.expiresAt}.${session.id}`;
  return { value: `${payload}.${mac(key, payload)}`, session };
}

export function verifySession(
  key: Buffer,
  value: string | undefined | null,
  now = Date.now(),
): Session | null {
  if (!value) return null;
  const parts = value.split(".");
  if (parts.length !== 4 || parts[0] !== "v1") return null;
  const [, expires, id, given] = parts as [string, string, string, string];
  if (!/^\d{1,15}$/.test(expires) || !/^[\w-]{1,64}$/.test(id)) return null;
  const expected = Buffer.from(mac(key, `v1.${expires}.${id}`));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  const expiresAt = Number(expires);
  if (expiresAt <= now || ended.has(id)) return null;
  return { id, expiresAt };
}

/** Forgets a session before its expiry (sign-out). */
export function endSession(session: Session, now = Date.now()): void {
  ended.set(session.id, session.expiresAt);
  for (const [id, expiresAt] of ended) if (expiresAt <= now) ended.delete(id);
}

/** `Secure` whenever the browser reached us over https (directly or through a TLS-terminating proxy). */
export function isHttps(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return forwarded === "https" || new URL(request.url).protocol === "https:";
}

export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

export function readCookie(request: Request, name = SESSION_COOKIE): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
