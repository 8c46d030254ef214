import fs from "node:fs";
import path from "node:path";
import { toFile } from "openai";
import type { VectorStoreFile } from "openai/resources/vector-stores/files";
import { afterEach, describe, expect, it } from "vitest";
import { eventually, makeHarness, textFile, type Harness } from "./harness";
import { makeDocx, makePdf, makePptx } from "./ingestion-fixtures";

let h: Harness;
afterEach(async () => h?.cleanup());

async function upload(name: string, bytes: Buffer | string) {
  return h.v2.client.files.create({
    file: await toFile(typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes, name),
    purpose: "assistants",
  });
}

async function ingest(fileId: string, vectorStoreId: string): Promise<VectorStoreFile> {
  await h.v2.client.vectorStores.files.create(vectorStoreId, { file_id: fileId });
  return h.v2.client.vectorStores.files.poll(vectorStoreId, fileId, { pollIntervalMs: 10 });
}

function chunksOf(vsId: string, fileId: string): string[] {
  return fs
    .readFileSync(path.join(h.dir, "chunks", `${vsId}__${fileId}.jsonl`), "utf8")
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

/** Asks the scripted model with file_search on; returns the answer text and its citations. */
async function ask(vectorStoreId: string, question: string) {
  const c = h.v2.client;
  const a = await c.beta.assistants.create({
    model: "gpt-4o",
    tools: [{ type: "file_search" }],
    tool_resources: { file_search: { vector_store_ids: [vectorStoreId] } },
  });
  const t = await c.beta.threads.create({ messages: [{ role: "user", content: question }] });
  const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id }, { pollIntervalMs: 10 });
  expect(run.status).toBe("completed");
  const [answer] = (await c.beta.threads.messages.list(t.id, { order: "desc", limit: 1 })).data;
  const part = answer!.content[0];
  if (part?.type !== "text") throw new Error("expected a text answer");
  return {
    text: part.text.value,
    cited: part.text.annotations.flatMap((x) =>
      x.type === "file_citation" ? [x.file_citation.file_id] : [],
    ),
  };
}

describe("ingestion: text extraction per format", () => {
  it("extracts txt, md, pdf, docx and pptx, and file_search quotes each with a citation", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const vs = await c.vectorStores.create({ name: "formats" });
    const docs = {
      txt: await upload("otters.txt", "Sea otters hold hands while sleeping so they do not drift apart."),
      md: await upload(
        "lighthouse.md",
        "# Lighthouses\n\nThe Pharos lighthouse stood on the island of Alexandria.",
      ),
      pdf: await upload(
        "volcano.pdf",
        makePdf([["Introduction to geology."], ["The Krakatoa volcano erupted violently in 1883."]]),
      ),
      docx: await upload(
        "glacier.docx",
        makeDocx(["Glaciers move slowly.", "The Perito Moreno glacier advances in Patagonia."]),
      ),
      pptx: await upload(
        "comet.pptx",
        makePptx([["Title slide"], ["Halley's comet returns every 76 years."]]),
      ),
    };
    for (const f of Object.values(docs)) {
      const vf = await ingest(f.id, vs.id);
      expect(vf, f.filename).toMatchObject({ status: "completed", last_error: null });
      expect(vf.usage_bytes).toBeGreaterThan(0);
    }
    // The extracted text (not the container's bytes) is what was chunked.
    expect(chunksOf(vs.id, docs.pdf.id).join(" ")).toContain(
      "The Krakatoa volcano erupted violently in 1883.",
    );
    expect(chunksOf(vs.id, docs.pdf.id).join(" ")).not.toContain("endobj");
    expect(chunksOf(vs.id, docs.docx.id).join(" ")).toContain(
      "The Perito Moreno glacier advances in Patagonia.",
    );
    expect(chunksOf(vs.id, docs.pptx.id).join(" ")).toContain("Halley's comet returns every 76 years.");

    const cases: [keyof typeof docs, string, string][] = [
      ["pdf", "When did the Krakatoa volcano erupt?", "Krakatoa volcano erupted violently in 1883"],
      [
        "docx",
        "Where does the Perito Moreno glacier advance?",
        "Perito Moreno glacier advances in Patagonia",
      ],
      ["pptx", "How often does Halley's comet return?", "comet returns every 76 years"],
      ["txt", "Why do sea otters hold hands?", "Sea otters hold hands while sleeping"],
      ["md", "Where stood the Pharos lighthouse?", "Pharos lighthouse stood on the island of Alexandria"],
    ];
    for (const [kind, question, quote] of cases) {
      const answer = await ask(vs.id, question);
      expect(answer.text, kind).toContain(quote);
      expect(answer.text).toMatch(/【\d+:\d+†source】/);
      expect(answer.cited, kind).toContain(docs[kind].id);
    }
  });

  it("reads UTF-16 text with a byte-order mark", async () => {
    h = await makeHarness();
    const vs = await h.v2.client.vectorStores.create({});
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("Narwhal tusks are teeth.", "utf16le"),
    ]);
    const f = await upload("narwhal.txt", utf16);
    expect(await ingest(f.id, vs.id)).toMatchObject({ status: "completed" });
    expect(chunksOf(vs.id, f.id)).toEqual(["Narwhal tusks are teeth."]);
  });
});

describe("ingestion: chunking strategy", () => {
  it("cuts chunks per the static strategy, with the overlap it asks for", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const words = Array.from({ length: 600 }, (_, i) => `word${i}`).join(" ");
    const f = await upload("words.txt", words);
    const plain = await c.vectorStores.create({
      file_ids: [f.id],
      chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 0 } },
    });
    const overlapped = await c.vectorStores.create({
      file_ids: [f.id],
      chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 50 } },
    });
    const auto = await c.vectorStores.create({ file_ids: [f.id], chunking_strategy: { type: "auto" } });
    for (const vs of [plain, overlapped, auto])
      await eventually(async () => (await c.vectorStores.retrieve(vs.id)).file_counts.completed === 1);

    const a = chunksOf(plain.id, f.id);
    const b = chunksOf(overlapped.id, f.id);
    expect(a.every((x) => x.length <= 400)).toBe(true);
    expect(b.every((x) => x.length <= 400)).toBe(true);
    // Without overlap the chunks put back together are the text; with 50 tokens (~200 characters)
    // of overlap each chunk repeats the end of the previous one, so there are about twice as many.
    expect(a.join(" ")).toBe(words);
    expect(b.length).toBeGreaterThanOrEqual(a.length * 2 - 2);
    for (let i = 1; i < b.length; i++) {
      const firstWord = b[i]!.split(" ")[0]!;
      expect(b[i - 1]).toContain(firstWord);
    }
    // auto = 800 tokens: 600 short words (~4 300 characters) fit in two chunks.
    expect(chunksOf(auto.id, f.id).length).toBeLessThanOrEqual(2);
    const vsf = await c.vectorStores.files.retrieve(f.id, { vector_store_id: overlapped.id });
    expect(vsf.usage_bytes).toBeGreaterThan(
      (await c.vectorStores.files.retrieve(f.id, { vector_store_id: plain.id })).usage_bytes,
    );
  });
});

describe("ingestion: files the engine cannot read fail with the protocol's codes", () => {
  it("unhandled_mime_type for images and legacy formats; parsing_error for corrupt or empty documents", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const vs = await c.vectorStores.create({});
    const cases: [string, Buffer | string, string, RegExp][] = [
      ["photo.png", Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0]), "unhandled_mime_type", /\.png/],
      ["legacy.doc", Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), "unhandled_mime_type", /\.doc/],
      [
        "broken.pdf",
        "%PDF-1.4 this is not really a pdf",
        "parsing_error",
        /broken\.pdf could not be read as a PDF/,
      ],
      ["broken.docx", "PK not a zip at all", "parsing_error", /broken\.docx could not be read as a DOCX/],
      ["broken.pptx", "not a presentation", "parsing_error", /broken\.pptx could not be read as a PPTX/],
      ["blank.pdf", makePdf([[]]), "parsing_error", /blank\.pdf contains no text/],
      ["blank.docx", makeDocx([]), "parsing_error", /blank\.docx contains no text/],
      ["binary.txt", Buffer.from([104, 105, 0, 0, 1, 2]), "parsing_error", /binary\.txt is not text/],
      ["spaces.md", "   \n\n  ", "parsing_error", /spaces\.md contains no text/],
    ];
    for (const [name, bytes, code, message] of cases) {
      const f = await upload(name, bytes);
      const vf = await ingest(f.id, vs.id);
      expect(vf.status, name).toBe("failed");
      expect(vf.last_error?.code, name).toBe(code);
      expect(vf.last_error?.message, name).toMatch(message);
      expect(vf.usage_bytes).toBe(0);
    }
    const store = await c.vectorStores.retrieve(vs.id);
    expect(store.file_counts).toMatchObject({ failed: cases.length, completed: 0, in_progress: 0 });
    expect(store.usage_bytes).toBe(0);
    // Nothing of a failed file is searchable.
    const answer = await ask(vs.id, "pdf presentation zip");
    expect(answer.cited).toEqual([]);
  });
});

describe("ingestion: mixed outcomes in one store", () => {
  it("keeps failed and completed files apart in one store", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const good = await c.files.create({
      file: await textFile("good.md", "Kiwis are flightless birds."),
      purpose: "assistants",
    });
    const bad = await upload("scan.jpg", Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    const vs = await c.vectorStores.create({ file_ids: [good.id, bad.id] });
    await eventually(async () => (await c.vectorStores.retrieve(vs.id)).file_counts.in_progress === 0);
    expect((await c.vectorStores.retrieve(vs.id)).file_counts).toMatchObject({
      completed: 1,
      failed: 1,
      total: 2,
    });
    const answer = await ask(vs.id, "Are kiwis flightless birds?");
    expect(answer.text).toContain("Kiwis are flightless birds");
    expect(answer.cited).toEqual([good.id]);
  });
});
