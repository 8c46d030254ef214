/**
 * What a PDF's streams inflate to, counted before PDF.js reads the file. PDF.js decodes a
 * FlateDecode stream into one buffer that doubles as it grows, with no limit, so one small stream
 * can ask for gigabytes. Every stream's data starts right after a `stream` keyword, and PDF.js only
 * inflates data that starts with a zlib header; so each such data is inflated here (in 4 KB slices,
 * counting, nothing kept), and the output of each stage is examined again: a FlateDecode chain, and
 * flate data wrapped in ASCIIHex or ASCII85, are counted stage by stage. Past
 * EXTRACTION_LIMITS.pdfInflatedBytes the PDF is refused before PDF.js sees it.
 *
 * Not counted here (see lib/engine/README.md): streams of encrypted PDFs (their data is ciphertext
 * until PDF.js decrypts it) and LZW, RunLength and Brotli stages. Extraction's own memory budget
 * bounds those.
 */
import { Inflate } from "fflate";

const SLICE = 4 * 1024;

/** Counts inflated bytes across all streams; throws `Budget` past the limit. */
class Budget extends Error {}

interface Stage {
  push(chunk: Uint8Array): void;
  /** True once the stage has seen the end of its data. */
  readonly done: boolean;
  /** Bytes pushed but not consumed when the data ended. */
  readonly leftover?: number;
}

function isZlibHeader(a: number | undefined, b: number | undefined): boolean {
  return a !== undefined && b !== undefined && (a & 0x0f) === 8 && ((a << 8) | b) % 31 === 0 && !(b & 0x20);
}

/**
 * The stage reading `first` bytes: flate after a zlib header, else nothing. The next stage sees this
 * one's output, so a chain of FlateDecode filters is followed.
 */
class Detect implements Stage {
  private head: number[] = [];
  private inner: Stage | null = null;
  private rejected = false;
  constructor(private readonly count: (n: number) => void) {}
  get done() {
    return this.rejected || (this.inner?.done ?? false);
  }
  get leftover() {
    return this.inner?.leftover ?? 0;
  }
  push(chunk: Uint8Array): void {
    if (this.rejected || chunk.length === 0) return;
    if (this.inner) return this.inner.push(chunk);
    const need = 2 - this.head.length;
    this.head.push(...chunk.subarray(0, need));
    if (this.head.length < 2) return;
    if (!isZlibHeader(this.head[0], this.head[1])) {
      this.rejected = true;
      return;
    }
    this.inner = new Flate(this.count);
    this.inner.push(chunk.subarray(need));
  }
}

class Flate implements Stage {
  private readonly inflate: Inflate;
  private readonly next: Detect;
  private failed = false;
  constructor(count: (n: number) => void) {
    this.next = new Detect(count);
    this.inflate = new Inflate((data) => {
      count(data.length);
      this.next.push(data);
    });
  }
  get done() {
    // fflate's state: f = the final block has begun, l = a block is being read. A stream that has
    // ended needs no more input (PDF.js stops there too). Its output is counted even when the next
    // stage has stopped looking at it.
    const s = (this.inflate as unknown as { s?: { f?: number; l?: unknown } }).s;
    return this.failed || Boolean(s?.f && !s.l);
  }
  get leftover() {
    return (this.inflate as unknown as { p?: Uint8Array }).p?.length ?? 0;
  }
  push(chunk: Uint8Array): void {
    if (this.failed) return;
    try {
      this.inflate.push(chunk);
    } catch (e) {
      if (e instanceof Budget) throw e;
      this.failed = true; // damaged data: PDF.js fails on it too, having inflated no more than this
    }
  }
}

const HEX = /^[0-9A-Fa-f]$/;
const isWhite = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0;

/** ASCIIHexDecode in front of a Detect. */
class Hex implements Stage {
  private half = -1;
  private ended = false;
  constructor(private readonly next: Stage) {}
  get done() {
    return this.ended || this.next.done;
  }
  push(chunk: Uint8Array): void {
    const out: number[] = [];
    for (const c of chunk) {
      if (this.ended) break;
      if (isWhite(c)) continue;
      if (c === 0x3e) {
        this.ended = true;
        break;
      }
      if (!HEX.test(String.fromCharCode(c))) {
        this.ended = true;
        break;
      }
      const v = parseInt(String.fromCharCode(c), 16);
      if (this.half < 0) this.half = v;
      else {
        out.push((this.half << 4) | v);
        this.half = -1;
      }
    }
    if (out.length) this.next.push(Uint8Array.from(out));
  }
}

/** ASCII85Decode in front of a Detect. */
class A85 implements Stage {
  private group: number[] = [];
  private ended = false;
  constructor(private readonly next: Stage) {}
  get done() {
    return this.ended || this.next.done;
  }
  push(chunk: Uint8Array): void {
    const out: number[] = [];
    for (const c of chunk) {
      if (this.ended) break;
      if (isWhite(c)) continue;
      if (c === 0x7e) {
        this.ended = true;
        break;
      }
      if (c === 0x7a && this.group.length === 0) {
        out.push(0, 0, 0, 0);
        continue;
      }
      if (c < 0x21 || c > 0x75) {
        this.ended = true;
        break;
      }
      this.group.push(c - 0x21);
      if (this.group.length === 5) {
        let v = 0;
        for (const d of this.group) v = v * 85 + d;
        out.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
        this.group = [];
      }
    }
    if (out.length) this.next.push(Uint8Array.from(out));
  }
}

/** The first bytes of a stream's data, decoded as hex or ASCII85: do they start flate data? */
function wrapped(data: Uint8Array): "hex" | "a85" | null {
  const head = data.subarray(0, 64);
  const hex: number[] = [];
  new Hex({ push: (c) => hex.push(...c), done: false }).push(head);
  if (isZlibHeader(hex[0], hex[1])) return "hex";
  const a85: number[] = [];
  const start = head[0] === 0x3c && head[1] === 0x7e ? head.subarray(2) : head; // "<~"
  new A85({ push: (c) => a85.push(...c), done: false }).push(start);
  if (isZlibHeader(a85[0], a85[1])) return "a85";
  return null;
}

/** Offsets where stream data starts: after each `stream` keyword and its end of line. */
function* streamStarts(pdf: Uint8Array): Generator<number> {
  const keyword = Buffer.from("stream");
  const buf = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length);
  for (let at = buf.indexOf(keyword); at >= 0; at = buf.indexOf(keyword, at + keyword.length)) {
    // Not "endstream".
    if (at >= 3 && buf[at - 3] === 0x65 && buf[at - 2] === 0x6e && buf[at - 1] === 0x64) continue;
    let start = at + keyword.length;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    else if (buf[start - 1] !== 0x0d) continue;
    yield start;
  }
}

/**
 * The bytes all streams of `pdf` inflate to, stage by stage; stops counting (returns more than
 * `limit`) as soon as the limit is passed, and answers Infinity for streams that never end.
 */
export async function inflatedStreamBytes(pdf: Uint8Array, limit: number): Promise<number> {
  // Stream data is read until its deflate data ends, which in a hostile file may be far past the
  // next stream: input read across all streams is capped at a multiple of the file (a real PDF's
  // streams add up to less than the file), so overlapping streams cannot make this quadratic.
  let input = 2 * pdf.length + SLICE;
  let total = 0;
  let sinceYield = 0;
  const count = (n: number) => {
    total += n;
    sinceYield += n;
    if (total > limit) throw new Budget();
  };
  try {
    for (const start of streamStarts(pdf)) {
      const data = pdf.subarray(start);
      const kind = isZlibHeader(data[0], data[1]) ? "flate" : wrapped(data);
      if (!kind) continue;
      const detect = new Detect(count);
      const stage: Stage = kind === "hex" ? new Hex(detect) : kind === "a85" ? new A85(detect) : detect;
      for (let at = 0; at < data.length && !stage.done; at += SLICE) {
        input -= Math.min(SLICE, data.length - at);
        if (input < 0) return Infinity;
        stage.push(data.subarray(at, at + SLICE));
        if (stage.done) input += stage.leftover ?? 0;
        if (sinceYield > 8 * 1024 * 1024) {
          sinceYield = 0;
          await new Promise((r) => setImmediate(r));
        }
      }
    }
  } catch (e) {
    if (e instanceof Budget) return total;
    throw e;
  }
  return total;
}
