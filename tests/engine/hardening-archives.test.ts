import { toFile } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { docxEntries, makeZip, pdfBomb } from "../helpers/bombs";
import { makeHarness, type Harness } from "./harness";

// A decompression bomb uploaded for file search: its vector-store file ends `failed` with
// `parsing_error` and a message saying which limit it hit, and the engine keeps answering while it
// reads it. The bombs are ~1 MB and inflate to 1 GiB whatever their headers declare.

let h: Harness;
afterEach(async () => h?.cleanup());

const GiB = 1024; // MiB
const BOMBS: [string, string, () => Buffer][] = [
  [
    "a PPTX whose slide declares 2 KiB",
    "deck.pptx",
    () => makeZip([{ name: "ppt/slides/slide1.xml", zerosMiB: GiB, declaredSize: 2048 }]),
  ],
  [
    "a DOCX whose body's sizes hide in a data descriptor",
    "report.docx",
    () => makeZip(docxEntries({ zerosMiB: GiB, dataDescriptor: true })),
  ],
  ["a PDF whose page content is a 1 GiB flate stream", "paper.pdf", () => pdfBomb(GiB)],
];

describe("decompression bombs through the API", () => {
  it.each(BOMBS)(
    "%s: failed with parsing_error; the engine answers meanwhile",
    async (_, filename, build) => {
      h = await makeHarness();
      const c = h.v2.client;
      const bytes = build();
      expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
      const file = await c.files.create({ file: await toFile(bytes, filename), purpose: "assistants" });
      const store = await c.vectorStores.create({ name: "bombs", file_ids: [file.id] });
      let slowest = 0;
      const deadline = Date.now() + 60_000;
      let vf = await c.vectorStores.files.retrieve(file.id, { vector_store_id: store.id });
      while (vf.status === "in_progress" && Date.now() < deadline) {
        const started = performance.now();
        await c.beta.assistants.list();
        slowest = Math.max(slowest, performance.now() - started);
        await new Promise((r) => setTimeout(r, 20));
        vf = await c.vectorStores.files.retrieve(file.id, { vector_store_id: store.id });
      }
      expect(vf.status).toBe("failed");
      expect(vf.last_error?.code).toBe("parsing_error");
      expect(vf.last_error?.message).toContain(filename);
      expect(vf.last_error?.message).toMatch(/the local engine inflates at most \d+ MB/);
      expect(slowest, "slowest assistants.list() during ingestion, ms").toBeLessThan(1000);
      h.v2.assertClean();
    },
    90_000,
  );
});
