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
