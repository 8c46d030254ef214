/**
 * Azure Static Web Apps puts the signed-in user in `x-ms-client-principal` (base64 JSON). Anyone can
 * send that header to a server that is not behind SWA, so it counts only with
 * PLAYGROUND_TRUST_SWA_AUTH=true, and only with the role PLAYGROUND_SWA_ROLE names (SWA's
 * `authenticated` is anyone with a GitHub or Microsoft account).
 */
export interface SwaPrincipal {
  identityProvider: string;
  userId: string;
  userDetails: string;
  userRoles: string[];
}

export function parseClientPrincipal(header: string | null, role: string): SwaPrincipal | null {
  if (!header || header.length > 16_384) return null;
  try {
    const value = JSON.parse(Buffer.from(header, "base64").toString("utf8")) as Partial<SwaPrincipal>;
    const roles = Array.isArray(value.userRoles) ? value.userRoles.filter((r) => typeof r === "string") : [];
    const wanted = role.toLowerCase();
    if (!roles.some((r) => r.toLowerCase() === wanted)) return null;
    return {
      identityProvider: typeof value.identityProvider === "string" ? value.identityProvider : "unknown",
      userId: typeof value.userId === "string" ? value.userId : "",
      userDetails: typeof value.userDetails === "string" ? value.userDetails : "",
      userRoles: roles,
    };
  } catch {
    return null;
  }
}
