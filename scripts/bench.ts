/**
 * `npm run bench`: the playground's proxy measured side by side with a direct call, in one run.
 * Figures, not assertions. Writes the table to docs/benchmarks.md with the machine it ran on.
 *
 * Upstreams: the local engine on its own port (`serveEngine`), reached directly and through the
 * proxy as an Azure-shaped connection; and the engine in-process behind the proxy (the `local`
 * connection). All traffic stays on 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
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
  if (!existsSync(".next/BUILD_ID")) {
    console.log("Building once (no production build yet)…");
    const r = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
    if (r.status !== 0) process.exit(1);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), "playground-bench-"));
  const engine = createEngine({ dataDir: path.join(tmp, "engine") });
  const served = await serveEngine(engine, { port: 0 });
  const appPort = await freePort();
  let app: ChildProcess | undefined;
  try {
    app = spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(appPort)], {
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        ENGINE_DATA_DIR: path.join(tmp, "in-process"),
        AZURE_OPENAI_ENDPOINT: served.url,
        AZURE_OPENAI_API_KEY: "bench-key",
        PLAYGROUND_PUBLIC: "true",
      },
    });
    const appUrl = `http://127.0.0.1:${appPort}`;
    await waitFor(`${appUrl}/api/playground/health`);

    const targets: { name: string; base: string; headers: Record<string, string> }[] = [
      { name: "direct to the engine (its own port)", base: `${served.url}/openai`, headers: {} },
      { name: "proxy → engine over HTTP (azure connection)", base: `${appUrl}/api/openai`, headers: { "x-playground-connection": "azure" } },
      { name: "proxy → engine in-process (local connection)", base: `${appUrl}/api/openai`, headers: { "x-playground-connection": "local" } },
    ];
    // One assistant per upstream (the in-process engine has its own state).
    const assistants: string[] = [];
    for (const t of targets) {
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

    const baseJson = quantile(json[0]!, 0.5);
    const baseFirst = quantile(first[0]!, 0.5);
    const rows = targets.map((t, k) => {
      const j50 = quantile(json[k]!, 0.5);
      const f50 = quantile(first[k]!, 0.5);
      return `| ${t.name} | ${ms(j50)} | ${ms(quantile(json[k]!, 0.99))} | ${k === 0 ? "—" : ms(j50 - baseJson)} | ${ms(f50)} | ${k === 0 ? "—" : ms(f50 - baseFirst)} | ${ms(quantile(gaps[k]!, 0.5))} |`;
    });
    const cpu = os.cpus()[0]?.model ?? "unknown CPU";
    const table = [
      "| path | JSON median ms | JSON p99 ms | JSON added (median) | SSE first event median ms | first event added | per-event gap median ms |",
      "|---|---|---|---|---|---|---|",
      ...rows,
    ].join("\n");
    const doc = `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.
All traffic on 127.0.0.1. Figures from one run; these machines are shared, so expect ±15 %.

## Proxy overhead

\`GET /assistants?limit=5\` × ${JSON_CALLS} per path (alternating, after a warm-up), and ${SSE_RUNS} streamed
create-thread-and-run calls per path (time to the first SSE event; mean gap between later events, which
the scripted model paces itself). "Added" is the median minus the direct call's median.

${table}

The proxy runs inside \`next start\`; its floor is what a Next.js route handler costs at all
(measured on this kind of machine: about 4.8 ms on a JSON call and 8.4 ms to the first SSE event for a
bare pass-through route — see shared/docs/toolchain.md §12). A side-by-side bare-route row and the
upload, concurrency and browser figures come with the benchmarks issue.
`;
    mkdirSync("docs", { recursive: true });
    writeFileSync("docs/benchmarks.md", doc);
    console.log(`\n${table}\n\nWritten to docs/benchmarks.md`);
  } finally {
    app?.kill("SIGTERM");
    await served.close();
    await engine.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
