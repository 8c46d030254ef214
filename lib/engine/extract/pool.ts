/**
 * Extraction off the event loop: a small pool of `node:worker_threads` workers (./worker.ts) that
 * run ingestion jobs (./job.ts) with a time budget and a memory budget each. A job over its time
 * budget has its worker terminated; a job over its memory budget dies with its worker (V8's heap
 * limit, `resourceLimits`); either way the job fails with `parsing_error` and a fresh worker takes
 * the next job. Workers start on first use and stop after a minute idle.
 *
 * Where the worker's code comes from: in the Next.js build, Turbopack bundles the
 * `new Worker(new URL("./worker.ts", import.meta.url))` below into its own entry and rewrites the
 * call; from TypeScript source (vitest, `npm run engine` under tsx) the URL is the .ts file itself,
 * which the worker loads through tsx's require hook.
 */
import { Worker } from "node:worker_threads";
import type { ExtractJob, ExtractResult } from "./job";

export type { ExtractJob, ExtractResult } from "./job";

export interface ExtractionOptions {
  /** Worker threads extracting at once. Default 1. */
  workers?: number;
  /** Time one document may take to extract and chunk. Default 60 000 ms. */
  timeoutMs?: number;
  /** V8 heap one extraction may use (`resourceLimits.maxOldGenerationSizeMb`). Default 512 MB. */
  maxMemoryMb?: number;
  /** Honour ./job.ts's TEST_HOOKS file names (tests only). Default false. */
  testHooks?: boolean;
}

const DEFAULTS = { workers: 1, timeoutMs: 60_000, maxMemoryMb: 512 };
/** A worker that has not loaded in this long is broken, not slow. */
const START_TIMEOUT_MS = 60_000;
const IDLE_STOP_MS = 60_000;

interface Pending {
  job: ExtractJob;
  resolve(result: ExtractResult): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  busy?: { id: number; pending: Pending; timer?: NodeJS.Timeout };
  idleTimer?: NodeJS.Timeout;
  startTimer?: NodeJS.Timeout;
}

export class ExtractionPool {
  /** Worker threads started by any pool whose thread has not exited yet (tests). */
  static liveThreads = 0;
  readonly workers: number;
  readonly timeoutMs: number;
  readonly maxMemoryMb: number;
  private readonly testHooks: boolean;
  private readonly slots = new Set<Slot>();
  private readonly waiting: Pending[] = [];
  private exits: Promise<unknown>[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: ExtractionOptions = {}) {
    this.workers = positive(options.workers, DEFAULTS.workers, "workers");
    this.timeoutMs = positive(options.timeoutMs, DEFAULTS.timeoutMs, "timeoutMs");
    this.maxMemoryMb = positive(options.maxMemoryMb, DEFAULTS.maxMemoryMb, "maxMemoryMb");
    this.testHooks = options.testHooks ?? false;
  }

  /** Live worker threads (tests). */
  get size(): number {
    return this.slots.size;
  }

  /** Extracts and chunks one file on a worker; never rejects. */
  run(job: ExtractJob): Promise<ExtractResult> {
    if (this.closed) return Promise.resolve(closedResult());
    return new Promise((resolve) => {
      this.waiting.push({ job, resolve });
      this.dispatch();
    });
  }

  /** Terminates every worker; jobs still waiting or running end with `internal_error`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.waiting.splice(0)) p.resolve(closedResult());
    for (const slot of [...this.slots]) this.retire(slot, closedResult());
    await Promise.all(this.exits);
    this.exits = [];
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && !this.closed) {
      let slot = [...this.slots].find((s) => s.ready && !s.busy);
      if (!slot) {
        if (this.slots.size >= this.workers) return;
        slot = this.spawn();
        // It takes a job once it says it is ready.
        continue;
      }
      this.assign(slot, this.waiting.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(new URL("./worker.ts", import.meta.url), {
      ...(FROM_SOURCE ? { execArgv: ["--require", "tsx/cjs"] } : {}),
      resourceLimits: { maxOldGenerationSizeMb: this.maxMemoryMb },
      workerData: { testHooks: this.testHooks },
    });
    const slot: Slot = { worker, ready: false };
    this.slots.add(slot);
    ExtractionPool.liveThreads++;
    this.exits.push(
      new Promise((r) =>
        worker.once("exit", () => {
          ExtractionPool.liveThreads--;
          r(undefined);
        }),
      ),
    );
    slot.startTimer = setTimeout(
      () => this.retire(slot, internalError("the extraction worker did not start")),
      START_TIMEOUT_MS,
    );
    slot.startTimer.unref();
    worker.on("message", (message: { ready?: true; id?: number; result?: ExtractResult }) => {
      if (message.ready) {
        clearTimeout(slot.startTimer);
        slot.ready = true;
        this.idle(slot);
        this.dispatch();
        return;
      }
      const busy = slot.busy;
      if (!busy || message.id !== busy.id || !message.result) return;
      clearTimeout(busy.timer);
      slot.busy = undefined;
      busy.pending.resolve(message.result);
      this.idle(slot);
      this.dispatch();
    });
    worker.on("error", (e: Error & { code?: string }) => {
      const job = slot.busy?.pending.job;
      this.retire(
        slot,
        e.code === "ERR_WORKER_OUT_OF_MEMORY" && job
          ? {
              ok: false,
              code: "parsing_error",
              message: `${job.filename} needed more than ${this.maxMemoryMb} MB of memory to extract, the local engine's limit per document. Split it into smaller files, or upload its text as a .txt file.`,
            }
          : internalError(e.message),
      );
    });
    worker.on("exit", () => this.retire(slot, internalError("the extraction worker stopped")));
    return slot;
  }

  private assign(slot: Slot, pending: Pending): void {
    clearTimeout(slot.idleTimer);
    const id = this.nextId++;
    const timer = setTimeout(() => {
      const seconds = this.timeoutMs / 1000;
      this.retire(slot, {
        ok: false,
        code: "parsing_error",
        message: `${pending.job.filename} took longer than ${seconds} s to extract, the local engine's limit per document. Split it into smaller files, or upload its text as a .txt file.`,
      });
    }, this.timeoutMs);
    slot.busy = { id, pending, timer };
    slot.worker.ref();
    slot.worker.postMessage({ id, job: pending.job });
  }

  /** An idle worker keeps no process alive and stops after a while. */
  private idle(slot: Slot): void {
    slot.worker.unref();
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => this.retire(slot, internalError("idle")), IDLE_STOP_MS);
    slot.idleTimer.unref();
  }

  /** Ends a worker for good: its job (if any) gets `result`; waiting jobs get a fresh worker. */
  private retire(slot: Slot, result: ExtractResult): void {
    if (!this.slots.delete(slot)) return;
    clearTimeout(slot.startTimer);
    clearTimeout(slot.idleTimer);
    clearTimeout(slot.busy?.timer);
    slot.busy?.pending.resolve(result);
    slot.busy = undefined;
    void slot.worker.terminate();
    this.dispatch();
  }
}

/**
 * True when this module runs from its .ts source (vitest, tsx). Not `import.meta.url`: a bundler
 * keeps the source path there. Next.js defines `process.env.NEXT_RUNTIME` in the server code it
 * bundles, and its worker is compiled JavaScript, which needs no TypeScript loader (and the
 * standalone output has no tsx to load).
 */
const FROM_SOURCE = import.meta.url.endsWith(".ts") && process.env.NEXT_RUNTIME === undefined;

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`extraction.${name} must be a positive number`);
  return value;
}

function internalError(why: string): ExtractResult {
  return { ok: false, code: "internal_error", message: `Ingestion failed: ${why}.` };
}

function closedResult(): ExtractResult {
  return internalError("the engine closed");
}
