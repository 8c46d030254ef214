import fs from "node:fs";
import { zipSync } from "fflate";
import { ExtractionError } from "./errors";
import { concat, readZip } from "./zip";

/**
 * DOCX text through mammoth (paragraphs separated by blank lines). mammoth's zip reader (JSZip)
 * inflates whatever an entry holds, so the XML parts are inflated here first, within the limits
 * (./zip.ts), and mammoth gets a stored zip of just those: it never inflates anything itself.
 * Media and other binary parts are left out; raw text does not read them.
 */
export async function* readDocx(path: string, filename: string): AsyncGenerator<string> {
  const bytes = new Uint8Array(await fs.promises.readFile(path));
  const parts: Record<string, Uint8Array> = {};
  await readZip(bytes, {
    filename,
    kind: "a DOCX document",
    want: (name) => /\.(xml|rels)$/i.test(name),
    open: (name) => {
      const chunks: Uint8Array[] = [];
      return { data: (c) => chunks.push(c), end: () => (parts[name] = concat(chunks)) };
    },
  });
  const bounded = zipSync(parts, { level: 0 });
  const mammoth = (await import("mammoth")).default;
  let value: string;
  try {
    ({ value } = await mammoth.extractRawText({
      buffer: Buffer.from(bounded.buffer, bounded.byteOffset, bounded.length),
    }));
  } catch (e) {
    throw new ExtractionError(
      "parsing_error",
      `${filename} could not be read as a DOCX document: ${(e as Error).message}`,
    );
  }
  yield value;
}
