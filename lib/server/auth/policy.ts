/**
 * Who must sign in, how, and which hosts and origins this server answers as — derived once from
 * the validated environment (`getEnv().access`). Free of `server-only`: the root `proxy.ts` and the
 * start-up gate use it too.
 */
import { hkdfSync, scryptSync } from "node:crypto";
import path from "node:path";
import type { ServerEnv } from "../env-schema";

export interface AccessPolicy {
  /** Sign-in (password, SWA principal or access token) is needed for the app and its APIs. */
  signInRequired: boolean;
  /** The shared password, or null when only the platform's identity is trusted. */
  password: string | null;
  /** Signs session cookies; null without a password (no cookie sessions then). */
  sessionKey: Buffer | null;
  sessionMs: number;
  trustSwaAuth: boolean;
  /** The role an SWA principal must carry (PLAYGROUND_SWA_ROLE). */
  swaRole: string;
  /** Proxies that append to X-Forwarded-For (0: the header is not believed). */
  trustedProxyHops: number;
  /** Configured public origins, e.g. "https://playground.example.com". */
  origins: string[];
  /** Hosts (hostname[:port]) the Host header may name, beside this machine's loopback names. */
  hosts: Set<string>;
  /** Where access tokens are kept (hashed). */
  dataDir: string;
}

export const LOOPBACK_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Public origins the hosting platform announces about itself (Azure App Service, Vercel). */
export function platformOrigins(source: Record<string, string | undefined>): string[] {
  const names = [
    source.WEBSITE_HOSTNAME,
    source.VERCEL_URL,
    source.VERCEL_BRANCH_URL,
    source.VERCEL_PROJECT_PRODUCTION_URL,
  ];
  return names.filter((n): n is string => !!n && /^[a-z0-9.-]+(:\d+)?$/i.test(n)).map((n) => `https://${n}`);
}

const SESSION_SALT = "assistants-playground/session/v1";
/** scrypt's cost for a password-derived key: 32 MiB and ~0.1 s per guess, paid once per process here. */
export const SESSION_SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

// Shared by the root proxy.ts and the route handlers (separate bundles, one process): one scrypt each.
const derived: Map<string, Buffer> = ((
  globalThis as { __playgroundSessionKeys?: Map<string, Buffer> }
).__playgroundSessionKeys ??= new Map());

/**
 * The key that signs session cookies. PLAYGROUND_SESSION_SECRET is high-entropy (32+ characters), so
 * HKDF is enough. A password may not be: with a cheap derivation a stolen cookie would let anyone
 * test guesses offline at hash speed, so it goes through scrypt. Its salt is fixed, because several
 * instances must derive the same key with nothing shared but the environment.
 */
export function sessionKeyOf(secret: string | null, password: string | null): Buffer | null {
  if (secret !== null) return Buffer.from(hkdfSync("sha256", secret, SESSION_SALT, "session-cookie-mac", 32));
  if (password === null) return null;
  let key = derived.get(password);
  if (!key) {
    key = scryptSync(password, `${SESSION_SALT}/password`, 32, SESSION_SCRYPT);
    if (derived.size >= 8) derived.clear();
    derived.set(password, key);
  }
  return key;
}

export function buildPolicy(
  env: Pick<ServerEnv, "access" | "engineDataDir">,
  source: Record<string, string | undefined> = process.env,
): AccessPolicy {
  const a = env.access;
  const production = source.NODE_ENV === "production";
  // Production: always, unless declared public. Development: when a way to sign in is configured.
  const signInRequired = production ? !a.playgroundPublic : a.password !== null || a.trustSwaAuth;
  const origins = [...a.origins, ...platformOrigins(source)];
  const hosts = new Set<string>();
  for (const origin of origins) {
    try {
      hosts.add(new URL(origin).host.toLowerCase());
    } catch {
      // access-env reports malformed origins at start-up.
    }
  }
  return {
    signInRequired,
    password: a.password,
    sessionKey: sessionKeyOf(a.sessionSecret, a.password),
    sessionMs: a.sessionHours * 3600_000,
    trustSwaAuth: a.trustSwaAuth,
    swaRole: a.swaRole,
    trustedProxyHops: a.trustedProxyHops,
    origins,
    hosts,
    dataDir: a.dataDir ?? path.dirname(env.engineDataDir),
  };
}
