import fs from "node:fs";
import { ExtractionError } from "./errors";

/**
 * A text file as a stream of strings: UTF-8 (or ASCII), or UTF-16 with a byte-order mark — the
 * encodings file search accepts. Bytes that are not text (a NUL in UTF-8) fail with `parsing_error`.
 */
export async function* readTextFile(path: string, filename: string): AsyncGenerator<string> {
  const head = Buffer.alloc(2);
  const fd = await fs.promises.open(path, "r");
  let headLen = 0;
  try {
    headLen = (await fd.read(head, 0, 2, 0)).bytesRead;
  } finally {
    await fd.close();
  }
  const encoding =
    headLen === 2 && head[0] === 0xff && head[1] === 0xfe
      ? "utf-16le"
      : headLen === 2 && head[0] === 0xfe && head[1] === 0xff
        ? "utf-16be"
        : "utf-8";
  const decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: false });
  for await (const bytes of fs.createReadStream(path, { highWaterMark: 64 * 1024 })) {
    const s = decoder.decode(bytes as Buffer, { stream: true });
    if (s.includes("\u0000"))
      throw new ExtractionError("parsing_error", `${filename} is not text in UTF-8, UTF-16 or ASCII.`);
    yield s;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
