/**
 * Connections typed in by the user (issue 7): held for the browser session only and sent to the
 * proxy per request. Placeholder until the connections work lands: passes requests through.
 */
export function withUserConnection(next: typeof fetch): typeof fetch {
  return next;
}
