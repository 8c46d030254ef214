"use client";

/** Back up a whole connection and restore it (issue 6). Placeholder until it lands. */
export function BackupPage() {
  return null;
}
