/**
 * Next.js 16's request proxy (formerly middleware): before any page or /api/playground route runs,
 * the Host must be one this server answers as; signed-out page loads go to /sign-in and API calls
 * get a 401; pages get a per-request nonce CSP. /api/openai (and backup restore, whose bodies are
 * large) are left out of the matcher — this layer would cap their bodies at 10 MB — and do the same
 * checks themselves through lib/server/proxy/access.ts.
 */
import { NextResponse, type NextRequest } from "next/server";
import { AccessDenied, authorize, checkHost, deniedResponse, getPolicy, identify } from "@/lib/server/auth";
import { newNonce, pageCsp } from "@/lib/server/auth/csp";
import { safeNext } from "@/lib/server/auth/routes";
import { errorResponse } from "@/lib/server/proxy/errors";
import { pathEncodingError } from "@/lib/server/proxy/path";

/** Routes that answer signed-out callers (and check what they need themselves). */
const PUBLIC_API = [/^\/api\/playground\/health$/, /^\/api\/playground\/auth\//];

export function proxy(request: NextRequest): NextResponse | Response {
  const policy = getPolicy();
  const { pathname, search } = request.nextUrl;

  // Reached only for /api/openai paths with a '%' (see the matcher): Next cannot decode some of
  // them into the route's params and would answer with an HTML page, so the proxy's 400 answers here.
  if (pathname.startsWith("/api/openai/")) {
    const bad = pathEncodingError(pathname);
    return bad ? errorResponse(bad) : NextResponse.next();
  }

  if (pathname.startsWith("/api/")) {
    try {
      if (PUBLIC_API.some((p) => p.test(pathname))) checkHost(request, policy);
      else authorize(request, { tokens: true, origin: true }, policy);
    } catch (err) {
      if (err instanceof AccessDenied) return deniedResponse(err);
      throw err;
    }
    return NextResponse.next();
  }

  try {
    checkHost(request, policy);
  } catch (err) {
    if (err instanceof AccessDenied)
      return new Response(err.message, {
        status: err.status,
        headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
      });
    throw err;
  }

  const signInPage = pathname === "/sign-in";
  if (policy.signInRequired) {
    const signedIn = identify(request, policy, { tokens: false }) !== null;
    if (!signedIn && !signInPage) {
      const to = new URL("/sign-in", request.url);
      if (pathname !== "/") to.searchParams.set("next", `${pathname}${search}`);
      return NextResponse.redirect(to, 303);
    }
    if (signedIn && signInPage) {
      return NextResponse.redirect(
        new URL(safeNext(request.nextUrl.searchParams.get("next")), request.url),
        303,
      );
    }
  }

  const nonce = newNonce();
  const csp = pageCsp(nonce);
  const headers = new Headers(request.headers);
  // Next.js reads the nonce from the request's CSP and puts it on the scripts it renders.
  headers.set("content-security-policy", csp);
  headers.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  response.headers.set("cache-control", "private, no-store");
  return response;
}

export const config = {
  matcher: [
    "/((?!api/openai/|api/playground/backup|_next/static/|_next/image|favicon\\.ico$|icon\\.svg$).*)",
    "/api/openai/:path(.*%.*)",
  ],
};
