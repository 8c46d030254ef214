/**
 * Who may call the proxy (lib/server/auth): the Host must be one this server answers as, a browser
 * call must come from this origin (a multipart POST is a "simple" request that needs no CORS
 * preflight), and — when sign-in is required — the caller needs a session, a trusted Static Web
 * Apps principal, or an access token (`api-key: <token>`, as the SDK sends its apiKey).
 * Also used by other routes (e.g. backup restore) that must not sit behind the root proxy.ts.
 */
import { AccessDenied, authorize, type Principal } from "../auth";
import { ProxyError } from "./errors";

export async function checkAccess(request: Request): Promise<Principal> {
  try {
    return authorize(request, { tokens: true, origin: true });
  } catch (err) {
    if (err instanceof AccessDenied) {
      throw new ProxyError(
        err.status,
        err.code,
        err.message,
        null,
        err.status === 401 ? { "www-authenticate": 'Bearer realm="playground"' } : {},
      );
    }
    throw err;
  }
}
