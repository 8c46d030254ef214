/** Why a file's text could not be read; the code is the protocol's `last_error.code`. */
export class ExtractionError extends Error {
  constructor(
    readonly code: "unhandled_mime_type" | "parsing_error",
    message: string,
  ) {
    super(message);
    this.name = "ExtractionError";
  }
}

/** More text than one file may give file search (EXTRACTION_LIMITS.documentTextChars). */
export function tooMuchText(filename: string, limit: number): ExtractionError {
  return new ExtractionError(
    "parsing_error",
    `${filename} has more than ${limit.toLocaleString("en-US")} characters of text, more than file search takes from one file (5,000,000 tokens). Split it into smaller files.`,
  );
}
