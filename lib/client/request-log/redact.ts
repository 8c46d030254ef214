/**
 * What the request log may keep. Secrets are removed before anything is stored, so neither the
 * panel nor an export can show them: headers by name (api-key, authorization, cookies, the user
 * connection's x-playground-user-* headers, anything named like a key, token, secret or password)
 * and by value (bearer/basic credentials, JWTs, sk-… keys), query parameters and JSON properties
 * named like secrets.
 */

export const REDACTED = "[redacted]";

const SECRET_HEADER_NAMES = new Set([
  "api-key",
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "ocp-apim-subscription-key",
]);

/** Header or parameter names that look like they carry a credential. */
const SECRET_NAME = /(key|token|secret|password|passwd|credential|signature|session|auth)(?![a-z])/i;

/** Values that look like a credential whatever they are called. */
const SECRET_VALUE = [
  /^\s*(bearer|basic|digest)\s+\S+/i,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, // a JWT
  /\bsk-[A-Za-z0-9_-]{16,}/, // an OpenAI-style key
];

export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return SECRET_HEADER_NAMES.has(n) || n.startsWith("x-playground-user-") || SECRET_NAME.test(n);
}

export function looksLikeSecret(value: string): boolean {
  return SECRET_VALUE.some((re) => re.test(value));
}

export type HeaderList = [name: string, value: string][];

/** Headers as a sorted list of [lower-case name, value], secrets replaced by "[redacted]". */
export function redactHeaders(headers: HeadersInit | Headers | undefined | null): HeaderList {
  const out: HeaderList = [];
  if (!headers) return out;
  new Headers(headers).forEach((value, name) => {
    out.push([name, isSecretHeader(name) || looksLikeSecret(value) ? REDACTED : value]);
  });
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** JSON property names that hold credentials (exact names, so `max_completion_tokens` stays). */
const SECRET_PROPERTY_NAMES =
  "api[-_]?key|apikey|authorization|password|passwd|secret|client[-_]?secret|access[-_]?token|refresh[-_]?token|id[-_]?token|token|bearer|cookie";
const SECRET_PROPERTY = new RegExp(`^(${SECRET_PROPERTY_NAMES})$`, "i");

/**
 * What JSON or plain text must hold for redactJson / redactText to change anything, read on the
 * raw text: a property named like a secret, a credential-looking value (SECRET_VALUE, loosened to
 * match inside JSON strings, escaped whitespace included), or a \u escape (which could spell
 * either). Loose on purpose: a false match only costs the full parse.
 */
const MAY_NEED_REDACTION = new RegExp(
  [
    `"(?:${SECRET_PROPERTY_NAMES})"\\s*:`,
    "\\b(?:bearer|basic|digest)(?:\\s|\\\\[tnrfb])",
    "\\beyJ[A-Za-z0-9_-]{8,}\\.",
    "\\bsk-[A-Za-z0-9_-]{16,}",
    "\\\\u",
  ].join("|"),
  "i",
);

/** Whether redacting this raw JSON or text could change it (false: it can be kept as it is). */
export function mayNeedRedaction(text: string): boolean {
  return MAY_NEED_REDACTION.test(text);
}

/** A deep copy of a JSON value with secret-named properties and secret-looking strings redacted. */
export function redactJson(value: unknown): unknown {
  if (typeof value === "string") return looksLikeSecret(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      out[k] = SECRET_PROPERTY.test(k) ? REDACTED : redactJson(v);
    return out;
  }
  return value;
}

/** Query parameters that carry credentials in SAS URLs and OAuth redirects. */
const SECRET_QUERY = /^(sig|code|client_secret|subscription-key)$/i;

/** A URL (absolute or path) with credential-named query parameters redacted. */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const [name, value] of [...params]) {
    if (
      name !== "api-version" &&
      (SECRET_NAME.test(name) || SECRET_QUERY.test(name) || looksLikeSecret(value))
    ) {
      params.set(name, REDACTED);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}

/** Plain text (a body that is not JSON): credential-looking substrings replaced. */
export function redactText(text: string): string {
  return text
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`)
    .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED)
    .replace(/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED);
}
