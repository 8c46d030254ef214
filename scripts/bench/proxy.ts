/**
 * Proxy overhead: the same requests direct to an upstream, through the bare pass-through route (the
 * floor: what a Next.js standalone server costs) and through the playground's proxy. Upstreams: the
 * engine on its own port and a fixed-latency stub; plus the engine in-process (`local`).
 */
import { performance } from "node:perf_hooks";
import { STUB } from "./servers";
import type { SummaryRow } from "./summary";
import { API_VERSION, median, ms, quantile } from "./util";

export const JSON_CALLS = Number(process.env.BENCH_JSON_CALLS ?? 300);
export const SSE_RUNS = Number(process.env.BENCH_SSE_RUNS ?? 40);
/** The proxy's own work may add this much to a JSON call's median on top of the floor (ms). */
const TARGET_JSON_MS = 0.5;
/** "Nothing per event": within what this machine can resolve between two medians (ms). */
const TARGET_EVENT_MS = 0.05;

export interface ProxyTarget {
  name: string;
  group: "engine" | "stub";
  kind: "direct" | "bare" | "proxy" | "in-process";
  /** Base URL of the Assistants surface (…/openai or …/api/openai). */
  base: string;
  headers: Record<string, string>;
}

interface Paired {
  median: number;
  low: number;
  high: number;
}

/** The median of paired differences and its bootstrap 95 % interval (2,000 resamples). */
function pairedMedian(diffs: number[]): Paired {
  const medians: number[] = [];
  for (let r = 0; r < 2000; r++) {
    const sample = Array.from(
      { length: diffs.length },
      () => diffs[Math.floor(Math.random() * diffs.length)]!,
    );
    medians.push(median(sample));
  }
  return { median: median(diffs), low: quantile(medians, 0.025), high: quantile(medians, 0.975) };
}

/** 0…n-1 in a random order (Fisher–Yates). */
function shuffled(n: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function timeJson(url: string, headers: Record<string, string>): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url} → ${res.status}`);
  return performance.now() - t;
}

/** Time to the first SSE event of a streamed create-thread-and-run, and the mean gap between later events. */
async function timeStream(base: string, headers: Record<string, string>, assistantId: string) {
  const t = performance.now();
  const res = await fetch(`${base}/threads/runs?api-version=${API_VERSION}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({
      assistant_id: assistantId,
      stream: true,
      thread: { messages: [{ role: "user", content: "Say hello in a few words. [[tokens:60]]" }] },
    }),
  });
  if (!res.ok || !res.body) throw new Error(`stream → ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let first = NaN;
  let events = 0;
  let buf = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let i: number;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      buf = buf.slice(i + 2);
      events += 1;
      if (events === 1) first = performance.now() - t;
    }
  }
  const total = performance.now() - t;
  return { first, gap: (total - first) / Math.max(1, events - 1) };
}

export async function createAssistant(base: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${base}/assistants?api-version=${API_VERSION}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o", name: "bench", instructions: "Be brief." }),
  });
  if (!res.ok) throw new Error(`create assistant via ${base} → ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export async function benchProxy(
  targets: ProxyTarget[],
): Promise<{ markdown: string; summary: SummaryRow[] }> {
  const assistants: string[] = [];
  for (const t of targets)
    assistants.push(t.group === "stub" ? "asst_stub" : await createAssistant(t.base, t.headers));

  // Warm up, then every path once per round, in a fresh random order each round, so drift and
  // position (a process that just served, one that slept) hit all of them alike.
  const json: number[][] = targets.map(() => []);
  for (let i = 0; i < 30; i++)
    for (const t of targets)
      await timeJson(`${t.base}/assistants?limit=5&api-version=${API_VERSION}`, t.headers);
  for (let i = 0; i < JSON_CALLS; i++)
    for (const k of shuffled(targets.length)) {
      const t = targets[k]!;
      json[k]!.push(await timeJson(`${t.base}/assistants?limit=5&api-version=${API_VERSION}`, t.headers));
    }
  const first: number[][] = targets.map(() => []);
  const gaps: number[][] = targets.map(() => []);
  for (let i = 0; i < 3; i++)
    for (const [k, t] of targets.entries()) await timeStream(t.base, t.headers, assistants[k]!);
  for (let i = 0; i < SSE_RUNS; i++)
    for (const k of shuffled(targets.length)) {
      const t = targets[k]!;
      const r = await timeStream(t.base, t.headers, assistants[k]!);
      first[k]!.push(r.first);
      gaps[k]!.push(r.gap);
    }

  const idx = (group: ProxyTarget["group"], kind: ProxyTarget["kind"]) =>
    targets.findIndex((t) => t.group === group && t.kind === kind);
  const rows = targets.map((t, k) => {
    const d = idx(t.group, "direct");
    const b = idx(t.group, "bare");
    const added = (xs: number[][]) => (k === d ? "—" : ms(median(xs[k]!) - median(xs[d]!)));
    const own = (xs: number[][]) =>
      t.kind === "proxy" ? ms(median(xs[k]!.map((v, i) => v - xs[b]![i]!))) : "—";
    const p99Added = k === d ? "—" : ms(quantile(json[k]!, 0.99) - quantile(json[d]!, 0.99));
    return `| ${t.name} | ${ms(median(json[k]!))} | ${ms(quantile(json[k]!, 0.99))} | ${added(json)} | ${p99Added} | ${own(json)} | ${ms(median(first[k]!))} | ${added(first)} | ${own(first)} | ${ms(median(gaps[k]!))} | ${own(gaps)} |`;
  });
  // The proxy's own cost, paired round by round (proxy − bare in the same round), with a bootstrap
  // 95 % interval of the median: on a busy machine the interval says whether a verdict is possible.
  const paired = (xs: number[][], group: ProxyTarget["group"]) => {
    const p = xs[idx(group, "proxy")]!;
    const b = xs[idx(group, "bare")]!;
    return pairedMedian(p.map((v, i) => v - b[i]!));
  };
  const worst = (xs: number[][]) => {
    const [e, s] = [paired(xs, "engine"), paired(xs, "stub")];
    return e.median >= s.median ? e : s;
  };
  const ownJson = worst(json);
  const ownFirst = worst(first);
  const ownGap = worst(gaps);
  const bareAdded = median(json[idx("engine", "bare")]!) - median(json[idx("engine", "direct")]!);
  const bareFirst = median(first[idx("engine", "bare")]!) - median(first[idx("engine", "direct")]!);
  const judge = (x: Paired, limit: number): SummaryRow["verdict"] =>
    x.high <= limit ? "met" : x.low > limit ? "not met" : "not conclusive";
  const fmt = (x: Paired) => `${ms(x.median)} ms (95 % interval ${ms(x.low)} … ${ms(x.high)})`;
  const jsonVerdict = judge(ownJson, TARGET_JSON_MS);
  const eventVerdict = judge(ownGap, TARGET_EVENT_MS);
  const noisyWhy =
    "the interval straddles the target: this run was too noisy to tell (run it on a quiet machine)";
  const summary: SummaryRow[] = [
    {
      target: `Proxy's own work on a JSON call: ≤ ${TARGET_JSON_MS} ms median above the floor`,
      measured: `${fmt(ownJson)}; first SSE event ${ms(ownFirst.median)} ms`,
      floor: `bare route adds ${ms(bareAdded)} ms to a JSON call, ${ms(bareFirst)} ms to the first event`,
      verdict: jsonVerdict,
      ...(jsonVerdict === "not conclusive"
        ? { why: noisyWhy }
        : jsonVerdict === "not met"
          ? {
              why: "access check, allowlist, connection choice and header filtering cost this much more than a bare pipe in the same kind of server",
            }
          : {}),
    },
    {
      target: `Proxy's own work per SSE event: nothing (≤ ${TARGET_EVENT_MS} ms)`,
      measured: fmt(ownGap),
      floor: "the bare route's per-event gap",
      verdict: eventVerdict,
      ...(eventVerdict === "not conclusive"
        ? { why: noisyWhy }
        : eventVerdict === "not met"
          ? { why: "the proxy's stream adds this per event over the bare pipe's" }
          : {}),
    },
  ];
  const verdict =
    `**Target:** the proxy's own work adds ≤ ${TARGET_JSON_MS} ms median to a JSON call on top of the floor, and nothing per event ` +
    `(taken as ≤ ${TARGET_EVENT_MS} ms). **Measured** (median of the round-by-round differences proxy − bare, the larger of the two upstreams, ` +
    `with a bootstrap 95 % interval): ${fmt(ownJson)} per JSON call, ${fmt(ownFirst)} to the first event and ${fmt(ownGap)} per event (the floor ` +
    `itself adds ${ms(bareAdded)} ms to a JSON call and ${ms(bareFirst)} ms to the first event) — JSON: ${summary[0]!.verdict}; per event: ${summary[1]!.verdict}.`;
  const markdown = `## Proxy overhead

\`GET /assistants?limit=5\` × ${JSON_CALLS} per path (in rounds of one call per path, in a random order each round, after a warm-up), and ${SSE_RUNS}
streamed create-thread-and-run calls per path (time to the first SSE event; mean gap between later
events — the scripted model and the stub pace their events themselves). Two upstreams: the local
engine on its own port (its own process), and a stub that answers after a fixed ${STUB.latencyMs} ms and streams
${STUB.events} events ${STUB.eventGapMs} ms apart. Three ways to each: **direct**; through the **bare pass-through route**
(\`scripts/bench/bare-route.ts\`: a node:http pipe with no checks, in a Next.js app built
\`output: "standalone"\` and served by its own \`server.js\` — the same kind of server as the playground's,
one process for both upstreams as the playground has: the floor, what Next.js itself costs); through the **playground's proxy** (standalone \`server.js\` via
\`scripts/serve-standalone.mjs\`: access check, allowlist, connection choice, header filtering,
api-version). "Added" is the median minus the direct call's; "proxy's own" is the median of the round-by-round
differences proxy − bare route (the verdict adds its bootstrap 95 % interval).

| path | JSON median ms | JSON p99 ms | JSON median added vs direct | JSON p99 added vs direct | proxy's own (vs bare) | SSE first event median ms | first event added | proxy's own (vs bare) | per-event gap median ms | proxy's own per event |
|---|---|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

${verdict}
`;
  return { markdown, summary };
}
