/**
 * Vector-store ingestion (asynchronous, as many files at once as the extraction pool has workers)
 * and lexical search (BM25) over the chunks. Text comes from `extract/` (text formats streamed; PDF,
 * DOCX, PPTX parsed) and is cut per the file's chunking strategy; both run on a worker thread
 * (`extract/pool.ts`), with a time and a memory budget per document, so no document can stall the
 * server. Chunks go to a JSONL file per store file, so search never holds a whole file in memory.
 */
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { Core, Ingestor } from "./core";
import type { FileSearchHit } from "./model/types";
import type { VectorStoreFileRec } from "./records";
import { keyOf } from "./store";
import { CHARS_PER_TOKEN } from "./extract";
import type { ExtractionPool } from "./extract/pool";

export { extensionOf } from "./extract";

interface Chunk {
  text: string;
}

export class VectorIngestor implements Ingestor {
  private queue: VectorStoreFileRec[] = [];
  /** Keys being ingested: one store file is never ingested twice at once (same chunk file). */
  private readonly inFlight = new Set<string>();
  private active = 0;
  private idle: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly core: Core,
    private readonly pool: ExtractionPool,
  ) {}

  chunkPath(vsId: string, fileId: string): string {
    return path.join(this.core.store.chunkDir, `${vsId}__${fileId}.jsonl`);
  }

  enqueue(vsf: VectorStoreFileRec): void {
    if (this.closed) return;
    this.queue.push(vsf);
    if (this.active === 0 && !this.release) this.idle = new Promise((r) => (this.release = r));
    setImmediate(() => this.pump());
  }

  /** Resolves when the queue is empty and nothing is being ingested (tests, close). */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  close(): void {
    this.closed = true;
    this.queue = [];
    this.settle();
  }

  private pump(): void {
    while (!this.closed && this.active < this.pool.workers) {
      const next = this.queue.findIndex((j) => !this.inFlight.has(keyOf("vector_store_file", j)));
      if (next < 0) break;
      const [job] = this.queue.splice(next, 1);
      const key = keyOf("vector_store_file", job!);
      this.inFlight.add(key);
      this.active++;
      void this.work(job!)
        .catch((e: unknown) => {
          // A store that went away under a closed engine is expected; anything else is logged.
          if (!this.closed) console.error("[engine] ingestion", e);
        })
        .finally(() => {
          this.inFlight.delete(key);
          this.active--;
          this.pump();
        });
    }
    this.settle();
  }

  private settle(): void {
    if (this.active > 0 || (this.queue.length > 0 && !this.closed)) return;
    const release = this.release;
    this.release = null;
    release?.();
  }

  private async work(job: VectorStoreFileRec): Promise<void> {
    const key = keyOf("vector_store_file", job);
    const current = await this.core.store.get("vector_store_file", key);
    if (!current || current.status !== "in_progress") {
      if (!current) fs.rmSync(this.chunkPath(job.vector_store_id, job.id), { force: true });
      return;
    }
    let outcome: Pick<VectorStoreFileRec, "status" | "last_error" | "usage_bytes">;
    try {
      outcome = await this.ingest(current);
    } catch (e) {
      outcome = {
        status: "failed",
        usage_bytes: 0,
        last_error: { code: "internal_error", message: `Ingestion failed: ${(e as Error).message}` },
      };
    }
    // Checked and written under the record's lock: a cancel or delete meanwhile wins.
    await this.core.store.transaction(async () => {
      const after = await this.core.store.lock("vector_store_file", key);
      if (!after || after.status !== "in_progress" || this.closed || outcome.status === "failed") {
        fs.rmSync(this.chunkPath(job.vector_store_id, job.id), { force: true });
        if (!after || after.status !== "in_progress" || this.closed) return;
      }
      await this.core.store.put("vector_store_file", { ...after, ...outcome });
    });
  }

  private async ingest(
    vsf: VectorStoreFileRec,
  ): Promise<Pick<VectorStoreFileRec, "status" | "last_error" | "usage_bytes">> {
    const file = await this.core.store.get("file", vsf.id);
    const blob = path.join(this.core.store.blobDir, vsf.id);
    if (!file || !fs.existsSync(blob))
      return {
        status: "failed",
        usage_bytes: 0,
        last_error: { code: "file_not_found", message: `File ${vsf.id} was not found.` },
      };
    const result = await this.pool.run({
      blob,
      filename: file.filename,
      bytes: file.bytes,
      out: this.chunkPath(vsf.vector_store_id, vsf.id),
      sizeChars: vsf.chunking_strategy.static.max_chunk_size_tokens * CHARS_PER_TOKEN,
      overlapChars: vsf.chunking_strategy.static.chunk_overlap_tokens * CHARS_PER_TOKEN,
    });
    if (!result.ok)
      return { status: "failed", usage_bytes: 0, last_error: { code: result.code, message: result.message } };
    if (result.chunks === 0)
      return {
        status: "failed",
        usage_bytes: 0,
        last_error: { code: "parsing_error", message: `${file.filename} contains no text.` },
      };
    return { status: "completed", usage_bytes: result.usageBytes, last_error: null };
  }

  /** BM25 over the completed files of the given vector stores; two streaming passes. */
  async search(vectorStoreIds: string[], query: string, maxResults: number): Promise<FileSearchHit[]> {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0 || maxResults <= 0) return [];
    const sources: { vsf: VectorStoreFileRec; name: string; file: string }[] = [];
    for (const vsId of vectorStoreIds) {
      for (const vsf of await this.core.vectorStoreFiles(vsId, { eq: { status: "completed" } })) {
        const f = await this.core.store.get("file", vsf.id);
        const p = this.chunkPath(vsId, vsf.id);
        if (f && fs.existsSync(p)) sources.push({ vsf, name: f.filename, file: p });
      }
    }
    let n = 0;
    let totalLen = 0;
    const df = new Map<string, number>(terms.map((t) => [t, 0]));
    for (const s of sources) {
      for await (const chunk of readChunks(s.file)) {
        const toks = tokenize(chunk.text);
        n++;
        totalLen += toks.length;
        const set = new Set(toks);
        for (const t of terms) if (set.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
      }
    }
    if (n === 0) return [];
    const avg = totalLen / n;
    const k1 = 1.2;
    const b = 0.75;
    const idf = new Map(
      terms.map((t) => {
        const d = df.get(t) ?? 0;
        return [t, Math.log(1 + (n - d + 0.5) / (d + 0.5))];
      }),
    );
    const top: { score: number; hit: Omit<FileSearchHit, "score"> }[] = [];
    for (const s of sources) {
      for await (const chunk of readChunks(s.file)) {
        const toks = tokenize(chunk.text);
        const tf = new Map<string, number>();
        for (const t of toks) if (idf.has(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
        let score = 0;
        for (const [t, f] of tf)
          score += (idf.get(t) ?? 0) * ((f * (k1 + 1)) / (f + k1 * (1 - b + (b * toks.length) / avg)));
        if (score <= 0) continue;
        top.push({ score, hit: { file_id: s.vsf.id, file_name: s.name, text: chunk.text } });
        top.sort((x, y) => y.score - x.score);
        if (top.length > maxResults) top.pop();
      }
    }
    const best = top[0]?.score ?? 1;
    return top.map((t) => ({ ...t.hit, score: Math.round((t.score / best) * 1e6) / 1e6 }));
  }
}

async function* readChunks(file: string): AsyncGenerator<Chunk> {
  const rl = readline.createInterface({
    input: fs.createReadStream(file, { encoding: "utf8" }),
    crlfDelay: Infinity,
  });
  for await (const line of rl) if (line) yield JSON.parse(line) as Chunk;
}

export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length > 1 || /\d/.test(t));
}
