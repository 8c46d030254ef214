import fs from "node:fs";
import { EXTRACTION_LIMITS } from "../limits";
import { ExtractionError } from "./errors";
import { inflatedStreamBytes } from "./pdf-streams";

const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

/**
 * PDF text through unpdf (a serverless build of Mozilla's PDF.js), one page at a time. PDF.js
 * inflates streams without a limit, so what they inflate to is counted first (./pdf-streams.ts),
 * and a PDF with more pages than EXTRACTION_LIMITS.pdfPages is refused before any page is read.
 */
export async function* readPdf(path: string, filename: string): AsyncGenerator<string> {
  const data = new Uint8Array(await fs.promises.readFile(path));
  const limit = EXTRACTION_LIMITS.pdfInflatedBytes;
  const inflated = await inflatedStreamBytes(data, limit);
  if (inflated > limit)
    throw new ExtractionError(
      "parsing_error",
      Number.isFinite(inflated)
        ? `${filename} has compressed streams that inflate to more than ${mb(limit)}; the local engine inflates at most ${mb(limit)} per PDF. Save it again without the oversized content, or split it.`
        : `${filename} has compressed streams that do not end where the file says; the local engine inflates at most ${mb(limit)} per PDF and does not read such streams.`,
    );
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
    const pages = EXTRACTION_LIMITS.pdfPages;
    if (doc.numPages > pages)
      throw new ExtractionError(
        "parsing_error",
        `${filename} has ${doc.numPages} pages; the local engine reads up to ${pages.toLocaleString("en-US")} pages of a PDF. Split it into smaller files.`,
      );
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
