/**
 * Where a backup is written: straight to a file the person picks (the File System Access API's
 * showSaveFilePicker, in Chromium-based browsers), written as it is made; elsewhere the archive is
 * built in memory and downloaded at the end.
 */
import type { ByteSink } from "./zip-stream";

interface SavePickerWindow {
  showSaveFilePicker?: (options: {
    suggestedName?: string;
    types?: { description: string; accept: Record<string, string[]> }[];
  }) => Promise<{
    name: string;
    createWritable(): Promise<{
      write(data: Uint8Array): Promise<void>;
      close(): Promise<void>;
      abort(reason?: unknown): Promise<void>;
    }>;
  }>;
}

export type SaveMode = "stream" | "memory";

/** "stream" where the browser can write a chosen file as it goes; "memory" elsewhere. */
export function saveMode(w: unknown = typeof window === "undefined" ? undefined : window): SaveMode {
  return typeof (w as SavePickerWindow | undefined)?.showSaveFilePicker === "function" ? "stream" : "memory";
}

/**
 * Asks where to save (call it from the click itself: the picker needs the person's gesture). null
 * when the person closed the picker.
 */
export async function pickSaveFile(
  suggestedName: string,
  w: unknown = window,
): Promise<{ name: string; sink: ByteSink } | null> {
  const picker = (w as SavePickerWindow).showSaveFilePicker;
  if (!picker) throw new Error("This browser cannot write a file as it goes.");
  let handle;
  try {
    handle = await picker.call(w, {
      suggestedName,
      types: [{ description: "Backup archive", accept: { "application/zip": [".zip"] } }],
    });
  } catch (err) {
    if ((err as { name?: string }).name === "AbortError") return null;
    throw err;
  }
  const writable = await handle.createWritable();
  return {
    name: handle.name,
    sink: {
      write: (chunk) => writable.write(chunk),
      close: () => writable.close(),
      abort: (reason) => writable.abort(reason),
    },
  };
}
