import { beforeEach, describe, expect, it } from "vitest";
import { zipSync, strToU8 } from "fflate";
import { toFile } from "openai";
import { specCheckedClient, type SpecCheckedClient } from "@/tests/helpers/sdk";
import { loadRoute, ORIGIN, TEST_DATA_DIR } from "@/tests/proxy/harness";
import { makeZip, type ZipEntry } from "@/tests/helpers/bombs";
import { readArchive } from "@/lib/client/export/archive";
import { collectBackup, createBackup } from "@/lib/client/export/backup";
import { planRestore, restoreByRecreating } from "@/lib/client/export/restore";
import { exportThread, threadToMarkdown } from "@/lib/client/export/thread";
import fs from "node:fs";
import path from "node:path";

// The connection backup end to end: built through the SDK from a real engine, zipped, read back,
// restored into the local engine by the restore route (ids, runs and steps kept), and recreated
// through the API (new ids, messages replayed). Every engine response is checked against the spec.

const API_VERSION = "2024-05-01-preview";
type Engine = import("@/lib/engine").Engine;

let engine: Engine;
let sdk: SpecCheckedClient;
let restoreRoute: typeof import("@/app/api/playground/backup/restore/route");

beforeEach(async () => {
  const { engineModule } = await loadRoute({});
  engine = engineModule.getEngine();
  await engine.fetch(new Request("http://engine.test/_engine/reset", { method: "POST" }));
  sdk = specCheckedClient((req) => engine.fetch(req), { apiVersion: API_VERSION });
  restoreRoute = await import("@/app/api/playground/backup/restore/route");
});

function restore(zip: Uint8Array, query = "") {
  return restoreRoute.POST(
    new Request(`${ORIGIN}/api/playground/backup/restore${query}`, {
      method: "POST",
      headers: { "content-type": "application/zip" },
      body: zip as BodyInit,
    }),
  );
}

async function idle() {
  await engine.fetch(new Request("http://engine.test/_engine/idle", { method: "POST" }));
}

/** An assistant with code interpreter and file search over a vector store, and a thread with two runs. */
async function seed() {
  const c = sdk.client;
  const notes = await c.files.create({
    file: await toFile(Buffer.from("The warehouse in Lyon ships on Tuesdays.\n"), "shipping.md"),
    purpose: "assistants",
  });
  const store = await c.vectorStores.create({ name: "Shipping notes", file_ids: [notes.id] });
  await idle();
  const assistant = await c.beta.assistants.create({
    model: "gpt-4o",
    name: "Backup subject",
    instructions: "You answer from the notes and draw charts.",
    tools: [{ type: "code_interpreter" }, { type: "file_search" }],
    tool_resources: { file_search: { vector_store_ids: [store.id] } },
    metadata: { team: "ops" },
  });
  const thread = await c.beta.threads.create({
    messages: [{ role: "user", content: "Create a visualization of a sinewave" }],
  });
  const first = await c.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
  expect(first.status).toBe("completed");
  await c.beta.threads.messages.create(thread.id, {
    role: "user",
    content: "When does the Lyon warehouse ship?",
  });
  const second = await c.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
  expect(second.status).toBe("completed");
  return { notes, store, assistant, thread, runs: [first, second] };
}

describe("connection backup", () => {
  it("archives assistants, the vector stores and files they use, threads with messages, runs and steps", async () => {
    const s = await seed();
    const contents = await collectBackup(sdk.client, {
      connection: { name: "local", kind: "local", apiVersion: API_VERSION },
      knownThreads: [{ id: s.thread.id, assistantId: s.assistant.id, title: "Sine and shipping" }],
      listThreads: true,
    });
    expect(contents.assistants.map((a) => a.id)).toEqual([s.assistant.id]);
    expect(contents.vectorStores.map((v) => v.vector_store.id)).toEqual([s.store.id]);
    expect(contents.vectorStores[0]!.files.map((f) => f.id)).toEqual([s.notes.id]);
    expect(contents.threads).toHaveLength(1);
    const t = contents.threads[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(t.runs.map((r) => r.run.id)).toEqual(s.runs.map((r) => r.id));
    expect(t.runs.every((r) => r.steps.length > 0)).toBe(true);
    // The uploaded notes and the chart the code interpreter drew.
    const chart = contents.files.find((f) => f.purpose === "assistants_output");
    expect(chart).toBeDefined();
    expect(contents.files.map((f) => f.id)).toContain(s.notes.id);
    expect(new TextDecoder().decode(contents.bytes.get(s.notes.id))).toContain("Lyon ships on Tuesdays");
    expect([...contents.bytes.get(chart!.id)!.subarray(1, 4)]).toEqual([80, 78, 71]); // PNG
    expect(contents.manifest.counts).toMatchObject({
      assistants: 1,
      vectorStores: 1,
      threads: 1,
      messages: 4,
      runs: 2,
    });
    expect(contents.manifest.threadIndex).toEqual([
      { id: s.thread.id, assistantId: s.assistant.id, title: "Sine and shipping" },
    ]);
    sdk.assertClean();
  });

  it("restores into the local engine with the same ids, runs and steps; refuses or skips what exists", async () => {
    const s = await seed();
    const { zip, manifest } = await createBackup(sdk.client, {
      connection: { name: "local", kind: "local", apiVersion: API_VERSION },
      knownThreads: [],
      listThreads: true,
    });
    const before = await readArchive(zip);
    const beforeSteps = before.threads[0]!.runs.flatMap((r) => r.steps.map((st) => st.id));

    // Everything still exists: a dry run names the collisions, a real one is refused.
    const dry = await restore(zip, "?dryRun=true");
    expect(dry.status).toBe(200);
    const dryReport = (await dry.json()) as { collisions: string[] };
    expect(dryReport.collisions).toEqual(
      expect.arrayContaining([s.assistant.id, s.thread.id, s.store.id, s.notes.id]),
    );
    const refused = await restore(zip);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: "backup_conflict",
      message: expect.stringContaining("already exist") as unknown,
    });
    const skipped = await restore(zip, "?onConflict=skip");
    expect(skipped.status).toBe(200);
    expect(((await skipped.json()) as { created: { assistants: number } }).created.assistants).toBe(0);

    // Into an empty engine: everything comes back as it was.
    await engine.fetch(new Request("http://engine.test/_engine/reset", { method: "POST" }));
    await expect(sdk.client.beta.assistants.retrieve(s.assistant.id)).rejects.toThrow(/No assistant found/);
    const res = await restore(zip);
    expect(res.status).toBe(200);
    const report = (await res.json()) as { created: Record<string, number>; collisions: string[] };
    expect(report.collisions).toEqual([]);
    expect(report.created).toMatchObject({
      assistants: 1,
      vectorStores: 1,
      threads: 1,
      messages: 4,
      runs: 2,
      files: manifest.counts.files,
      steps: manifest.counts.steps,
    });

    const c = sdk.client;
    const assistant = await c.beta.assistants.retrieve(s.assistant.id);
    expect(assistant).toMatchObject({ name: "Backup subject", metadata: { team: "ops" } });
    expect(assistant.tool_resources?.file_search?.vector_store_ids).toEqual([s.store.id]);
    const runs = await c.beta.threads.runs.list(s.thread.id, { order: "asc" });
    expect(runs.data.map((r) => [r.id, r.status])).toEqual(s.runs.map((r) => [r.id, "completed"]));
    const steps = [];
    for (const r of runs.data)
      steps.push(
        ...(await c.beta.threads.runs.steps.list(r.id, { thread_id: s.thread.id, order: "asc" })).data.map(
          (st) => st.id,
        ),
      );
    expect(steps).toEqual(beforeSteps);
    const messages = await c.beta.threads.messages.list(s.thread.id, { order: "asc" });
    expect(messages.data.map((m) => m.id)).toEqual(before.threads[0]!.messages.map((m) => m.id));
    const notes = await c.files.content(s.notes.id);
    expect(await notes.text()).toBe("The warehouse in Lyon ships on Tuesdays.\n");
    await idle();
    const vsFile = await c.vectorStores.files.retrieve(s.notes.id, { vector_store_id: s.store.id });
    expect(vsFile.status).toBe("completed");

    // The restored thread is live: a new run searches the restored store.
    await c.beta.threads.messages.create(s.thread.id, {
      role: "user",
      content: "When does the Lyon warehouse ship?",
    });
    const again = await c.beta.threads.runs.createAndPoll(s.thread.id, { assistant_id: s.assistant.id });
    expect(again.status).toBe("completed");
    const answer = (await c.beta.threads.messages.list(s.thread.id, { limit: 1 })).data[0]!;
    expect(JSON.stringify(answer.content)).toContain("Tuesdays");
    sdk.assertClean();
  });

  it("recreates a backup through the API elsewhere: new ids, messages replayed, no runs", async () => {
    await seed();
    const { zip } = await createBackup(sdk.client, {
      connection: { name: "local", kind: "local", apiVersion: API_VERSION },
      knownThreads: [],
      listThreads: true,
    });
    const backup = await readArchive(zip);
    const plan = planRestore(backup, { name: "azure", label: "Azure OpenAI", kind: "azure-openai" });
    expect(plan.mode).toBe("recreate");
    expect(plan.notes.join(" ")).toMatch(/Runs and run steps cannot be recreated through the API/);
    expect(planRestore(backup, { name: "local", label: "Local", kind: "local" }).notes.join(" ")).toMatch(
      /keeps everything: ids, messages, 2 runs/,
    );

    await engine.fetch(new Request("http://engine.test/_engine/reset", { method: "POST" }));
    const result = await restoreByRecreating(sdk.client, backup);
    const src = backup.threads[0]!;
    const newThread = result.ids[src.thread.id]!;
    expect(newThread).toBeDefined();
    expect(newThread).not.toBe(src.thread.id);
    const replayed = await sdk.client.beta.threads.messages.list(newThread, { order: "asc" });
    expect(replayed.data.map((m) => m.role)).toEqual(src.messages.map((m) => m.role));
    expect(replayed.data[0]!.content[0]).toMatchObject({
      type: "text",
      text: { value: "Create a visualization of a sinewave" },
    });
    expect((await sdk.client.beta.threads.runs.list(newThread)).data).toEqual([]);
    const assistant = await sdk.client.beta.assistants.retrieve(result.ids[backup.assistants[0]!.id]!);
    expect(assistant.tool_resources?.file_search?.vector_store_ids).toEqual([
      result.ids[backup.vectorStores[0]!.vector_store.id],
    ]);
    expect(result.created).toMatchObject({
      assistants: 1,
      vectorStores: 1,
      threads: 1,
      messages: 4,
      runs: 0,
    });
    sdk.assertClean();
  });

  it("refuses what is not a backup, clearly", async () => {
    const junk = await restore(new TextEncoder().encode("not a zip at all"));
    expect(junk.status).toBe(400);
    expect(((await junk.json()) as { error: { code: string } }).error.code).toBe("invalid_backup");
    const other = await restore(
      zipSync({ "manifest.json": strToU8(JSON.stringify({ format: "something-else" })) }),
    );
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(
      /not an Assistants Playground backup/,
    );
    await expect(readArchive(new TextEncoder().encode("nope"))).rejects.toThrow(/not a zip archive/);
  });

  it("refuses cross-site callers like the proxy does", async () => {
    const res = await restoreRoute.POST(
      new Request(`${ORIGIN}/api/playground/backup/restore`, {
        method: "POST",
        headers: {
          "content-type": "application/zip",
          origin: "https://evil.example",
          "sec-fetch-site": "cross-site",
        },
        body: new Uint8Array([1, 2, 3]),
      }),
    );
    expect(res.status).toBe(403);
  });
});

describe("thread export", () => {
  it("exports a thread as JSON with its generated files, and as a Markdown transcript", async () => {
    const s = await seed();
    const exp = await exportThread(sdk.client, s.thread.id, {
      connection: "local",
      apiVersion: API_VERSION,
      title: "Sine",
    });
    expect(exp.thread.id).toBe(s.thread.id);
    expect(exp.messages).toHaveLength(4);
    expect(exp.runs.map((r) => r.run.id)).toEqual(s.runs.map((r) => r.id));
    expect(exp.files).toHaveLength(1);
    expect(exp.files[0]!.file?.purpose).toBe("assistants_output");
    expect(exp.files[0]!.content_base64!.startsWith("iVBORw0KGgo")).toBe(true); // PNG
    const md = threadToMarkdown(exp);
    expect(md).toContain(`# Sine — Thread \`${s.thread.id}\``);
    expect(md).toContain("Create a visualization of a sinewave");
    expect(md).toContain(`### Run \`${s.runs[0]!.id}\` — completed`);
    expect(md).toMatch(/\*\*Code interpreter\*\* \(completed\)\n\n```python\n/);
    expect(md).toMatch(/\*\*File search\*\* \(completed\)/);
    expect(md).toContain("When does the Lyon warehouse ship?");
    expect(md).toContain("## Generated files");
    // The conversation reads in order: the first question before the first run, the second after.
    expect(md.indexOf("Create a visualization")).toBeLessThan(md.indexOf(s.runs[0]!.id));
    expect(md.indexOf(s.runs[0]!.id)).toBeLessThan(md.indexOf("When does the Lyon"));
    expect(md.indexOf("When does the Lyon")).toBeLessThan(md.indexOf(`### Run \`${s.runs[1]!.id}\``));
    sdk.assertClean();
  });
});

describe("restore bounds", () => {
  const MiB = 1024 * 1024;
  /** A valid backup holding one file, file-big, whose entry is `entry` (name set here). */
  function backupWith(entry: Omit<ZipEntry, "name">, more: ZipEntry[] = []) {
    const json = (name: string, value: unknown): ZipEntry => ({ name, data: JSON.stringify(value) });
    return makeZip([
      json("manifest.json", {
        format: "assistants-playground.backup",
        version: 1,
        files: [{ id: "file-big" }],
      }),
      json("files.json", [{ id: "file-big", object: "file", filename: "big.bin", purpose: "assistants" }]),
      json("assistants.json", []),
      json("vector_stores.json", []),
      { name: "files/file-big", ...entry },
      ...more,
    ]);
  }

  // Limits lowered so the test writes little; the archives inflate to 1 GiB whatever they declare.
  const limits = { archive: 64 * MiB, json: 4 * MiB, fileBytes: 8 * MiB };
  const CASES: [string, Uint8Array, RegExp][] = [
    [
      "a file of 1 GiB, declared",
      backupWith({ zerosMiB: 1024 }),
      /files\/file-big inflates to more than 8388608 bytes/,
    ],
    [
      "a file of 1 GiB declaring 10 bytes",
      backupWith({ zerosMiB: 1024, declaredSize: 10 }),
      /files\/file-big inflates to more than 8388608 bytes/,
    ],
    [
      "a file of 1 GiB with its sizes in a data descriptor",
      backupWith({ zerosMiB: 1024, dataDescriptor: true }),
      /files\/file-big inflates to more than 8388608 bytes/,
    ],
    [
      "a thread JSON of 1 GiB",
      backupWith({ data: "x" }, [{ name: "threads/thread_1.json", zerosMiB: 1024 }]),
      /JSON is larger than this server accepts/,
    ],
  ];

  it.each(CASES)(
    "%s: 400 invalid_backup, nothing imported, nothing left on disk",
    async (_, zip, message) => {
      expect(zip.length).toBeLessThan(2 * MiB);
      const { restoreBackup } = await import("@/lib/server/backup");
      const res = await restoreBackup(
        new Request(`${ORIGIN}/api/playground/backup/restore`, {
          method: "POST",
          headers: { "content-type": "application/zip" },
          body: zip as BodyInit,
        }),
        limits,
      );
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status, body.error?.message).toBe(400);
      expect(body.error.code).toBe("invalid_backup");
      expect(body.error.message).toMatch(message);
      await expect(sdk.client.files.retrieve("file-big")).rejects.toThrow(/No file found/);
      const staging = path.join(TEST_DATA_DIR, ".import");
      expect(fs.existsSync(staging) ? fs.readdirSync(staging) : []).toEqual([]);
    },
  );

  it("a vector-store file with chunk size 0: 400 naming the file and the field", async () => {
    const zip = backupWith({ data: "The warehouse in Lyon ships on Tuesdays." }, [
      {
        name: "vector_stores.json",
        data: JSON.stringify([
          {
            vector_store: { id: "vs_1", object: "vector_store", name: null, metadata: {} },
            files: [
              {
                id: "file-big",
                chunking_strategy: {
                  type: "static",
                  static: { max_chunk_size_tokens: 0, chunk_overlap_tokens: 0 },
                },
              },
            ],
          },
        ]),
      },
    ]);
    const res = await restore(zip);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/file-big of vector store vs_1.*max_chunk_size_tokens/);
    expect((await sdk.client.vectorStores.list()).data).toEqual([]);
  });
});
