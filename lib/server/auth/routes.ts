/**
 * The handlers behind app/api/playground/auth/*: sign-in, sign-out, the session, access tokens.
 * Route files call one of these and return its Response.
 */
import {
  AccessDenied,
  authorize,
  checkHost,
  checkOrigin,
  deniedResponse,
  getPolicy,
  identify,
  tokenStore,
} from ".";
import { passwordMatches } from "./password";
import type { AccessPolicy } from "./policy";
import { clientAddress, SignInLimiter } from "./rate-limit";
import { endSession, isHttps, issueSession, readCookie, sessionCookie, verifySession } from "./session";

const limiter: SignInLimiter = ((
  globalThis as { __playgroundSignInLimiter?: SignInLimiter }
).__playgroundSignInLimiter ??= new SignInLimiter());

const NO_STORE = { "cache-control": "no-store" };

function fail(status: number, code: string, message: string, param: string | null = null, headers = {}) {
  return Response.json(
    { error: { code, message, type: "invalid_request_error", param } },
    { status, headers: { ...NO_STORE, ...headers } },
  );
}

function guard(run: () => Response | Promise<Response>): Promise<Response> {
  return Promise.resolve()
    .then(run)
    .catch((err: unknown) => {
      if (err instanceof AccessDenied) return deniedResponse(err);
      throw err;
    });
}

/** Only same-site paths: `/x?y`, never `//evil` or `/\evil`. */
export function safeNext(value: unknown): string {
  return typeof value === "string" && /^\/(?![/\\])[^\s]*$/.test(value) && !value.startsWith("/api/")
    ? value
    : "/";
}

class TooLarge extends Error {}
const SIGN_IN_BODY_BYTES = 8 * 1024;

/** The body as text, refused past a few KB without reading the rest (a password is short). */
async function smallBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > SIGN_IN_BODY_BYTES) throw new TooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > SIGN_IN_BODY_BYTES) {
      void reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** POST {password, next?} → sets the session cookie. Wrong passwords are counted and limited. */
export function signIn(
  request: Request,
  policy: AccessPolicy = getPolicy(),
  now = Date.now(),
): Promise<Response> {
  return guard(async () => {
    checkHost(request, policy);
    checkOrigin(request, policy);
    if (!policy.password || !policy.sessionKey) {
      return fail(
        404,
        "password_sign_in_off",
        policy.trustSwaAuth
          ? "This server signs people in through Azure Static Web Apps: go to /.auth/login/aad."
          : "Password sign-in is not configured on this server (PLAYGROUND_PASSWORD is not set).",
      );
    }
    const client = clientAddress(request, policy.trustedProxyHops);
    const wait = limiter.retryAfter(client, now);
    if (wait > 0) {
      return fail(429, "too_many_attempts", `Too many wrong passwords. Try again in ${wait} s.`, "password", {
        "retry-after": String(wait),
      });
    }
    const slow = limiter.slowdownMs(now);
    if (slow > 0) {
      if (!limiter.hold()) {
        return fail(
          503,
          "sign_in_busy",
          "Too many sign-in attempts right now. Try again in a few seconds.",
          null,
          {
            "retry-after": String(Math.ceil(slow / 1000)),
          },
        );
      }
      try {
        await new Promise((r) => setTimeout(r, slow));
      } finally {
        limiter.release();
      }
    }
    let body: { password?: unknown; next?: unknown } = {};
    try {
      body = JSON.parse(await smallBody(request)) as typeof body;
    } catch (err) {
      if (err instanceof TooLarge) return fail(413, "request_too_large", "The sign-in request is too large.");
      return fail(400, "invalid_request_body", 'Send a JSON body: {"password": "…"}.');
    }
    if (body === null || typeof body !== "object") body = {};
    if (typeof body.password !== "string" || body.password === "")
      return fail(400, "password_required", "Enter the password.", "password");
    if (body.password.length > 1024 || !passwordMatches(body.password, policy.password)) {
      limiter.fail(client, now);
      const after = limiter.retryAfter(client, now);
      return fail(
        401,
        "invalid_password",
        after > 0 ? `Wrong password. Too many attempts: try again in ${after} s.` : "Wrong password.",
        "password",
        after > 0 ? { "retry-after": String(after) } : {},
      );
    }
    limiter.succeed(client);
    const { value, session } = issueSession(policy.sessionKey, policy.sessionMs, now);
    return Response.json(
      { signed_in: true, expires_at: Math.floor(session.expiresAt / 1000), next: safeNext(body.next) },
      {
        headers: {
          ...NO_STORE,
          "set-cookie": sessionCookie(value, policy.sessionMs / 1000, isHttps(request)),
        },
      },
    );
  });
}

export function signOut(request: Request, policy: AccessPolicy = getPolicy()): Promise<Response> {
  return guard(() => {
    checkHost(request, policy);
    checkOrigin(request, policy);
    const session = policy.sessionKey ? verifySession(policy.sessionKey, readCookie(request)) : null;
    if (session) endSession(session);
    return Response.json(
      { signed_in: false },
      { headers: { ...NO_STORE, "set-cookie": sessionCookie("", 0, isHttps(request)) } },
    );
  });
}

/** What the header shows: whether sign-in is on, who is signed in, how, until when. */
export function sessionInfo(request: Request, policy: AccessPolicy = getPolicy()): Promise<Response> {
  return guard(() => {
    checkHost(request, policy);
    checkOrigin(request, policy);
    const who = policy.signInRequired ? identify(request, policy, { tokens: false }) : null;
    return Response.json(
      {
        sign_in_required: policy.signInRequired,
        password_sign_in: policy.password !== null,
        swa_sign_in: policy.trustSwaAuth,
        signed_in: !policy.signInRequired || who !== null,
        method: who?.kind ?? (policy.signInRequired ? null : "public"),
        user: who?.kind === "swa" ? who.user : null,
        expires_at: who?.kind === "password" ? Math.floor(who.session.expiresAt / 1000) : null,
      },
      { headers: NO_STORE },
    );
  });
}

// Token management needs a person (session or SWA), never a token: a leaked token cannot mint more.
const PERSON = { tokens: false, origin: true } as const;

export function listTokens(request: Request, policy: AccessPolicy = getPolicy()): Promise<Response> {
  return guard(() => {
    authorize(request, PERSON, policy);
    return Response.json({ object: "list", data: tokenStore(policy).list() }, { headers: NO_STORE });
  });
}

export function createToken(request: Request, policy: AccessPolicy = getPolicy()): Promise<Response> {
  return guard(async () => {
    authorize(request, PERSON, policy);
    let body: { name?: unknown } = {};
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return fail(400, "invalid_request_body", 'Send a JSON body: {"name": "…"}.');
    }
    const name = typeof body.name === "string" ? body.name.trim() : "";
    if (name === "")
      return fail(400, "name_required", "Give the token a name, e.g. the notebook that uses it.", "name");
    if (name.length > 80) return fail(400, "name_too_long", "Use at most 80 characters.", "name");
    const { token, info } = tokenStore(policy).create(name);
    return Response.json({ ...info, token }, { status: 201, headers: NO_STORE });
  });
}

export function revokeToken(
  request: Request,
  id: string,
  policy: AccessPolicy = getPolicy(),
): Promise<Response> {
  return guard(() => {
    authorize(request, PERSON, policy);
    if (!tokenStore(policy).revoke(id)) return fail(404, "token_not_found", `No access token ${id}.`);
    return Response.json({ id, object: "access_token.deleted", deleted: true }, { headers: NO_STORE });
  });
}
