/**
 * Checks a request path as it arrived (still percent-encoded), before anything decodes it.
 * `decodeURIComponent` throws on a lone `%`, `%zz`, overlong UTF-8 (`%c0%ae`) and encoded surrogates
 * (`%ed%a0%80`); Next's router answers those with an HTML error page. Imported by the root proxy.ts
 * as well as by the proxy, so it imports nothing.
 */
import { ProxyError } from "./errors";

/** Longer than any Assistants path (ids are at most 128 characters, paths at most 7 segments). */
export const MAX_PATH_LENGTH = 2048;

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why `rawPath` cannot be a proxy path, or null when it decodes cleanly. */
export function pathEncodingProblem(rawPath: string): string | null {
  if (rawPath.length > MAX_PATH_LENGTH)
    return `The path is ${rawPath.length} characters long; the limit is ${MAX_PATH_LENGTH}.`;
  if (!rawPath.includes("%")) return CONTROL.test(rawPath) ? "The path contains control characters." : null;
  if (/%(?![0-9A-Fa-f]{2})/.test(rawPath))
    return "The path has a '%' that does not start a percent-encoded byte (%XX).";
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return "The path's percent-encoded bytes are not valid UTF-8 (overlong forms and surrogates are refused).";
  }
  if (CONTROL.test(decoded)) return "The path contains encoded control characters (such as %00).";
  return null;
}

/** The 400 the proxy answers for a path that fails pathEncodingProblem. */
export function pathEncodingError(rawPath: string): ProxyError | null {
  const problem = pathEncodingProblem(rawPath);
  return problem === null ? null : new ProxyError(400, "invalid_path", problem);
}
