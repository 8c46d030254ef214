/**
 * A zip written entry by entry to a byte sink (a file on disk through the File System Access API,
 * or anything with write/close/abort): each entry goes out as soon as it is added, so what the
 * writer holds is one entry and the central directory (about 100 bytes an entry), never the archive.
 *
 * Why not fflate's streaming `Zip`: it always writes entries with data descriptors (sizes after the
 * data), and a streaming reader (fflate's `Unzip`, which the server's restore uses) then ends an
 * entry at the first "PK\x03\x04" or "PK\x07\x08" in its bytes: a backed-up .docx, .xlsx or .zip
 * file would be cut short. Here every entry is whole in memory when added, so its sizes and CRC go
 * in its local header. fflate still does the deflating. Zip64 records are written when the archive
 * passes 4 GB or 65,535 entries.
 */
import type { deflateSync as DeflateSync } from "fflate";

/** Where the archive's bytes go (FileSystemWritableFileStream has this shape). */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const UTF8_NAMES = 0x800;

interface CentralEntry {
  name: Uint8Array;
  crc: number;
  compressed: number;
  size: number;
  method: number;
  offset: number;
}

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export class ZipStreamWriter {
  private readonly central: CentralEntry[] = [];
  private offset = 0;
  private readonly stamp: { time: number; date: number };
  private closed = false;

  constructor(
    private readonly sink: ByteSink,
    private readonly deflate: typeof DeflateSync,
    now: Date = new Date(),
  ) {
    this.stamp = dosDateTime(now);
  }

  /** Bytes written to the sink so far. */
  get written(): number {
    return this.offset;
  }

  /** Writes one entry: deflated (JSON) or stored (file bytes, mostly compressed already). */
  async add(name: string, data: Uint8Array, compress: boolean): Promise<void> {
    if (this.closed) throw new Error("The archive is already finished.");
    const nameBytes = new TextEncoder().encode(name);
    const crc = crc32(data);
    const body = compress ? this.deflate(data, { level: 6 }) : data;
    // One entry is at most the protocol's 512 MB file: its own sizes always fit in 32 bits.
    if (body.length >= MAX32 || data.length >= MAX32)
      throw new Error(`${name} is too large for the archive.`);
    const method = compress ? 8 : 0;
    const header = new Uint8Array(30 + nameBytes.length);
    const v = new DataView(header.buffer);
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(6, UTF8_NAMES, true);
    v.setUint16(8, method, true);
    v.setUint16(10, this.stamp.time, true);
    v.setUint16(12, this.stamp.date, true);
    v.setUint32(14, crc, true);
    v.setUint32(18, body.length, true);
    v.setUint32(22, data.length, true);
    v.setUint16(26, nameBytes.length, true);
    v.setUint16(28, 0, true);
    header.set(nameBytes, 30);
    this.central.push({
      name: nameBytes,
      crc,
      compressed: body.length,
      size: data.length,
      method,
      offset: this.offset,
    });
    await this.sink.write(header);
    await this.sink.write(body);
    this.offset += header.length + body.length;
  }

  /** Writes the central directory (in slices of about 1 MB) and closes the sink. */
  async finish(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const start = this.offset;
    let batch: Uint8Array[] = [];
    let batched = 0;
    const flush = async () => {
      if (batched === 0) return;
      const chunk = new Uint8Array(batched);
      let at = 0;
      for (const p of batch) {
        chunk.set(p, at);
        at += p.length;
      }
      batch = [];
      batched = 0;
      await this.sink.write(chunk);
      this.offset += chunk.length;
    };
    const put = async (part: Uint8Array) => {
      batch.push(part);
      batched += part.length;
      if (batched >= 1 << 20) await flush();
    };
    for (const e of this.central) await put(this.centralHeader(e));
    await flush();
    const size = this.offset - start;
    const count = this.central.length;
    if (count >= MAX16 || start >= MAX32 || size >= MAX32) {
      const record = new Uint8Array(56 + 20);
      const v = new DataView(record.buffer);
      v.setUint32(0, 0x06064b50, true);
      v.setBigUint64(4, 44n, true);
      v.setUint16(12, 45, true);
      v.setUint16(14, 45, true);
      v.setBigUint64(24, BigInt(count), true);
      v.setBigUint64(32, BigInt(count), true);
      v.setBigUint64(40, BigInt(size), true);
      v.setBigUint64(48, BigInt(start), true);
      v.setUint32(56, 0x07064b50, true);
      v.setBigUint64(64, BigInt(start + size), true);
      v.setUint32(72, 1, true);
      await put(record);
    }
    const end = new Uint8Array(22);
    const v = new DataView(end.buffer);
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(8, Math.min(count, MAX16), true);
    v.setUint16(10, Math.min(count, MAX16), true);
    v.setUint32(12, Math.min(size, MAX32), true);
    v.setUint32(16, Math.min(start, MAX32), true);
    await put(end);
    await flush();
    await this.sink.close();
  }

  private centralHeader(e: CentralEntry): Uint8Array {
    const far = e.offset >= MAX32;
    const extra = far ? 12 : 0;
    const h = new Uint8Array(46 + e.name.length + extra);
    const v = new DataView(h.buffer);
    v.setUint32(0, 0x02014b50, true);
    v.setUint16(4, far ? 45 : 20, true);
    v.setUint16(6, far ? 45 : 20, true);
    v.setUint16(8, UTF8_NAMES, true);
    v.setUint16(10, e.method, true);
    v.setUint16(12, this.stamp.time, true);
    v.setUint16(14, this.stamp.date, true);
    v.setUint32(16, e.crc, true);
    v.setUint32(20, e.compressed, true);
    v.setUint32(24, e.size, true);
    v.setUint16(28, e.name.length, true);
    v.setUint16(30, extra, true);
    v.setUint32(42, far ? MAX32 : e.offset, true);
    h.set(e.name, 46);
    if (far) {
      const x = 46 + e.name.length;
      v.setUint16(x, 0x0001, true);
      v.setUint16(x + 2, 8, true);
      v.setBigUint64(x + 4, BigInt(e.offset), true);
    }
    return h;
  }
}
