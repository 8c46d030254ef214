/**
 * The pages' Content-Security-Policy: scripts only from this origin with this response's nonce
 * (Next.js puts it on its own scripts), plus the theme boot script of app/layout.tsx by its hash,
 * so it still runs before the first paint. No framing, no plugins, no foreign connections.
 */
import { createHash, randomBytes } from "node:crypto";
import { THEME_BOOT_SCRIPT } from "../../shared/theme-boot";

export const THEME_SCRIPT_HASH = `'sha256-${createHash("sha256").update(THEME_BOOT_SCRIPT, "utf8").digest("base64")}'`;

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

export function pageCsp(nonce: string, development = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    // React's dev build needs eval to rebuild server stacks; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' ${THEME_SCRIPT_HASH}${development ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (React `style`, KaTeX) are not script; they stay allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self'${development ? " ws: wss:" : ""}`,
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
