/**
 * Access control for every route: the Host check (DNS rebinding), the Origin check (CSRF), and who
 * is asking — a signed session cookie, the Azure Static Web Apps principal (only when trusted) or
 * an access token. Used by lib/server/proxy/access.ts, the root proxy.ts and app/api/playground/*.
 * No `server-only` here: the root proxy.ts bundle imports it.
 */
import { parseEnv } from "../env-schema";
import { buildPolicy, LOOPBACK_HOSTNAMES, type AccessPolicy } from "./policy";
import { readCookie, verifySession, type Session } from "./session";
import { parseClientPrincipal } from "./swa";
import { AccessTokenStore, type AccessTokenInfo } from "./tokens";

export { buildPolicy, type AccessPolicy } from "./policy";

export type Principal =
  | { kind: "public" }
  | { kind: "password"; session: Session }
  | { kind: "swa"; user: string; provider: string }
  | { kind: "token"; token: AccessTokenInfo };

export type AccessErrorCode =
  "sign_in_required" | "invalid_access_token" | "host_not_allowed" | "cross_origin_refused";

/** A refusal, in the Azure error shape, with the status the SDK maps to the right APIError. */
export class AccessDenied extends Error {
  override name = "AccessDenied";
  constructor(
    readonly status: number,
    readonly code: AccessErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function deniedResponse(err: AccessDenied): Response {
  return Response.json(
    { error: { code: err.code, message: err.message, type: "invalid_request_error", param: null } },
    {
      status: err.status,
      headers: { "cache-control": "no-store", "x-content-type-options": "nosniff" },
    },
  );
}

let cached: AccessPolicy | undefined;

/** The policy of this process's environment (parsed once; tests pass their own). */
export function getPolicy(): AccessPolicy {
  cached ??= buildPolicy(parseEnv());
  return cached;
}

export function resetPolicyForTests(): void {
  cached = undefined;
}

function hostAllowed(host: string, policy: AccessPolicy): boolean {
  const h = host.trim().toLowerCase();
  if (policy.hosts.has(h)) return true;
  const hostname = h.startsWith("[") ? h.slice(0, h.indexOf("]") + 1) : h.replace(/:\d+$/, "");
  return LOOPBACK_HOSTNAMES.has(hostname);
}

/**
 * The Host (and a forwarded host, when present) must be one this server answers as: a page on
 * another name that resolves to this server (DNS rebinding) gets nothing.
 */
export function checkHost(request: Request, policy: AccessPolicy = getPolicy()): void {
  const names = [request.headers.get("host"), request.headers.get("x-forwarded-host")?.split(",")[0]].filter(
    (h): h is string => !!h && h.trim() !== "",
  );
  for (const name of names) {
    if (!hostAllowed(name, policy)) {
      throw new AccessDenied(
        421,
        "host_not_allowed",
        "This server does not answer for the host name this request was sent to. If it is the server's public address, add its origin (e.g. https://playground.example.com) to PLAYGROUND_ORIGINS.",
      );
    }
  }
}

/**
 * CSRF: a call from a page must come from this origin — one of PLAYGROUND_ORIGINS, or the (checked)
 * Host's own. Scripts, SDKs and curl send no Origin and no Sec-Fetch-Site.
 */
export function checkOrigin(request: Request, policy: AccessPolicy = getPolicy()): void {
  const refused = () =>
    new AccessDenied(403, "cross_origin_refused", "The playground only answers pages of its own origin.");
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") throw refused();
  const origin = request.headers.get("origin");
  if (origin === null) return;
  let parsed: URL | null = null;
  try {
    parsed = new URL(origin);
  } catch {
    // `null` (sandboxed frames, file: pages) and junk match nothing.
  }
  if (!parsed || parsed.origin === "null") throw refused();
  if (policy.origins.includes(parsed.origin)) return;
  const ownHosts = [
    request.headers.get("x-forwarded-host")?.split(",")[0]?.trim(),
    request.headers.get("host"),
    new URL(request.url).host,
  ].filter(Boolean);
  if (!ownHosts.includes(parsed.host) || !hostAllowed(parsed.host, policy)) throw refused();
}

/** The access token a script sent: `api-key: <token>` (the SDK's apiKey) or `Authorization: Bearer <token>`. */
export function presentedToken(request: Request): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  return bearer ?? request.headers.get("api-key");
}

export function tokenStore(policy: AccessPolicy = getPolicy()): AccessTokenStore {
  return new AccessTokenStore(policy.dataDir);
}

/** Who is asking, without refusing: null when nobody is signed in. */
export function identify(
  request: Request,
  policy: AccessPolicy = getPolicy(),
  options: { tokens?: boolean } = {},
): Principal | null {
  if (policy.trustSwaAuth) {
    const principal = parseClientPrincipal(request.headers.get("x-ms-client-principal"), policy.swaRole);
    if (principal)
      return {
        kind: "swa",
        user: principal.userDetails || principal.userId,
        provider: principal.identityProvider,
      };
  }
  if (policy.sessionKey) {
    const session = verifySession(policy.sessionKey, readCookie(request));
    if (session) return { kind: "password", session };
  }
  if (options.tokens !== false) {
    const token = tokenStore(policy).verify(presentedToken(request));
    if (token) return { kind: "token", token };
  }
  return null;
}

export interface AuthorizeOptions {
  /** Access tokens count (APIs); false for the app's own pages and token management. */
  tokens?: boolean;
  /** Check Origin / Sec-Fetch-Site (every API call; not top-level page navigations). */
  origin?: boolean;
}

/** Host, Origin and identity checks; throws AccessDenied, else returns who is asking. */
export function authorize(
  request: Request,
  options: AuthorizeOptions = {},
  policy: AccessPolicy = getPolicy(),
): Principal {
  checkHost(request, policy);
  if (options.origin !== false) checkOrigin(request, policy);
  if (!policy.signInRequired) return { kind: "public" };
  const who = identify(request, policy, { tokens: options.tokens });
  if (who) return who;
  const presented = options.tokens !== false && presentedToken(request);
  if (presented && presented !== "unused") {
    throw new AccessDenied(
      401,
      "invalid_access_token",
      "The access token is not valid or has been revoked. Create a new one on the playground's Settings page.",
    );
  }
  throw new AccessDenied(
    401,
    "sign_in_required",
    "Sign in to the playground first (/sign-in). Scripts and notebooks send an access token from the Settings page as the api-key.",
  );
}
