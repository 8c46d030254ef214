/**
 * One ingestion job as the extraction worker runs it (./worker.ts): a file's text, cut into chunks,
 * written as JSONL to `out`. It runs on a worker thread, so synchronous writes block nothing that
 * serves requests.
 */
import fs from "node:fs";
import { chunkText, ExtractionError, extractText } from "./index";

export interface ExtractJob {
  /** The file's bytes on disk. */
  blob: string;
  filename: string;
  bytes: number;
  /** Where the chunks go (one `{"text":…}` a line); replaced if it exists. */
  out: string;
  sizeChars: number;
  overlapChars: number;
}

export type ExtractResult =
  | { ok: true; chunks: number; usageBytes: number }
  | { ok: false; code: "parsing_error" | "unhandled_mime_type" | "internal_error"; message: string };

/**
 * File names that make the job misbehave on purpose, honoured only when the engine was created with
 * `extraction.testHooks` (tests use them to breach the time and memory budgets deterministically).
 */
export const TEST_HOOKS = { hang: "__engine_test_hang__", oom: "__engine_test_oom__" } as const;

export async function runExtractJob(job: ExtractJob, testHooks: boolean): Promise<ExtractResult> {
  if (testHooks) misbehaveOnCue(job.filename);
  let fd: number | undefined;
  let chunks = 0;
  let usageBytes = 0;
  try {
    fd = fs.openSync(job.out, "w");
    const file = fd;
    await chunkText(
      extractText(job.blob, job.filename, job.bytes),
      job.sizeChars,
      job.overlapChars,
      (text) => {
        const line = JSON.stringify({ text }) + "\n";
        fs.writeSync(file, line);
        usageBytes += Buffer.byteLength(text);
        chunks++;
      },
    );
  } catch (e) {
    if (e instanceof ExtractionError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: "internal_error", message: `Ingestion failed: ${(e as Error).message}` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return { ok: true, chunks, usageBytes };
}

function misbehaveOnCue(filename: string): void {
  if (filename.startsWith(TEST_HOOKS.hang)) {
    // 20 s of synchronous work: only terminating the thread ends it sooner. Finite, so that run on
    // the event loop (as extraction once was) it shows as a stall rather than a hang.
    const until = Date.now() + 20_000;
    while (Date.now() < until);
  }
  if (filename.startsWith(TEST_HOOKS.oom)) {
    const hoard: number[][] = [];
    for (;;) hoard.push(Array.from({ length: 100_000 }, (_, i) => i + hoard.length));
  }
}
