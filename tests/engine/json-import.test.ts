// A data directory written by the older JSON-folder store is imported into the database on first
// start: ids, list order and file bytes kept, the folder left as it was, and only once.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DatabaseOption } from "@/lib/engine";
import { dropTestDatabase, testDatabaseOption, testStoreKind } from "../helpers/test-database";
import { eventually, makeHarness, textFile, type Harness } from "./harness";

let h: Harness | undefined;
let target: DatabaseOption | undefined;
afterEach(async () => {
  await h?.cleanup();
  if (target) await dropTestDatabase(target);
  h = undefined;
  target = undefined;
});

/** Every file under `dir` with its bytes' hash and its modification time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const hash = crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    out[path.relative(dir, file)] = `${hash} ${fs.statSync(file).mtimeMs}`;
  }
  return out;
}

describe("importing a JSON data directory", () => {
  it("keeps ids, order and bytes, leaves the folder untouched, and imports once", async () => {
    h = await makeHarness({ database: "json" });
    const c = h.v2.client;
    const assistants = [];
    for (const name of ["first", "second", "third"])
      assistants.push(await c.beta.assistants.create({ model: "gpt-4o", name }));
    const file = await c.files.create({
      file: await textFile("notes.txt", "bytes kept"),
      purpose: "assistants",
    });
    const thread = await c.beta.threads.create({
      messages: [
        { role: "user", content: "one" },
        { role: "user", content: "two" },
      ],
    });
    const run = await c.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistants[0]!.id });
    expect(run.status).toBe("completed");
    const before = snapshot(path.join(h.dir, "state"));
    expect(Object.keys(before).length).toBeGreaterThan(5);

    // The file's database; with ENGINE_TEST_STORE=json, PGlite in the data directory.
    target = testStoreKind() === "json" ? "pglite" : await testDatabaseOption();
    await h.restart({ database: target });
    const listed = await c.beta.assistants.list({ order: "asc" });
    expect(listed.data.map((a) => a.id)).toEqual(assistants.map((a) => a.id));
    const messages = await c.beta.threads.messages.list(thread.id, { order: "asc" });
    expect(messages.data.map((m) => m.role)).toEqual(["user", "user", "assistant"]);
    expect((await c.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status).toBe("completed");
    expect(await (await c.files.content(file.id)).text()).toBe("bytes kept");
    // New objects sort after the imported ones.
    const later = await c.beta.assistants.create({ model: "gpt-4o", name: "later" });
    expect((await c.beta.assistants.list({ order: "desc", limit: 1 })).data[0]!.id).toBe(later.id);
    expect(snapshot(path.join(h.dir, "state"))).toEqual(before);

    // Once: a deletion survives the next start (the folder still holds the object).
    await c.beta.assistants.delete(assistants[1]!.id);
    await h.restart({ database: target });
    await eventually(async () => (await c.beta.assistants.list()).data.length === 3);
    expect((await c.beta.assistants.list({ order: "asc" })).data.map((a) => a.name)).toEqual([
      "first",
      "third",
      "later",
    ]);
  });
});
