/**
 * `npm run bench`: the playground measured side by side with its floors, in one run; writes
 * docs/benchmarks.md (with the machine it ran on, the targets and a verdict per target).
 * Figures, not assertions. All traffic stays on 127.0.0.1.
 *
 * Sections (scripts/bench/, README.md there): proxy overhead (proxy.ts), uploads (upload.ts), concurrency
 * (concurrency.ts), then the browser figures (browser.ts), then code interpreter
 * (code-interpreter.ts: the local Python sandbox beside python3 -c, no servers). The servers (servers.ts):
 * the engine in a process of its own, a fixed-latency stub, the bare app (the floor, built
 * standalone like the playground) and the playground served by scripts/serve-standalone.mjs.
 *
 * Knobs: NEXT_DIST_DIR (the playground build, default .next; built once if missing),
 * BENCH_SECTIONS (default "proxy,upload,concurrency,browser,code-interpreter"), BENCH_JSON_CALLS, BENCH_SSE_RUNS, BENCH_BROWSER_RUNS,
 * BENCH_UPLOAD_MB, BENCH_UPLOAD_ROUNDS, BENCH_CONCURRENCY, BENCH_CONCURRENCY_DELTAS, BENCH_CONCURRENCY_PACE_MS,
 * BENCH_CI_ROUNDS, BENCH_CI_SESSIONS, BENCH_OUT (default docs/benchmarks.md).
 *
 * `npm run bench -- --only=code-interpreter` runs that section alone (no build, no servers) and
 * replaces it in the existing BENCH_OUT, leaving the other sections and the header as they were.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { browserBench } from "./bench/browser";
import { benchCodeInterpreter } from "./bench/code-interpreter";
import { benchConcurrency, type ConcurrencyPath } from "./bench/concurrency";
import { describeMachine } from "./bench/machine";
import { benchProxy, type ProxyTarget } from "./bench/proxy";
import {
  buildBareApp,
  startBare,
  startEngineProcess,
  startPlayground,
  startStub,
  STUB,
  stopAll,
  type Served,
} from "./bench/servers";
import { summaryTable, type SummaryRow } from "./bench/summary";
import { benchUploads, type UploadPath } from "./bench/upload";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const ONLY = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const SECTIONS = new Set(
  (ONLY ?? process.env.BENCH_SECTIONS ?? "proxy,upload,concurrency,browser,code-interpreter")
    .split(",")
    .map((s) => s.trim()),
);
/** Sections that need neither the playground's build nor its servers, so `--only` can run them alone. */
const STANDALONE: Record<string, { heading: string; run: (machineLine: string) => Promise<string> }> = {
  "code-interpreter": {
    heading: "## Code interpreter",
    run: async (line) => (await benchCodeInterpreter(line)).markdown,
  },
};
const OUT = process.env.BENCH_OUT ?? "docs/benchmarks.md";
const DIST = process.env.NEXT_DIST_DIR || ".next";
const LOCAL = { "x-playground-connection": "local" };
const VIA_ENGINE = { "x-playground-connection": "engine" };

/** `--only=<standalone sections>`: each replaces its own section of BENCH_OUT (appended if missing). */
async function only(): Promise<void> {
  const machine = describeMachine();
  const unknown = [...SECTIONS].filter((s) => !STANDALONE[s]);
  if (unknown.length > 0)
    throw new Error(
      `--only runs sections that need no servers (${Object.keys(STANDALONE).join(", ")}); for ${unknown.join(", ")} use BENCH_SECTIONS, which rewrites the whole file.`,
    );
  let doc = existsSync(OUT) ? readFileSync(OUT, "utf8") : "# Benchmarks\n";
  for (const name of SECTIONS) {
    const { heading, run } = STANDALONE[name]!;
    doc = replaceSection(doc, heading, (await run(machine.line)).trim());
  }
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, doc);
  spawnSync("npx", ["prettier", "--write", OUT], { stdio: "ignore" });
  console.log(`Replaced ${[...SECTIONS].join(", ")} in ${OUT}.`);
}

/** `doc` with the `## ` section starting with `heading` replaced by `markdown` (appended if missing). */
function replaceSection(doc: string, heading: string, markdown: string): string {
  const lines = doc.split("\n");
  const from = lines.findIndex((l) => l.startsWith(heading));
  if (from < 0) return `${doc.trimEnd()}\n\n${markdown}\n`;
  const next = lines.findIndex((l, i) => i > from && l.startsWith("## "));
  const to = next < 0 ? lines.length : next;
  return [...lines.slice(0, from), ...markdown.split("\n"), "", ...lines.slice(to)].join("\n");
}

async function main() {
  if (ONLY) return only();
  const started = performance.now();
  const machine = describeMachine();
  // npm runs scripts from the package root.
  if (!existsSync(path.join(DIST, "standalone", "server.js"))) {
    console.log(`Building the playground once (no standalone build in ${DIST})…`);
    const r = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
    if (r.status !== 0) process.exit(1);
  }
  const buildId = path.join(DIST, "BUILD_ID");
  const builtAt = existsSync(buildId)
    ? `${statSync(buildId).mtime.toISOString().slice(0, 16).replace("T", " ")} UTC`
    : "an unknown time";
  const tmp = mkdtempSync(path.join(os.tmpdir(), "playground-bench-"));
  const running: Served[] = [];
  const keep = <T extends Served>(s: T) => (running.push(s), s);
  const stub = await startStub();
  const sections: string[] = [];
  const summary: SummaryRow[] = [];
  try {
    const bare = buildBareApp();
    // The servers of the proxy section stay up (idle) for the browser section.
    const engine = keep(await startEngineProcess(path.join(tmp, "engine")));
    // One bare process for both upstreams (`x-bare-upstream`), as one playground process serves its connections.
    const bareApp = keep(
      await startBare(bare, { engine: `${engine.url}/openai`, stub: `${stub.url}/openai` }),
    );
    const app = keep(
      await startPlayground({
        remotes: [
          { name: "engine", url: engine.url },
          { name: "stub", url: stub.url },
        ],
        dataDir: path.join(tmp, "app"),
      }),
    );

    if (SECTIONS.has("proxy")) {
      console.log("Proxy overhead…");
      const targets: ProxyTarget[] = [
        {
          name: "direct to the engine (its own process)",
          group: "engine",
          kind: "direct",
          base: `${engine.url}/openai`,
          headers: {},
        },
        {
          name: "bare route → engine (floor)",
          group: "engine",
          kind: "bare",
          base: `${bareApp.url}/api`,
          headers: { "x-bare-upstream": "engine" },
        },
        {
          name: "proxy → engine over HTTP",
          group: "engine",
          kind: "proxy",
          base: `${app.url}/api/openai`,
          headers: VIA_ENGINE,
        },
        {
          name: "proxy → engine in-process (local)",
          group: "engine",
          kind: "in-process",
          base: `${app.url}/api/openai`,
          headers: LOCAL,
        },
        {
          name: `direct to the stub (${STUB.latencyMs} ms latency)`,
          group: "stub",
          kind: "direct",
          base: `${stub.url}/openai`,
          headers: {},
        },
        {
          name: "bare route → stub (floor)",
          group: "stub",
          kind: "bare",
          base: `${bareApp.url}/api`,
          headers: { "x-bare-upstream": "stub" },
        },
        {
          name: "proxy → stub",
          group: "stub",
          kind: "proxy",
          base: `${app.url}/api/openai`,
          headers: { "x-playground-connection": "stub" },
        },
      ];
      const r = await benchProxy(targets);
      sections.push(r.markdown);
      summary.push(...r.summary);
    }

    /**
     * The four ways to the engine, in fresh processes (so no earlier work has grown the heap the
     * idle figure is taken from), stopped once `run` is done.
     */
    const withFreshPaths = async (label: string, run: (p: ConcurrencyPath[]) => Promise<void>) => {
      const e = await startEngineProcess(path.join(tmp, `engine-${label}`));
      const b = await startBare(bare, { engine: `${e.url}/openai` });
      const pHttp = await startPlayground({
        remotes: [{ name: "engine", url: e.url }],
        dataDir: path.join(tmp, `app-${label}-http`),
      });
      const pLocal = await startPlayground({ remotes: [], dataDir: path.join(tmp, `app-${label}-local`) });
      try {
        await run([
          { name: "direct to the engine", kind: "direct", base: `${e.url}/openai`, headers: {}, server: e },
          { name: "bare pipe → engine", kind: "bare", base: `${b.url}/api`, headers: {}, server: b },
          {
            name: "proxy → engine over HTTP",
            kind: "proxy-http",
            base: `${pHttp.url}/api/openai`,
            headers: VIA_ENGINE,
            server: pHttp,
          },
          {
            name: "proxy → engine in-process (local)",
            kind: "proxy-local",
            base: `${pLocal.url}/api/openai`,
            headers: LOCAL,
            server: pLocal,
          },
        ]);
      } finally {
        await stopAll([e, b, pHttp, pLocal]);
      }
    };

    if (SECTIONS.has("upload")) {
      await withFreshPaths("upload", async ([direct, bareRoute, ...proxies]) => {
        const paths: UploadPath[] = [
          direct!,
          { ...bareRoute!, name: "bare pipe → engine (floor)" },
          {
            ...bareRoute!,
            name: "bare pipe + a counting TransformStream (as the proxy's body check)",
            kind: "bare-counted",
            headers: { "x-bare-count": "1" },
          },
          ...proxies,
        ];
        const r = await benchUploads(paths);
        sections.push(r.markdown);
        summary.push(...r.summary);
      });
    }

    if (SECTIONS.has("concurrency")) {
      await withFreshPaths("concurrency", async (paths) => {
        const r = await benchConcurrency(paths);
        sections.push(r.markdown);
        summary.push(...r.summary);
      });
    }

    if (SECTIONS.has("browser")) {
      console.log("Browser figures (scripts/bench/browser.ts)…");
      const r = (await browserBench({ appUrl: app.url, bareUrl: bareApp.url })) as {
        markdown: string;
        summary?: SummaryRow[];
      };
      const md = r.markdown.trim();
      sections.push(`${md.startsWith("## ") ? "" : "## Browser (Chromium)\n\n"}${md}\n`);
      summary.push(
        ...(r.summary ?? [
          {
            target: "Browser: first-load JS ≤ 300 KB gzip; streaming busy ≤ 0.5 s, lag ≤ 50 ms",
            measured: "see the Browser section",
            floor: "the bare page's first-load JS there",
            verdict: "in its section",
            why: "verdicts per target in the Browser tables",
          },
        ]),
      );
    }

    if (SECTIONS.has("code-interpreter")) {
      console.log("Code interpreter (scripts/bench/code-interpreter.ts)…");
      sections.push((await benchCodeInterpreter(machine.line)).markdown);
    }
  } finally {
    await stopAll(running);
    await stub.close();
    rmSync(tmp, { recursive: true, force: true });
  }

  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  const doc = `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC in ${minutes} min: ${machine.line}.
One-minute load average ${machine.loadStart.toFixed(2)} at the start, ${machine.loadNow().toFixed(2)} at the end (a figure near the CPU count
means other work shared the machine). All traffic on 127.0.0.1. Figures from one run; expect ±15 % between runs.
Sections: ${[...SECTIONS].join(", ")}. The playground's build: \`${DIST}\` from ${builtAt}.

## Targets and verdicts

${summaryTable(summary)}

${sections.join("\n")}`;
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, doc);
  // The project's own markdown style (npm run format:check covers docs/).
  spawnSync("npx", ["prettier", "--write", OUT], { stdio: "ignore" });
  console.log(`\n${summaryTable(summary)}\n\nWritten to ${OUT} (${minutes} min).`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
