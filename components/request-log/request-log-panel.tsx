"use client";

/** The request log (issue 6): every call this browser made through the proxy. Placeholder until it lands. */
export function RequestLogPanel() {
  return null;
}
