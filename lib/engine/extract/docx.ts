import fs from "node:fs";
import { ExtractionError } from "./errors";

/** DOCX text through mammoth (paragraphs separated by blank lines). */
export async function* readDocx(path: string, filename: string): AsyncGenerator<string> {
  const buffer = await fs.promises.readFile(path);
  const mammoth = (await import("mammoth")).default;
  let value: string;
  try {
    ({ value } = await mammoth.extractRawText({ buffer }));
  } catch (e) {
    throw new ExtractionError(
      "parsing_error",
      `${filename} could not be read as a DOCX document: ${(e as Error).message}`,
    );
  }
  yield value;
}
