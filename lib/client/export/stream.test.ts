import { beforeEach, describe, expect, it } from "vitest";
import { unzipSync, zipSync, strToU8 } from "fflate";
import { toFile } from "openai";
import { specCheckedClient, type SpecCheckedClient } from "@/tests/helpers/sdk";
import { loadRoute, ORIGIN } from "@/tests/proxy/harness";
import { readArchive } from "./archive";
import { streamBackup } from "./backup";
import { crc32, type ByteSink } from "./zip-stream";

// A backup streamed to disk: each thread and file goes to the writable as soon as it is read, so the
// page never holds the archive; the archive reads back whole, and the server's streaming restore
// takes it (a stored .docx — itself a zip — comes back byte for byte).

const API_VERSION = "2024-05-01-preview";
type Engine = import("@/lib/engine").Engine;

let engine: Engine;
let sdk: SpecCheckedClient;
/** What happened, in order: engine reads of threads and file contents, and the writable's writes. */
let events: string[];

beforeEach(async () => {
  const { engineModule } = await loadRoute({});
  engine = engineModule.getEngine();
  await engine.fetch(new Request("http://engine.test/_engine/reset", { method: "POST" }));
  events = [];
  sdk = specCheckedClient(
    (req) => {
      const path = new URL(req.url).pathname.replace(/^\/openai/, "");
      if (req.method === "GET" && /^\/(threads\/[^/]+|files\/[^/]+\/content)$/.test(path))
        events.push(`read ${path}`);
      return engine.fetch(req);
    },
    { apiVersion: API_VERSION },
  );
});

/** A writable that keeps nothing but a copy for the test, and notes each write as it comes. */
function fakeWritable() {
  const chunks: Uint8Array[] = [];
  let closed = false;
  let aborted = false;
  const sink: ByteSink = {
    async write(chunk) {
      events.push(`write ${chunk.length}`);
      chunks.push(chunk.slice());
    },
    async close() {
      closed = true;
    },
    async abort() {
      aborted = true;
    },
  };
  const bytes = () => {
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  };
  return { sink, bytes, chunks, state: () => ({ closed, aborted }) };
}

async function seed() {
  const c = sdk.client;
  // A .docx is a zip: its bytes hold "PK\x03\x04" headers, the case fflate's streaming Zip gets wrong.
  const docx = zipSync({ "word/document.xml": strToU8("<w:document>Lyon ships on Tuesdays</w:document>") });
  const files = [
    await c.files.create({ file: await toFile(Buffer.from(docx), "notes.docx"), purpose: "assistants" }),
    await c.files.create({ file: await toFile(Buffer.alloc(300_000, 7), "big.csv"), purpose: "assistants" }),
    await c.files.create({
      file: await toFile(Buffer.from("a,b\n1,2\n"), "small.csv"),
      purpose: "assistants",
    }),
  ];
  const assistant = await c.beta.assistants.create({
    model: "gpt-4o",
    name: "Streamed",
    tools: [{ type: "code_interpreter" }],
    tool_resources: { code_interpreter: { file_ids: files.map((f) => f.id) } },
  });
  const threads = [];
  for (let i = 0; i < 4; i++)
    threads.push(
      await c.beta.threads.create({
        messages: [{ role: "user", content: `Question ${i} ${"x".repeat(2000)}` }],
      }),
    );
  return { docx, files, assistant, threads };
}

describe("a backup streamed to a writable", () => {
  it("writes each thread and file as it is read (bounded memory) and reads back as the same backup", async () => {
    const s = await seed();
    const out = fakeWritable();
    const { manifest, bytes } = await streamBackup(
      sdk.client,
      {
        connection: { name: "local", kind: "local", apiVersion: API_VERSION },
        knownThreads: [],
        listThreads: true,
      },
      out.sink,
    );
    expect(out.state()).toEqual({ closed: true, aborted: false });

    // Flushed as produced: every read is followed by its write before the next read starts.
    const reads = events.filter((e) => e.startsWith("read "));
    expect(reads).toHaveLength(s.threads.length + s.files.length);
    for (let i = 0; i < events.length; i++) {
      if (!events[i]!.startsWith("read ")) continue;
      const nextRead = events.findIndex((e, j) => j > i && e.startsWith("read "));
      const writes = events
        .slice(i + 1, nextRead === -1 ? undefined : nextRead)
        .filter((e) => e.startsWith("write"));
      expect(writes.length, `writes after ${events[i]}`).toBeGreaterThan(0);
    }
    // No write is larger than the largest entry (the 300 KB file) and its header: never the archive.
    const largest = Math.max(...out.chunks.map((c) => c.length));
    expect(largest).toBeLessThan(300_000 + 200);
    expect(bytes).toBe(out.bytes().length);
    expect(bytes).toBeGreaterThan(300_000);

    const archive = await readArchive(out.bytes());
    expect(archive.manifest).toEqual(manifest);
    expect(archive.manifest.counts).toMatchObject({ assistants: 1, files: 3, threads: 4, messages: 4 });
    expect(archive.threads.map((t) => t.thread.id).sort()).toEqual(s.threads.map((t) => t.id).sort());
    expect([...archive.bytes.get(s.files[0]!.id)!]).toEqual([...s.docx]);
    expect(archive.bytes.get(s.files[1]!.id)!.length).toBe(300_000);
    // Every entry's checksum is right (unzipSync checks sizes; the CRC is ours).
    const entries = unzipSync(out.bytes());
    expect(crc32(entries[`files/${s.files[0]!.id}`]!)).toBe(crc32(s.docx));
    sdk.assertClean();
  });

  it("is taken by the server's streaming restore: the .docx comes back byte for byte", async () => {
    const s = await seed();
    const out = fakeWritable();
    await streamBackup(
      sdk.client,
      {
        connection: { name: "local", kind: "local", apiVersion: API_VERSION },
        knownThreads: [],
        listThreads: true,
      },
      out.sink,
    );
    await engine.fetch(new Request("http://engine.test/_engine/reset", { method: "POST" }));
    const route = await import("@/app/api/playground/backup/restore/route");
    const res = await route.POST(
      new Request(`${ORIGIN}/api/playground/backup/restore`, {
        method: "POST",
        headers: { "content-type": "application/zip" },
        body: out.bytes() as BodyInit,
      }),
    );
    expect(res.status).toBe(200);
    const content = await sdk.client.files.content(s.files[0]!.id);
    expect(new Uint8Array(await content.arrayBuffer())).toEqual(s.docx);
    expect((await sdk.client.beta.threads.retrieve(s.threads[3]!.id)).id).toBe(s.threads[3]!.id);
  });

  it("aborts the writable when the backup fails, so no half archive is left as a backup", async () => {
    const out = fakeWritable();
    const controller = new AbortController();
    controller.abort();
    await expect(
      streamBackup(
        sdk.client,
        {
          connection: { name: "local", kind: "local", apiVersion: API_VERSION },
          knownThreads: [],
          listThreads: true,
          signal: controller.signal,
        },
        out.sink,
      ),
    ).rejects.toThrow();
    expect(out.state()).toEqual({ closed: false, aborted: true });
  });
});
