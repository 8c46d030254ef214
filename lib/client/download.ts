"use client";

import { useEffect, useState } from "react";
import type { ClientScope } from "./queries/scope";

/** Saves a blob as a file through the browser's download. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later, not at once: the browser reads the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a value as indented JSON (with a final newline). */
export function downloadJson(fileName: string, value: unknown): void {
  downloadBlob(fileName, new Blob([JSON.stringify(value, null, 2) + "\n"], { type: "application/json" }));
}

/**
 * Saves an uploaded file under its name, fetched through the SDK (so the connection header is sent:
 * a plain link could not send it).
 */
export async function downloadFileContent(
  scope: ClientScope,
  fileId: string,
  fileName: string,
): Promise<void> {
  const response = await scope.client.files.content(fileId);
  downloadBlob(fileName, await response.blob());
}

/** An object URL for `blob`, alive while the component shows it (revoked when the blob changes or on unmount). */
export function useObjectUrl(blob: Blob | null | undefined): string | null {
  const [url, setUrl] = useState<{ blob: Blob; url: string } | null>(null);
  useEffect(() => {
    if (!blob) return;
    const next = URL.createObjectURL(blob);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the object URL lives exactly as long as this effect
    setUrl({ blob, url: next });
    return () => URL.revokeObjectURL(next);
  }, [blob]);
  return blob && url?.blob === blob ? url.url : null;
}
