import type { Page } from "@playwright/test";

// The backup page writes to a file the person picks (showSaveFilePicker) where the browser can, and
// builds the archive in memory elsewhere. A test cannot click through the system's save dialog, so
// these choose the path: a stand-in picker whose writable keeps each chunk as it is written (sizes in
// window.__backupWrites) and, on close, hands the file to the browser as a download; or no picker.

export async function standInSavePicker(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as {
      showSaveFilePicker: unknown;
      __backupWrites: number[];
    };
    w.__backupWrites = [];
    w.showSaveFilePicker = async ({ suggestedName }: { suggestedName: string }) => ({
      name: suggestedName,
      createWritable: async () => {
        const parts: Uint8Array[] = [];
        return {
          write: async (chunk: Uint8Array) => {
            parts.push(chunk.slice());
            w.__backupWrites.push(chunk.length);
          },
          close: async () => {
            const a = document.createElement("a");
            a.href = URL.createObjectURL(new Blob(parts as BlobPart[], { type: "application/zip" }));
            a.download = suggestedName;
            document.body.append(a);
            a.click();
            a.remove();
          },
          abort: async () => {},
        };
      },
    });
  });
}

export async function noSavePicker(page: Page) {
  await page.addInitScript(() => {
    delete (window as unknown as { showSaveFilePicker?: unknown }).showSaveFilePicker;
  });
}
