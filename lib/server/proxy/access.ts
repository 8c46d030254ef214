/**
 * Who may call the proxy. Sign-in comes with a later issue; until then the proxy at least refuses
 * cross-site browser requests, so another site open in the same browser cannot drive a real
 * connection (a multipart POST is a "simple" request that needs no CORS preflight).
 */
import { ProxyError } from "./errors";

const refused = () =>
  new ProxyError(403, "cross_origin_refused", "The playground proxy only answers pages of its own origin.");

export async function checkAccess(request: Request): Promise<void> {
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") throw refused();
  const origin = request.headers.get("origin");
  if (origin === null) return; // scripts, SDKs and curl send none
  let originHost = "";
  try {
    originHost = new URL(origin).host;
  } catch {
    // `null` (sandboxed frames, file: pages) and junk never match a host.
  }
  // Behind a reverse proxy the public host arrives as x-forwarded-host; directly, as Host.
  const hosts = [
    request.headers.get("x-forwarded-host")?.split(",")[0]?.trim(),
    request.headers.get("host"),
    new URL(request.url).host,
  ];
  if (!originHost || !hosts.includes(originHost)) throw refused();
}
