import fs from "node:fs";
import { ExtractionError } from "./errors";

/** PDF text through unpdf (a serverless build of Mozilla's PDF.js), one page at a time. */
export async function* readPdf(path: string, filename: string): AsyncGenerator<string> {
  const data = new Uint8Array(await fs.promises.readFile(path));
  const { getDocumentProxy } = await import("unpdf");
  let doc: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    doc = await getDocumentProxy(data, { verbosity: 0, useSystemFonts: false });
  } catch (e) {
    throw new ExtractionError(
      "parsing_error",
      `${filename} could not be read as a PDF: ${(e as Error).message}`,
    );
  }
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      let text: string;
      try {
        const page = await doc.getPage(n);
        const content = await page.getTextContent();
        text = content.items
          .map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : ""))
          .join("");
        page.cleanup();
      } catch (e) {
        throw new ExtractionError(
          "parsing_error",
          `Page ${n} of ${filename} could not be read: ${(e as Error).message}`,
        );
      }
      yield text + "\n\n";
    }
  } finally {
    await doc.loadingTask.destroy();
  }
}
