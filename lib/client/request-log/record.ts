/**
 * Records every call this browser makes through the proxy (issue 6, request log).
 * Placeholder until the request-log work lands: passes requests through unchanged.
 */
export function withRequestLog(next: typeof fetch): typeof fetch {
  return next;
}
