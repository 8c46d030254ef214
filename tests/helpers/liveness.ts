/**
 * Liveness while something hostile runs: a cheap probe every `intervalMs`, timed from when it was
 * due (so a blocked event loop counts, not only a slow answer), and the process's resident memory.
 *
 *   const report = await whileProbing(() => sendHostileUpload(), () => engine.fetch(health()));
 *   expectLive(report, { maxLatencyMs: 1000, maxRssGrowthMB: 64 });
 *
 * The probe's own failures (throws, or a `false` from `ok`) are counted, never swallowed silently.
 */
export interface LivenessReport<T> {
  /** What the operation returned. */
  result: T;
  /** Probes finished (an unfinished last one counts in maxLatencyMs with its time so far). */
  probes: number;
  /** The longest a probe took from the moment it was due to its answer. */
  maxLatencyMs: number;
  failures: string[];
  baselineRssBytes: number;
  peakRssBytes: number;
  elapsedMs: number;
}

export interface ProbeOptions {
  /** Default 100. */
  intervalMs?: number;
  /** Judges a probe's result; default: anything that did not throw is fine. */
  ok?: (value: unknown) => boolean;
  /** Memory to watch; default this process's RSS (includes worker threads, not child processes). */
  rss?: () => number;
}

export async function whileProbing<T>(
  operation: () => Promise<T>,
  probe: () => Promise<unknown>,
  options: ProbeOptions = {},
): Promise<LivenessReport<T>> {
  const interval = options.intervalMs ?? 100;
  const rss = options.rss ?? (() => process.memoryUsage.rss());
  const ok = options.ok ?? (() => true);
  const started = performance.now();
  const baselineRssBytes = rss();
  let peakRssBytes = baselineRssBytes;
  let maxLatencyMs = 0;
  let probes = 0;
  const failures: string[] = [];
  let done = false;
  let dueAt = started;
  let inFlight: Promise<void> | null = null;

  const sampleMemory = () => {
    peakRssBytes = Math.max(peakRssBytes, rss());
  };
  const loop = async () => {
    while (!done) {
      dueAt += interval;
      const wait = dueAt - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (done) break;
      sampleMemory();
      const due = dueAt;
      inFlight = probe().then(
        (value) => {
          if (!ok(value)) failures.push(`probe ${probes + 1}: unexpected answer ${describe(value)}`);
        },
        (err: unknown) => {
          failures.push(`probe ${probes + 1}: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
      await inFlight;
      inFlight = null;
      probes++;
      maxLatencyMs = Math.max(maxLatencyMs, performance.now() - due);
      // A slow probe does not make the next ones pile up: the schedule restarts from now.
      dueAt = Math.max(dueAt, performance.now() - interval);
    }
  };

  const probing = loop();
  let result: T;
  try {
    result = await operation();
  } finally {
    done = true;
    sampleMemory();
    // A probe still waiting when the operation ends may never answer: wait a little, then count
    // the time it has waited so far.
    await Promise.race([probing, new Promise((r) => setTimeout(r, Math.max(1000, interval)))]);
    // A probe that was due but could not even start (the event loop never got to its timer) waited
    // as long as one that started and did not answer.
    if (inFlight || performance.now() > dueAt)
      maxLatencyMs = Math.max(maxLatencyMs, performance.now() - dueAt);
  }
  return {
    result,
    probes,
    maxLatencyMs,
    failures,
    baselineRssBytes,
    peakRssBytes,
    elapsedMs: performance.now() - started,
  };
}

/** Throws with the whole report when the bounds were not held throughout. */
export function expectLive(
  report: LivenessReport<unknown>,
  bounds: { maxLatencyMs: number; maxRssGrowthMB?: number; minProbes?: number },
): void {
  const growthMB = (report.peakRssBytes - report.baselineRssBytes) / (1024 * 1024);
  const problems: string[] = [];
  if (report.maxLatencyMs > bounds.maxLatencyMs)
    problems.push(`a probe waited ${Math.round(report.maxLatencyMs)} ms (bound ${bounds.maxLatencyMs} ms)`);
  if (bounds.maxRssGrowthMB !== undefined && growthMB > bounds.maxRssGrowthMB)
    problems.push(`RSS grew ${growthMB.toFixed(1)} MB (bound ${bounds.maxRssGrowthMB} MB)`);
  if (report.probes < (bounds.minProbes ?? 1))
    problems.push(`only ${report.probes} probes ran in ${Math.round(report.elapsedMs)} ms`);
  if (report.failures.length > 0) problems.push(`probes failed: ${report.failures.slice(0, 3).join("; ")}`);
  if (problems.length > 0) throw new Error(`not live throughout: ${problems.join(", ")}`);
}

function describe(value: unknown): string {
  if (value instanceof Response) return `HTTP ${value.status}`;
  try {
    return JSON.stringify(value)?.slice(0, 100) ?? String(value);
  } catch {
    return String(value);
  }
}
