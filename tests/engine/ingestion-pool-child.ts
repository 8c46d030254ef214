// Run by ingestion-pool.test.ts in its own process: closes an engine while a worker is stuck extracting,
// then returns, so the process exits on its own only if close() left no thread or timer behind.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AzureOpenAI, toFile } from "openai";
import { createEngine } from "../../lib/engine";
import { TEST_HOOKS } from "../../lib/engine/extract/job";
import { ExtractionPool } from "../../lib/engine/extract/pool";

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-pool-child-"));
  const engine = createEngine({ dataDir, extraction: { timeoutMs: 60_000, testHooks: true } });
  const client = new AzureOpenAI({
    baseURL: "http://engine.test/openai",
    apiKey: "unused",
    apiVersion: "2024-05-01-preview",
    fetch: (url, init) => engine.fetch(new Request(url, { ...init, duplex: "half" } as RequestInit)),
  });
  const file = await client.files.create({
    file: await toFile(Buffer.from("text"), `${TEST_HOOKS.hang}stuck.txt`),
    purpose: "assistants",
  });
  const vs = await client.vectorStores.create({ name: "child" });
  await client.vectorStores.files.create(vs.id, { file_id: file.id });
  while (ExtractionPool.liveThreads === 0) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300));
  await engine.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log("closed while extracting");
}

void main();
