/**
 * Text extraction for vector-store ingestion: text formats as a stream, PDF (unpdf), DOCX
 * (mammoth) and PPTX (fflate). Anything else fails with `unhandled_mime_type`; a file that claims a
 * format but cannot be read, or would cost more than EXTRACTION_LIMITS allow, fails with
 * `parsing_error`.
 */
import { EXTRACTION_LIMITS } from "../limits";
import { readDocx } from "./docx";
import { ExtractionError, tooMuchText } from "./errors";
import { readPdf } from "./pdf";
import { readPptx } from "./pptx";
import { readTextFile } from "./text";

export { ExtractionError } from "./errors";
export { chunkText, CHARS_PER_TOKEN } from "./chunk";

/** Formats read as text (UTF-8/UTF-16): file search's list plus common text formats. */
export const TEXT_EXTENSIONS = new Set([
  "txt",
  "md",
  "markdown",
  "json",
  "jsonl",
  "csv",
  "tsv",
  "html",
  "htm",
  "css",
  "js",
  "mjs",
  "ts",
  "tsx",
  "jsx",
  "py",
  "c",
  "h",
  "cpp",
  "hpp",
  "cs",
  "java",
  "php",
  "rb",
  "tex",
  "sh",
  "xml",
  "yaml",
  "yml",
  "go",
  "rs",
  "sql",
  "log",
  "ini",
  "toml",
]);

/** Documents are parsed whole in memory, so the engine caps them (text formats stream, uncapped). */
export const MAX_DOCUMENT_BYTES = 100 * 1024 * 1024;

const DOCUMENTS: Record<string, (path: string, filename: string) => AsyncGenerator<string>> = {
  pdf: readPdf,
  docx: readDocx,
  pptx: readPptx,
};

export function extensionOf(filename: string): string {
  const i = filename.lastIndexOf(".");
  return i < 0 ? "" : filename.slice(i + 1).toLowerCase();
}

export function canExtract(filename: string): boolean {
  const ext = extensionOf(filename);
  return TEXT_EXTENSIONS.has(ext) || ext in DOCUMENTS;
}

/** The file's text as a stream of strings; throws `ExtractionError` with the protocol's code. */
export function extractText(path: string, filename: string, bytes: number): AsyncGenerator<string> {
  const ext = extensionOf(filename);
  if (TEXT_EXTENSIONS.has(ext)) return readTextFile(path, filename);
  const reader = DOCUMENTS[ext];
  if (!reader)
    throw new ExtractionError(
      "unhandled_mime_type",
      `The local engine cannot extract text from '.${ext || "?"}' files (${filename}). It reads text formats, PDF, DOCX and PPTX.`,
    );
  if (bytes > MAX_DOCUMENT_BYTES)
    throw new ExtractionError(
      "parsing_error",
      `${filename} is ${bytes} bytes; the local engine parses .${ext} documents up to ${MAX_DOCUMENT_BYTES} bytes.`,
    );
  return boundedText(reader(path, filename), filename);
}

/** A document's text, refused past EXTRACTION_LIMITS.documentTextChars. */
async function* boundedText(source: AsyncGenerator<string>, filename: string): AsyncGenerator<string> {
  const limit = EXTRACTION_LIMITS.documentTextChars;
  let chars = 0;
  for await (const piece of source) {
    chars += piece.length;
    if (chars > limit) throw tooMuchText(filename, limit);
    yield piece;
  }
}
