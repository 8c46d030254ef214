/**
 * Archives that inflate far beyond their size, built without ever holding the inflated bytes: a
 * deflate block of 1 MiB of zeros (byte-aligned by a sync flush) is repeated, so a 1 GiB entry costs
 * 1 MiB to build and ~1 MiB to store. The zip is written by hand so an entry can declare any size.
 */
import zlib from "node:zlib";

const MiB = 1024 * 1024;
let zeroBlock: Buffer | null = null;

/** Raw deflate of `mib` MiB of zeros; the stream ends with a final empty block. */
export function deflatedZeros(mib: number): Buffer {
  zeroBlock ??= zlib.deflateRawSync(Buffer.alloc(MiB), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const out = Buffer.alloc(zeroBlock.length * mib + 2);
  for (let i = 0; i < mib; i++) zeroBlock.copy(out, i * zeroBlock.length);
  out[out.length - 2] = 0x03; // final fixed-Huffman block, empty
  out[out.length - 1] = 0x00;
  return out;
}

function crcOfZeros(mib: number): number {
  const zeros = Buffer.alloc(MiB);
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = zlib.crc32(zeros, crc);
  return crc;
}

/** zlib-wrapped (as PDF FlateDecode wants it) `mib` MiB of zeros. */
export function zlibZeros(mib: number): Buffer {
  const n = mib * MiB;
  const adler = ((n % 65521) << 16) | 1; // A stays 1 over zeros; B adds 1 a byte
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(adler >>> 0);
  return Buffer.concat([Buffer.from([0x78, 0x9c]), deflatedZeros(mib), tail]);
}

export interface ZipEntry {
  name: string;
  /** Content (stored deflated). */
  data?: Uint8Array | string;
  /** Or this many MiB of zeros. */
  zerosMiB?: number;
  /** The uncompressed size the headers declare (default: the true size). */
  declaredSize?: number;
  /** Sizes and CRC in a data descriptor after the data, the local header saying 0. */
  dataDescriptor?: boolean;
}

/** A zip archive (deflate, no zip64) of the entries. */
export function makeZip(entries: ZipEntry[]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    let compressed: Buffer;
    let size: number;
    let crc: number;
    if (e.zerosMiB !== undefined) {
      compressed = deflatedZeros(e.zerosMiB);
      size = e.zerosMiB * MiB;
      crc = crcOfZeros(e.zerosMiB);
    } else {
      const data = typeof e.data === "string" ? Buffer.from(e.data, "utf8") : Buffer.from(e.data ?? []);
      compressed = zlib.deflateRawSync(data);
      size = data.length;
      crc = zlib.crc32(data);
    }
    const declared = Math.min(e.declaredSize ?? size, 0xffffffff);
    const flags = 0x0800 | (e.dataDescriptor ? 0x0008 : 0);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(flags, 6);
    head.writeUInt16LE(8, 8);
    head.writeUInt32LE(e.dataDescriptor ? 0 : crc >>> 0, 14);
    head.writeUInt32LE(e.dataDescriptor ? 0 : compressed.length, 18);
    head.writeUInt32LE(e.dataDescriptor ? 0 : declared, 22);
    head.writeUInt16LE(name.length, 26);
    const parts = [head, name, compressed];
    if (e.dataDescriptor) {
      const dd = Buffer.alloc(16);
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(crc >>> 0, 4);
      dd.writeUInt32LE(compressed.length, 8);
      dd.writeUInt32LE(declared, 12);
      parts.push(dd);
    }
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(flags, 8);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(compressed.length, 20);
    cd.writeUInt32LE(declared, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    for (const p of parts) {
      local.push(p);
      offset += p.length;
    }
  }
  const cdSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, ...central, end]);
}

/** A one-page PDF whose content stream is `mib` MiB of zeros, FlateDecode'd. */
export function pdfBomb(mib: number): Buffer {
  const stream = zlibZeros(mib);
  const chunks: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const add = (b: Buffer | string) => {
    const buf = typeof b === "string" ? Buffer.from(b, "latin1") : b;
    chunks.push(buf);
    length += buf.length;
  };
  add("%PDF-1.4\n");
  const objects: (string | [string, Buffer])[] = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>",
    [`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`, stream],
  ];
  objects.forEach((o, i) => {
    offsets.push(length);
    add(`${i + 1} 0 obj\n`);
    if (typeof o === "string") add(o);
    else {
      add(o[0]);
      add(o[1]);
      add("\nendstream");
    }
    add("\nendobj\n");
  });
  const xref = length;
  add(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
  for (const off of offsets) add(`${String(off).padStart(10, "0")} 00000 n \n`);
  add(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(chunks);
}

/** The minimal parts of a DOCX around a given word/document.xml entry. */
export function docxEntries(document: Omit<ZipEntry, "name">): ZipEntry[] {
  return [
    {
      name: "[Content_Types].xml",
      data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
    },
    {
      name: "_rels/.rels",
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    },
    { name: "word/document.xml", ...document },
  ];
}
