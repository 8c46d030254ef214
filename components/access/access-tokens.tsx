"use client";

/** Settings section: access tokens for scripts and notebooks (issue 7). Placeholder until it lands. */
export function AccessTokens() {
  return null;
}
