/**
 * Bounded reading of a zip (DOCX, PPTX): fflate's streaming Unzip is fed the archive in small slices,
 * so one push can inflate at most ~1000× a slice, and every inflated byte is counted against
 * EXTRACTION_LIMITS. An entry's declared size is checked before it is inflated and its actual size
 * while it is; neither is ever allocated beyond the limits. Entries not asked for are never inflated.
 */
import { Unzip, UnzipInflate, type UnzipFile } from "fflate";
import { EXTRACTION_LIMITS } from "../limits";
import { ExtractionError } from "./errors";

/** Compressed bytes per push: deflate inflates at most ~1032:1, so one push yields ≤ ~4 MB. */
const SLICE = 4 * 1024;
/** Inflated bytes between yields to the event loop. */
const YIELD_EVERY = 8 * 1024 * 1024;

export interface ZipReadOptions {
  /** The file's name, for messages. */
  filename: string;
  /** What the file should be ("a DOCX document"), for messages. */
  kind: string;
  /** Which entries to inflate. */
  want: (name: string) => boolean;
  /**
   * Called for each wanted entry; its sink gets the inflated bytes as they come. A sink may throw an
   * ExtractionError to stop the reading.
   */
  open: (name: string) => { data(chunk: Uint8Array): void; end(): void };
  limits?: { partBytes: number; totalBytes: number };
}

const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

export async function readZip(bytes: Uint8Array, options: ZipReadOptions): Promise<void> {
  const { filename, kind } = options;
  const partLimit = options.limits?.partBytes ?? EXTRACTION_LIMITS.zipPartBytes;
  const totalLimit = options.limits?.totalBytes ?? EXTRACTION_LIMITS.zipTotalBytes;
  const tooBig = (what: string) =>
    new ExtractionError(
      "parsing_error",
      `${filename} ${what}; the local engine inflates at most ${mb(partLimit)} per part and ${mb(totalLimit)} per document. Save it again without the oversized part, or split it.`,
    );
  let failure: ExtractionError | null = null;
  let total = 0;
  let sinceYield = 0;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  let entries = 0;
  unzip.onfile = (file: UnzipFile) => {
    entries++;
    if (failure || !options.want(file.name)) return;
    const name = file.name;
    if (file.originalSize !== undefined && file.originalSize > partLimit) {
      failure = tooBig(`declares its part ${name} as ${file.originalSize} bytes once inflated`);
      return;
    }
    let size = 0;
    let sink: ReturnType<ZipReadOptions["open"]>;
    try {
      sink = options.open(name);
    } catch (e) {
      failure = asExtractionError(e, filename, kind);
      return;
    }
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) {
        failure = new ExtractionError(
          "parsing_error",
          `${filename} could not be read as ${kind}: its part ${name} is damaged (${err.message}).`,
        );
        return;
      }
      size += data.length;
      total += data.length;
      sinceYield += data.length;
      if (size > partLimit) {
        failure = tooBig(
          `has a part (${name}) that inflates to more than ${mb(partLimit)}, more than the limit`,
        );
        file.terminate();
        return;
      }
      if (total > totalLimit) {
        failure = tooBig(`inflates to more than ${mb(totalLimit)}`);
        file.terminate();
        return;
      }
      try {
        if (data.length) sink.data(data);
        if (final) sink.end();
      } catch (e) {
        failure = asExtractionError(e, filename, kind);
        file.terminate();
      }
    };
    file.start();
  };
  try {
    for (let at = 0; at < bytes.length && !failure; at += SLICE) {
      unzip.push(bytes.subarray(at, at + SLICE), false);
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((r) => setImmediate(r));
      }
    }
    if (!failure) unzip.push(new Uint8Array(0), true);
    if (!failure && entries === 0)
      failure = new ExtractionError(
        "parsing_error",
        `${filename} could not be read as ${kind}: it is not a zip archive.`,
      );
  } catch (e) {
    failure ??= asExtractionError(e, filename, kind);
  }
  if (failure) throw failure;
}

function asExtractionError(e: unknown, filename: string, kind: string): ExtractionError {
  return e instanceof ExtractionError
    ? e
    : new ExtractionError(
        "parsing_error",
        `${filename} could not be read as ${kind}: ${(e as Error).message}`,
      );
}

/** One buffer of the chunks (no copy when there is one). */
export function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
