/**
 * Which hosts a user connection may reach: the server enforces it (lib/server/user-connections.ts)
 * and the settings form checks it before sending, by the same rule.
 */

/** `*.openai.azure.com` matches one label before the suffix; a pattern without `*` matches exactly. */
export function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  const p = pattern.toLowerCase().trim();
  if (!p) return false;
  if (p.startsWith("*.")) {
    const suffix = p.slice(1);
    if (!h.endsWith(suffix)) return false;
    const label = h.slice(0, -suffix.length);
    return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label);
  }
  return h === p;
}
