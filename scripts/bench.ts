/**
 * `npm run bench`: the playground's proxy measured side by side with a direct call, in one run.
 * Figures, not assertions. Writes the table to docs/benchmarks.md with the machine it ran on.
 *
 * Upstreams: the local engine on its own port (`serveEngine`) and a fixed-latency stub, each
 * reached directly, through a bare pass-through Next.js route (the floor: what Next.js itself costs,
 * scripts/bench/bare-route.ts built as a throwaway app) and through the playground's proxy (the
 * standalone server); plus the engine in-process behind the proxy (the `local` connection).
 * All traffic stays on 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createEngine } from "../lib/engine";
import { serveEngine } from "../lib/engine/server";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const API_VERSION = "2024-05-01-preview";
const JSON_CALLS = Number(process.env.BENCH_JSON_CALLS ?? 300);
const SSE_RUNS = Number(process.env.BENCH_SSE_RUNS ?? 40);
/** The stub's fixed latency before it answers, and its SSE pacing. */
const STUB_LATENCY_MS = 5;
const STUB_EVENTS = 40;
const STUB_EVENT_GAP_MS = 2;

/** A fixed-latency Assistants-shaped upstream: a JSON list, and a paced SSE run. */
function startStub(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      setTimeout(() => {
        if (req.method === "POST" && req.url?.includes("/threads/runs")) {
          res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
          let i = 0;
          const tick = () => {
            if (i === STUB_EVENTS) {
              res.end("event: done\ndata: [DONE]\n\n");
              return;
            }
            res.write(`event: thread.message.delta\ndata: {"id":"msg_stub","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"word${i} "}}]}}\n\n`);
            i += 1;
            setTimeout(tick, STUB_EVENT_GAP_MS);
          };
          tick();
          return;
        }
        const body = JSON.stringify({ object: "list", data: [{ id: "asst_stub", object: "assistant", created_at: 0, name: "stub", description: null, model: "gpt-4o", instructions: null, tools: [], metadata: {} }], first_id: "asst_stub", last_id: "asst_stub", has_more: false });
        res.writeHead(req.method === "POST" ? 200 : 200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      }, STUB_LATENCY_MS);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

/** Builds the bare pass-through route as its own tiny Next.js app (the floor). */
function buildBareApp(dir: string): void {
  const routeDir = path.join(dir, "app", "api", "[...path]");
  mkdirSync(routeDir, { recursive: true });
  copyFileSync(path.join("scripts", "bench", "bare-route.ts"), path.join(routeDir, "route.ts"));
  symlinkSync(path.resolve("node_modules"), path.join(dir, "node_modules"));
  writeFileSync(path.join(dir, "package.json"), '{"private":true}\n');
  // node_modules is a symlink out of this folder: let Turbopack resolve through it.
  writeFileSync(path.join(dir, "next.config.mjs"), 'export default { turbopack: { root: "/" } };\n');
  console.log("Building the bare pass-through route (the floor)…");
  const r = spawnSync("npx", ["next", "build"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error("the bare route app did not build");
}

function startNext(cwd: string, port: number, env: Record<string, string>): ChildProcess {
  return spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...env, NODE_ENV: "production" },
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function waitFor(url: string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const ms = (x: number) => x.toFixed(2);

async function timeJson(url: string, headers: Record<string, string>): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url} → ${res.status}`);
  return performance.now() - t;
}

/** Time to the first SSE event of a streamed run, and the mean gap between later events. */
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
  return { first, total, events };
}

async function main() {
  // npm runs scripts from the package root.
  if (!existsSync(".next/standalone/server.js")) {
    console.log("Building once (no production build yet)…");
    const r = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
    if (r.status !== 0) process.exit(1);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), "playground-bench-"));
  const engine = createEngine({ dataDir: path.join(tmp, "engine") });
  const served = await serveEngine(engine, { port: 0 });
  const stub = await startStub();
  const children: ChildProcess[] = [];
  try {
    buildBareApp(path.join(tmp, "bare"));
    const [appPort, bareEnginePort, bareStubPort] = [await freePort(), await freePort(), await freePort()];
    children.push(
      spawn(process.execPath, ["scripts/serve-standalone.mjs", "--port", String(appPort)], {
        stdio: ["ignore", "ignore", "inherit"],
        env: {
          ...process.env,
          ENGINE_DATA_DIR: path.join(tmp, "in-process"),
          PLAYGROUND_DATA_DIR: path.join(tmp, "data"),
          PLAYGROUND_PUBLIC: "true",
          PLAYGROUND_CONNECTIONS: JSON.stringify([
            { name: "engine", kind: "azure-openai", endpoint: served.url, apiKey: "bench-key" },
            { name: "stub", kind: "azure-openai", endpoint: stub.url, apiKey: "bench-key" },
          ]),
          PLAYGROUND_DEFAULT_CONNECTION: "local",
        },
      }),
      startNext(path.join(tmp, "bare"), bareEnginePort, { BARE_UPSTREAM: `${served.url}/openai` }),
      startNext(path.join(tmp, "bare"), bareStubPort, { BARE_UPSTREAM: `${stub.url}/openai` }),
    );
    const appUrl = `http://127.0.0.1:${appPort}`;
    await waitFor(`${appUrl}/api/playground/health`);
    await waitFor(`http://127.0.0.1:${bareEnginePort}/api/assistants?api-version=${API_VERSION}`);
    await waitFor(`http://127.0.0.1:${bareStubPort}/api/assistants?api-version=${API_VERSION}`);

    type Target = { name: string; group: "engine" | "stub"; kind: "direct" | "bare" | "proxy" | "in-process"; base: string; headers: Record<string, string> };
    const targets: Target[] = [
      { name: "direct to the engine (its own port)", group: "engine", kind: "direct", base: `${served.url}/openai`, headers: {} },
      { name: "bare Next.js route → engine (floor)", group: "engine", kind: "bare", base: `http://127.0.0.1:${bareEnginePort}/api`, headers: {} },
      { name: "proxy → engine over HTTP", group: "engine", kind: "proxy", base: `${appUrl}/api/openai`, headers: { "x-playground-connection": "engine" } },
      { name: "proxy → engine in-process (local)", group: "engine", kind: "in-process", base: `${appUrl}/api/openai`, headers: { "x-playground-connection": "local" } },
      { name: `direct to the stub (${STUB_LATENCY_MS} ms latency)`, group: "stub", kind: "direct", base: `${stub.url}/openai`, headers: {} },
      { name: "bare Next.js route → stub (floor)", group: "stub", kind: "bare", base: `http://127.0.0.1:${bareStubPort}/api`, headers: {} },
      { name: "proxy → stub", group: "stub", kind: "proxy", base: `${appUrl}/api/openai`, headers: { "x-playground-connection": "stub" } },
    ];
    // One assistant per engine state (the stub answers anything).
    const assistants: string[] = [];
    for (const t of targets) {
      if (t.group === "stub") {
        assistants.push("asst_stub");
        continue;
      }
      const res = await fetch(`${t.base}/assistants?api-version=${API_VERSION}`, {
        method: "POST",
        headers: { ...t.headers, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o", name: "bench", instructions: "Be brief." }),
      });
      if (!res.ok) throw new Error(`create assistant via ${t.name} → ${res.status} ${await res.text()}`);
      assistants.push(((await res.json()) as { id: string }).id);
    }

    // Warm up, then alternate targets call by call so drift hits all of them alike.
    const json: number[][] = targets.map(() => []);
    for (let i = 0; i < 30; i++) for (const t of targets) await timeJson(`${t.base}/assistants?limit=5&api-version=${API_VERSION}`, t.headers);
    for (let i = 0; i < JSON_CALLS; i++) {
      for (const [k, t] of targets.entries()) {
        json[k]!.push(await timeJson(`${t.base}/assistants?limit=5&api-version=${API_VERSION}`, t.headers));
      }
    }
    const first: number[][] = targets.map(() => []);
    const gaps: number[][] = targets.map(() => []);
    for (let i = 0; i < SSE_RUNS; i++) {
      for (const [k, t] of targets.entries()) {
        const r = await timeStream(t.base, t.headers, assistants[k]!);
        first[k]!.push(r.first);
        gaps[k]!.push((r.total - r.first) / Math.max(1, r.events - 1));
      }
    }

    const med = (xs: number[]) => quantile(xs, 0.5);
    const idx = (group: Target["group"], kind: Target["kind"]) => targets.findIndex((t) => t.group === group && t.kind === kind);
    const rows = targets.map((t, k) => {
      const d = idx(t.group, "direct");
      const b = idx(t.group, "bare");
      const added = (xs: number[][]) => (k === d ? "—" : ms(med(xs[k]!) - med(xs[d]!)));
      const own = (xs: number[][]) => (t.kind === "proxy" ? ms(med(xs[k]!) - med(xs[b]!)) : "—");
      return `| ${t.name} | ${ms(med(json[k]!))} | ${ms(quantile(json[k]!, 0.99))} | ${added(json)} | ${own(json)} | ${ms(med(first[k]!))} | ${added(first)} | ${own(first)} | ${ms(med(gaps[k]!))} |`;
    });
    const pe = idx("engine", "proxy");
    const be = idx("engine", "bare");
    const ps = idx("stub", "proxy");
    const bs = idx("stub", "bare");
    const ownJson = Math.max(med(json[pe]!) - med(json[be]!), med(json[ps]!) - med(json[bs]!));
    const ownGap = Math.max(med(gaps[pe]!) - med(gaps[be]!), med(gaps[ps]!) - med(gaps[bs]!));
    const cpu = os.cpus()[0]?.model ?? "unknown CPU";
    const table = [
      "| path | JSON median ms | JSON p99 ms | JSON added vs direct | proxy's own (vs bare) | SSE first event median ms | first event added | proxy's own (vs bare) | per-event gap median ms |",
      "|---|---|---|---|---|---|---|---|---|",
      ...rows,
    ].join("\n");
    const verdict = `Target: the proxy's own work adds ≤ 0.5 ms median to a JSON call on top of the floor, and nothing per event. Measured: at most ${ms(ownJson)} ms per JSON call and ${ms(ownGap)} ms per event (the larger of the two upstreams) — ${ownJson < 0 ? "not conclusive: the floor measured slower than the proxy (see the caveat)" : ownJson <= 0.5 && ownGap <= 0.05 ? "met" : "not met in this run"}.`;
    const doc = `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.
All traffic on 127.0.0.1. Figures from one run; these machines are shared, so expect ±15 %.

## Proxy overhead

\`GET /assistants?limit=5\` × ${JSON_CALLS} per path (alternating, after a warm-up), and ${SSE_RUNS} streamed
create-thread-and-run calls per path (time to the first SSE event; mean gap between later events —
the scripted model and the stub pace their events themselves). Two upstreams: the local engine on its
own port, and a stub that answers after a fixed ${STUB_LATENCY_MS} ms and streams ${STUB_EVENTS} events ${STUB_EVENT_GAP_MS} ms apart.
Three ways to each: direct; through a **bare pass-through Next.js route** (\`scripts/bench/bare-route.ts\`,
node:http pipe, no checks: the floor, what Next.js itself costs); through the **playground's proxy**
(the standalone server: access check, allowlist, connection choice, header filtering, api-version).
"Added" is the median minus the direct call's; "proxy's own" is the proxy's median minus the bare route's.

${table}

${verdict}
Caveat: the bare route is served by \`next start\`, the proxy by the standalone \`server.js\`; a negative "proxy's own" means the floor is not yet like-for-like (build the bare app standalone too before reading these as the proxy's cost). Upload, concurrency and browser figures are not measured yet (see the benchmarks issue).
`;
    mkdirSync("docs", { recursive: true });
    writeFileSync("docs/benchmarks.md", doc);
    console.log(`\n${table}\n\n${verdict}\n\nWritten to docs/benchmarks.md`);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await stub.close();
    await served.close();
    await engine.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
