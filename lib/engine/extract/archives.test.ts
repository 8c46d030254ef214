import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docxEntries, makeZip, pdfBomb, type ZipEntry } from "@/tests/helpers/bombs";
import { runIsolated } from "@/tests/helpers/isolated";
import { EXTRACTION_LIMITS } from "../limits";
import { extractText } from "./index";

// What a document costs to read is bounded by the limits in lib/engine/limits.ts, whatever it
// declares: every decompression counts what it inflates and stops at its limit. Each bomb is
// extracted in its own process, so its memory is measured from a clean baseline and an unbounded
// inflation (which the old code did) fails the test instead of taking the runner down.

let dir: string;
beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "extract-archives-"));
});
afterAll(async () => {
  await fs.promises.rm(dir, { recursive: true, force: true });
});

async function save(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await fs.promises.writeFile(file, bytes);
  return file;
}

async function text(file: string, filename = path.basename(file)): Promise<string> {
  const stat = await fs.promises.stat(file);
  let out = "";
  for await (const piece of extractText(file, filename, stat.size)) out += piece;
  return out;
}

async function failure(file: string, filename = path.basename(file)) {
  try {
    await text(file, filename);
  } catch (e) {
    return e as Error & { code?: string };
  }
  return null;
}

const SLIDE = (body: string) =>
  `<?xml version="1.0"?><p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>${body}</p:spTree></p:cSld></p:sld>`;
const para = (...runs: string[]) => `<a:p>${runs.map((r) => `<a:r><a:t>${r}</a:t></a:r>`).join("")}</a:p>`;

const GiB = 1024; // in MiB, as the bomb builders take it

/** [case, file name, the archive] — each inflates to 1 GiB or more from about 1 MiB. */
const BOMBS: [string, string, () => Buffer][] = [
  [
    "PPTX slide declaring its 1 GiB",
    "deck.pptx",
    () => makeZip([{ name: "ppt/slides/slide1.xml", zerosMiB: GiB }]),
  ],
  [
    "PPTX slide declaring 2 KiB, inflating to 1 GiB",
    "deck.pptx",
    () => makeZip([{ name: "ppt/slides/slide1.xml", zerosMiB: GiB, declaredSize: 2048 }]),
  ],
  [
    "PPTX slide with sizes in a data descriptor",
    "deck.pptx",
    () => makeZip([{ name: "ppt/slides/slide1.xml", zerosMiB: GiB, dataDescriptor: true }]),
  ],
  [
    "PPTX of 40 slides of 40 MiB each",
    "deck.pptx",
    () =>
      makeZip(Array.from({ length: 40 }, (_, i) => ({ name: `ppt/slides/slide${i + 1}.xml`, zerosMiB: 40 }))),
  ],
  ["DOCX body declaring its 1 GiB", "report.docx", () => makeZip(docxEntries({ zerosMiB: GiB }))],
  [
    "DOCX body declaring 2 KiB, inflating to 1 GiB",
    "report.docx",
    () => makeZip(docxEntries({ zerosMiB: GiB, declaredSize: 2048 })),
  ],
  [
    "DOCX body with sizes in a data descriptor",
    "report.docx",
    () => makeZip(docxEntries({ zerosMiB: GiB, dataDescriptor: true })),
  ],
  ["PDF page whose content stream inflates to 1 GiB", "paper.pdf", () => pdfBomb(GiB)],
];

const MEMORY_BOUND_MB = 200;

describe("decompression bombs fail with parsing_error, in bounded memory", () => {
  it.each(BOMBS)(
    "%s",
    async (_, filename, build) => {
      const bomb = build();
      expect(bomb.length).toBeLessThan(48 * 1024 * 1024);
      const file = await save(`${Math.random().toString(36).slice(2)}-${filename}`, bomb);
      const run = await runIsolated(
        `import { extractText } from "@root/lib/engine/extract/index.ts";
      // Libraries loaded before the baseline: their code is not the bomb's memory.
      await import("unpdf"); await import("mammoth"); await import("fflate");
      const before = process.resourceUsage().maxRSS;
      let outcome;
      try {
        let chars = 0;
        for await (const piece of extractText(${JSON.stringify(file)}, ${JSON.stringify(filename)}, ${bomb.length})) chars += piece.length;
        outcome = { ok: true, chars };
      } catch (e) {
        outcome = { ok: false, name: e.name, code: e.code, message: e.message };
      }
      const grownMB = (process.resourceUsage().maxRSS - before) / 1024;
      console.log(JSON.stringify({ ...outcome, grownMB }));`,
        90_000,
      );
      expect(run.finished, `extraction did not end within 90 s\n${run.stderr.slice(-2000)}`).toBe(true);
      const last = run.stdout.trim().split("\n").pop() ?? "";
      expect(last, run.stderr.slice(-2000)).toMatch(/^\{/);
      const result = JSON.parse(last) as { ok: boolean; code?: string; message?: string; grownMB: number };
      expect(result).toMatchObject({ ok: false, code: "parsing_error" });
      expect(result.message).toContain(filename);
      expect(result.message).toMatch(/the local engine inflates at most \d+ MB/);
      expect(result.grownMB, "peak memory growth in MB").toBeLessThan(MEMORY_BOUND_MB);
    },
    120_000,
  );
});

describe("PPTX text", () => {
  it("reads slides in slide order, paragraphs on their own lines, entities decoded", async () => {
    const file = await save(
      "order.pptx",
      makeZip([
        { name: "ppt/slides/slide10.xml", data: SLIDE(para("Ten")) },
        {
          name: "ppt/slides/slide2.xml",
          data: SLIDE(para("Two &amp; a ", "half") + para("&#x4e2d;&lt;&#65;")),
        },
        { name: "ppt/media/image1.png", data: new Uint8Array(64) },
        {
          name: "ppt/slides/slide1.xml",
          data: SLIDE(`<a:p><a:r><a:t xml:space="preserve">One</a:t></a:r></a:p>`),
        },
      ]),
    );
    expect(await text(file)).toBe("One\n\nTwo & a half\n中<A\n\nTen\n\n");
  });

  it("a slide of hostile markup ('<a:t ' 100,000 times, never closed) is read in linear time", async () => {
    // The old regex backtracked quadratically on this (minutes); the deadline fails it.
    const file = await save(
      "hostile.pptx",
      makeZip([
        { name: "ppt/slides/slide1.xml", data: SLIDE("<a:t ".repeat(100_000) + para("after")) },
        {
          name: "ppt/slides/slide2.xml",
          data: SLIDE(para("x") + "</a:p>".repeat(50_000) + "<a:t>" + "y".repeat(200_000)),
        },
      ]),
    );
    const run = await runIsolated(
      `import { extractText } from "@root/lib/engine/extract/index.ts";
      let out = "";
      for await (const piece of extractText(${JSON.stringify(file)}, "hostile.pptx", 1)) out += piece;
      console.log(JSON.stringify(out));`,
      10_000,
    );
    expect(run.finished, "the slides took more than 10 s").toBe(true);
    expect(JSON.parse(run.stdout.trim()), run.stderr).toBe("after\n\nx\n\n");
  });

  it("refuses more text than a file may hold, naming the limit", async () => {
    const chars = EXTRACTION_LIMITS.documentTextChars;
    const slides: ZipEntry[] = Array.from({ length: 3 }, (_, i) => ({
      name: `ppt/slides/slide${i + 1}.xml`,
      data: SLIDE(para("w ".repeat(Math.ceil(chars / 5)))),
    }));
    const err = await failure(await save("wordy.pptx", makeZip(slides)));
    expect(err).toMatchObject({ code: "parsing_error" });
    expect(err?.message).toMatch(/wordy\.pptx has more than [\d,]+ characters of text/);
  });
});

describe("PDF bounds", () => {
  it("refuses a PDF with more pages than the engine reads", async () => {
    const pages = EXTRACTION_LIMITS.pdfPages + 1;
    const one = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>`;
    // One page object listed many times: a page tree that claims pdfPages + 1 pages in a few KB.
    const objects = [
      "<< /Type /Catalog /Pages 2 0 R >>",
      `<< /Type /Pages /Kids [${"3 0 R ".repeat(pages)}] /Count ${pages} >>`,
      one,
    ];
    let out = "%PDF-1.4\n";
    const offsets: number[] = [];
    objects.forEach((o, i) => {
      offsets.push(out.length);
      out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const xref = out.length;
    out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
    out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    const err = await failure(await save("long.pdf", Buffer.from(out, "latin1")));
    expect(err).toMatchObject({ code: "parsing_error" });
    expect(err?.message).toMatch(/long\.pdf has \d+ pages; the local engine reads up to [\d,]+/);
  });
});
