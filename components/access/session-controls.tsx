"use client";

/** The header's sign-in state and sign-out (issue 7, access control). Placeholder until it lands. */
export function SessionControls() {
  return null;
}
