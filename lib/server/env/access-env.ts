/**
 * Who may use this server (docs/access-control.md): the variables below are the contract;
 * lib/server/auth decides what they mean at request time.
 */
import path from "node:path";
import { z } from "zod";
import { booleanString, optional, type EnvIssue, zodIssues } from "./shared";

export const accessShape = {
  /** Serve without sign-in in production (a trusted network, a demo). */
  PLAYGROUND_PUBLIC: optional(booleanString),
  /** The shared password for sign-in. */
  PLAYGROUND_PASSWORD: optional(z.string()),
  /** Signs session cookies; derived from the password when unset (sessions then end when it changes). */
  PLAYGROUND_SESSION_SECRET: optional(z.string().min(32, "must be at least 32 characters")),
  PLAYGROUND_SESSION_HOURS: optional(
    z.coerce
      .number()
      .positive()
      .max(24 * 30),
  ),
  /** Trust Azure Static Web Apps' x-ms-client-principal header (only behind SWA). */
  PLAYGROUND_TRUST_SWA_AUTH: optional(booleanString),
  /** The SWA role a principal must have (SWA → Role management); `authenticated` would be anyone who can sign in. */
  PLAYGROUND_SWA_ROLE: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be one role name (letters, digits, _ and -)")
      .refine((v) => v.toLowerCase() !== "anonymous", 'must not be "anonymous" (that is everyone)'),
  ),
  /** The public origins this server answers as, comma-separated (Host / Origin checks). */
  PLAYGROUND_ORIGINS: optional(
    z
      .string()
      .trim()
      .refine(
        (v) =>
          v
            .split(",")
            .map((o) => o.trim())
            .filter(Boolean)
            .every(isOrigin),
        "must be comma-separated origins such as https://playground.example.com (scheme and host, no path)",
      ),
  ),
  /**
   * How many proxies in front of this server append to X-Forwarded-For (0: none, the header is the
   * client's own words). Sign-in attempts are limited per address only when this is set.
   */
  PLAYGROUND_TRUSTED_PROXY: optional(
    z.coerce
      .number()
      .int("must be a whole number of proxies (hops), e.g. 1")
      .min(0, "must be a whole number of proxies (hops), e.g. 1")
      .max(10, "must be at most 10 proxies"),
  ),
  /** Where the server keeps its own state (access tokens); default: the parent of ENGINE_DATA_DIR. */
  PLAYGROUND_DATA_DIR: optional(z.string().trim()),
};

/**
 * A custom role, not SWA's built-in `authenticated`: on Static Web Apps anyone with a GitHub or
 * Microsoft account can sign in, so only people invited with this role (or given it by a role
 * function) get in. See docs/access-control.md.
 */
export const DEFAULT_SWA_ROLE = "playground";

function isOrigin(value: string): boolean {
  try {
    const u = new URL(value);
    return (
      (u.protocol === "https:" || u.protocol === "http:") &&
      u.pathname === "/" &&
      !u.search &&
      !u.hash &&
      !u.username &&
      !u.password
    );
  } catch {
    return false;
  }
}

export interface AccessEnv {
  playgroundPublic: boolean;
  password: string | null;
  sessionSecret: string | null;
  sessionHours: number;
  trustSwaAuth: boolean;
  /** The role an SWA principal must carry (lower-case). */
  swaRole: string;
  /** Proxies that append to X-Forwarded-For in front of this server (PLAYGROUND_TRUSTED_PROXY). */
  trustedProxyHops: number;
  /** Allowed origins, e.g. ["https://playground.example.com"]; empty = this machine's loopback names only. */
  origins: string[];
  /** PLAYGROUND_DATA_DIR resolved against the working directory, or null for the default. */
  dataDir: string | null;
}

export function parseAccessEnv(source: Record<string, string | undefined>, issues: EnvIssue[]): AccessEnv {
  const parsed = z.object(accessShape).safeParse(source);
  if (!parsed.success) issues.push(...zodIssues(parsed.error));
  const e = parsed.success ? parsed.data : {};
  return {
    playgroundPublic: e.PLAYGROUND_PUBLIC ?? false,
    password: e.PLAYGROUND_PASSWORD ?? null,
    sessionSecret: e.PLAYGROUND_SESSION_SECRET ?? null,
    sessionHours: e.PLAYGROUND_SESSION_HOURS ?? 12,
    trustSwaAuth: e.PLAYGROUND_TRUST_SWA_AUTH ?? false,
    trustedProxyHops: e.PLAYGROUND_TRUSTED_PROXY ?? 0,
    swaRole: (e.PLAYGROUND_SWA_ROLE ?? DEFAULT_SWA_ROLE).toLowerCase(),
    // Normalised (lower-case host, default port dropped) so they compare with a browser's Origin.
    origins:
      e.PLAYGROUND_ORIGINS?.split(",")
        .map((o) => o.trim())
        .filter(Boolean)
        .map((o) => new URL(o).origin) ?? [],
    dataDir: e.PLAYGROUND_DATA_DIR ? path.resolve(/* turbopackIgnore: true */ e.PLAYGROUND_DATA_DIR) : null,
  };
}
