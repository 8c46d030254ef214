"use client";

/** Settings section: connections and their tests, user connections (issue 7). Placeholder until it lands. */
export function ConnectionSettings() {
  return null;
}
