/**
 * Concurrency: many streaming runs at once (create-thread-and-run, `stream: true`), each paced by the
 * scripted model (`[[tokens:N]] [[slow:MS]]`), direct to the engine (the floor: the engine and this
 * client's own share), through the bare pipe and through the proxy (to the engine over HTTP and
 * in-process). Errors, the delay between message deltas as received, and the server's memory.
 */
import { performance } from "node:perf_hooks";
import { watchRss } from "./rss";
import type { Served } from "./servers";
import type { SummaryRow } from "./summary";
import { createAssistant } from "./proxy";
import { API_VERSION, median, mib, ms, quantile } from "./util";

export const CONCURRENT_RUNS = Number(process.env.BENCH_CONCURRENCY ?? 200);
const DELTAS = Number(process.env.BENCH_CONCURRENCY_DELTAS ?? 40);
const PACE_MS = Number(process.env.BENCH_CONCURRENCY_PACE_MS ?? 25);

export interface ConcurrencyPath {
  name: string;
  kind: "direct" | "bare" | "proxy-http" | "proxy-local";
  base: string;
  headers: Record<string, string>;
  server: Served;
}

interface RunResult {
  error: string | null;
  first: number;
  gaps: number[];
}

async function oneRun(p: ConcurrencyPath, assistantId: string, i: number): Promise<RunResult> {
  const t = performance.now();
  const gaps: number[] = [];
  let first = NaN;
  try {
    const res = await fetch(`${p.base}/threads/runs?api-version=${API_VERSION}`, {
      method: "POST",
      headers: { ...p.headers, "content-type": "application/json" },
      body: JSON.stringify({
        assistant_id: assistantId,
        stream: true,
        thread: {
          messages: [
            { role: "user", content: `Run ${i}: count words. [[tokens:${DELTAS}]] [[slow:${PACE_MS}]]` },
          ],
        },
      }),
    });
    if (!res.ok || !res.body)
      return { error: `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`, first, gaps };
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    let lastDelta = NaN;
    let completed = false;
    let failed: string | null = null;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const now = performance.now();
      buf += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? "";
        if (Number.isNaN(first)) first = now - t;
        if (event === "thread.message.delta") {
          if (!Number.isNaN(lastDelta)) gaps.push(now - lastDelta);
          lastDelta = now;
        } else if (event === "thread.run.completed") completed = true;
        else if (event === "error" || event === "thread.run.failed")
          failed = `${event}: ${block.slice(0, 200)}`;
      }
    }
    if (failed) return { error: failed, first, gaps };
    if (!completed) return { error: "the stream ended without thread.run.completed", first, gaps };
    if (gaps.length !== DELTAS - 1) return { error: `${gaps.length + 1} deltas, not ${DELTAS}`, first, gaps };
    return { error: null, first, gaps };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return {
      error: `${err.message}${err.cause ? ` (${err.cause.code ?? err.cause.message})` : ""}`,
      first,
      gaps,
    };
  }
}

interface Measured {
  path: ConcurrencyPath;
  errors: string[];
  wallMs: number;
  first: number[];
  gaps: number[];
  idle: number;
  peakAbove: number;
}

async function measure(p: ConcurrencyPath): Promise<Measured> {
  const assistantId = await createAssistant(p.base, p.headers);
  // Warm-up: a few runs load the code paths before the idle figure is taken.
  await Promise.all([0, 1, 2].map((i) => oneRun(p, assistantId, i)));
  const watch = await watchRss(p.server.pid);
  const t = performance.now();
  const runs = await Promise.all(
    Array.from({ length: CONCURRENT_RUNS }, (_, i) => oneRun(p, assistantId, i)),
  );
  const wallMs = performance.now() - t;
  const m = watch.stop();
  return {
    path: p,
    errors: runs.flatMap((r) => (r.error ? [r.error] : [])),
    wallMs,
    first: runs.filter((r) => !Number.isNaN(r.first)).map((r) => r.first),
    gaps: runs.flatMap((r) => r.gaps),
    idle: m.idle,
    peakAbove: m.peak - m.idle,
  };
}

export async function benchConcurrency(
  paths: ConcurrencyPath[],
): Promise<{ markdown: string; summary: SummaryRow[] }> {
  const results: Measured[] = [];
  for (const p of paths) {
    console.log(`${CONCURRENT_RUNS} simultaneous streaming runs: ${p.name}…`);
    results.push(await measure(p));
  }
  const floor = results.find((r) => r.path.kind === "direct");
  const rows = results.map(
    (r) =>
      `| ${r.path.name} | ${r.errors.length} | ${ms(median(r.first))} | ${ms(quantile(r.first, 0.99))} | ${ms(median(r.gaps))} | ${ms(quantile(r.gaps, 0.99))} | ${floor && r !== floor ? ms(quantile(r.gaps, 0.99) - quantile(floor.gaps, 0.99)) : "—"} | ${(r.wallMs / 1000).toFixed(2)} | ${mib(r.idle)} | **${mib(r.peakAbove)}** |`,
  );
  const distinct = (errs: string[]) =>
    [...new Set(errs)]
      .slice(0, 3)
      .map((e) => `\`${e.replace(/[`\n]/g, " ").replace(/\|/g, "\\|")}\``)
      .join("; ");
  const summary: SummaryRow[] = results
    .filter((r) => r.path.kind === "proxy-http" || r.path.kind === "proxy-local")
    .map((r) => ({
      target: `${CONCURRENT_RUNS} simultaneous streaming runs ${r.path.name}: 0 errors`,
      measured: `${r.errors.length} errors; delta gap p50 ${ms(median(r.gaps))} / p99 ${ms(quantile(r.gaps, 0.99))} ms; ${mib(r.peakAbove)} MiB above idle`,
      floor: floor
        ? `direct: ${floor.errors.length} errors; gap p50 ${ms(median(floor.gaps))} / p99 ${ms(quantile(floor.gaps, 0.99))} ms (pace ${PACE_MS} ms)`
        : "—",
      verdict: r.errors.length === 0 ? ("met" as const) : ("not met" as const),
      ...(r.errors.length ? { why: distinct(r.errors) } : {}),
    }));
  const failures = results
    .filter((r) => r.errors.length > 0)
    .map((r) => `- ${r.path.name}: ${r.errors.length} of ${CONCURRENT_RUNS} failed: ${distinct(r.errors)}.`);
  const markdown = `## Concurrency

${CONCURRENT_RUNS} create-thread-and-run calls with \`stream: true\` started at once per path, one thread each; the
scripted model streams ${DELTAS} message deltas ${PACE_MS} ms apart (\`[[tokens:${DELTAS}]] [[slow:${PACE_MS}]]\`). An error is a
non-200 answer, a network error, an \`error\`/\`thread.run.failed\` event, or a stream that ends without
\`thread.run.completed\` or with a delta missing. "Gap" is the time between two consecutive
\`thread.message.delta\` events as this client receives them (ideal: ${PACE_MS} ms); "direct" shows what the
engine and this client cost by themselves. Memory as for uploads: the serving process's peak above its idle RSS (each bare and playground server
fresh, warmed with 3 runs; the engine process is the "direct" row's server).

| path | errors | first event p50 ms | first event p99 ms | gap p50 ms | gap p99 ms | gap p99 added vs direct | wall s | server idle RSS MiB | server peak above idle MiB |
|---|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

${failures.length ? failures.join("\n") : "No run failed on any path."}
`;
  return { markdown, summary };
}
