/**
 * Code interpreter: the local Python sandbox (lib/engine/sandbox/python.ts: one CPython kernel per
 * thread inside bubblewrap) running the seed walkthrough's sine-wave code, beside its floor —
 * `/usr/bin/python3 -c <the same code>`, a fresh process each time with no sandbox — in the same run,
 * interleaved round by round. Then many sessions alive at once and the memory their processes hold.
 * Needs no servers and no build: `npm run bench -- --only=code-interpreter` runs it alone.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { buildChart } from "../../lib/engine/model/scripted/code-interpreter";
import { PythonSandbox } from "../../lib/engine/sandbox/python";
import { childrenOf, rssOf } from "./rss";
import { median, mib, ms, quantile } from "./util";

const ROUNDS = Number(process.env.BENCH_CI_ROUNDS ?? 8);
const WARM_PER_ROUND = 3;
const SESSIONS = Number(process.env.BENCH_CI_SESSIONS ?? 20);
const PYTHON = "/usr/bin/python3";

/** The code the scripted model runs for "Create a visualization of a sinewave", saved beside it. */
async function sineCode(): Promise<string> {
  const chart = await buildChart(
    { subject: { kind: "function", fns: ["sine"] }, dark: false },
    {
      readFileText: async () => "",
    },
  );
  // The kernel's working directory is /mnt/data; a relative path lands there and in the floor's
  // temporary directory alike, so both run the very same text.
  return chart.code.replaceAll("/mnt/data/", "");
}

/** `python3 -c code` with nothing around it: the time from spawn to exit. */
function floorRun(code: string, cwd: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(PYTHON, ["-c", code], {
      cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (status) => {
      const elapsed = performance.now() - t;
      if (status === 0) resolve(elapsed);
      else reject(new Error(`python3 -c exited with ${status}: ${err.slice(0, 300)}`));
    });
  });
}

/** A process and all its descendants. */
function tree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...childrenOf(out[i]!));
  return out;
}

/** Proportional set size (shared pages split between the processes sharing them); NaN if unreadable. */
function pssOf(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await f();
  return [performance.now() - t, r];
}

/** The median of per-round differences a[i] − b[i] (the rows were measured side by side). */
function pairedMedian(a: number[], b: number[]): number {
  return median(a.map((x, i) => x - b[i]!));
}

function describe(xs: number[]): string {
  return `${ms(median(xs))} | ${ms(quantile(xs, 0.9))} | ${ms(Math.min(...xs))} – ${ms(Math.max(...xs))} | ${xs.length}`;
}

export async function benchCodeInterpreter(machineLine: string): Promise<{ markdown: string }> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-ci-"));
  // The sandbox user (uid 65534 when this runs as root) must reach its session directories.
  chmodSync(tmp, 0o711);
  const sandbox = new PythonSandbox({ workDir: tmp, maxSessions: SESSIONS + 4 });
  const loadStart = os.loadavg()[0] ?? NaN;
  try {
    const status = sandbox.status();
    if (!status.available)
      return {
        markdown: `## Code interpreter (local Python sandbox)\n\nNot measured: the sandbox is ${status.description}.\n`,
      };
    const code = await sineCode();
    const floorDir = mkdtempSync(path.join(tmp, "floor-"));
    const floorEnv = {
      PATH: "/usr/bin:/bin",
      HOME: floorDir,
      MPLBACKEND: "Agg",
      MPLCONFIGDIR: path.join(floorDir, "mpl"),
      LANG: "C.UTF-8",
      // As the sandbox sets them (lib/engine/sandbox/python.ts), so both use the same BLAS threads.
      OPENBLAS_NUM_THREADS: "2",
      OMP_NUM_THREADS: "2",
      MKL_NUM_THREADS: "2",
    };
    let n = 0;
    const fresh = () => `bench-${n++}`;
    const check = (r: Awaited<ReturnType<PythonSandbox["execute"]>>, images: number) => {
      if (r.error) throw new Error(`sandbox execution failed: ${r.error.kind}: ${r.error.message}`);
      if (r.images.length !== images) throw new Error(`expected ${images} image(s), got ${r.images.length}`);
    };

    // Warm-up, not counted: matplotlib's font cache (the sandbox builds one at start and copies it
    // into each session; the floor builds its own in MPLCONFIGDIR), the page cache of the libraries.
    console.log("Code interpreter: warm-up…");
    const w = fresh();
    check(await sandbox.execute(w, code), 1);
    await sandbox.closeSession(w);
    await floorRun(code, floorDir, floorEnv);

    const coldPass: number[] = [];
    const coldSine: number[] = [];
    const warmSine: number[] = [];
    const floorSine: number[] = [];
    const floorPass: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      console.log(`Code interpreter: round ${r + 1}/${ROUNDS}…`);
      const p = fresh();
      const [tp, rp] = await timed(() => sandbox.execute(p, "pass"));
      check(rp, 0);
      coldPass.push(tp);
      await sandbox.closeSession(p);

      const s = fresh();
      const [tc, rc] = await timed(() => sandbox.execute(s, code));
      check(rc, 1);
      coldSine.push(tc);
      for (let i = 0; i < WARM_PER_ROUND; i++) {
        const [tw, rw] = await timed(() => sandbox.execute(s, code));
        check(rw, 1);
        warmSine.push(tw);
      }
      await sandbox.closeSession(s);

      floorSine.push(await floorRun(code, floorDir, floorEnv));
      floorPass.push(await floorRun("pass", floorDir, floorEnv));
    }

    // Memory: SESSIONS sessions alive at once, each having run the sine code once (4 at a time).
    console.log(`Code interpreter: ${SESSIONS} sessions at once…`);
    const ids = Array.from({ length: SESSIONS }, () => fresh());
    const queue = [...ids];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) check(await sandbox.execute(id, code), 1);
      }),
    );
    const perSession = ids.map((id) => {
      const pid = sandbox.inspectSession(id)?.pid;
      if (!pid) throw new Error(`session ${id} has no process`);
      const procs = tree(pid);
      const rss = procs.map((q) => {
        try {
          return rssOf(q);
        } catch {
          return 0;
        }
      });
      const kernel = procs.findIndex((q) => commOf(q).startsWith("python"));
      return {
        processes: procs.map(commOf),
        rss: rss.reduce((a, b) => a + b, 0),
        pss: procs.map(pssOf).reduce((a, b) => a + b, 0),
        kernelRss: kernel >= 0 ? rss[kernel]! : NaN,
      };
    });
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const totalRss = sum(perSession.map((s) => s.rss));
    const totalPss = sum(perSession.map((s) => s.pss));
    const shape = perSession[0]!.processes.join(" → ");

    const loadEnd = os.loadavg()[0] ?? NaN;
    const shared =
      Math.max(loadStart, loadEnd) > os.cpus().length
        ? " The load was above the CPU count (other work shared the machine): absolute times are inflated; compare the rows measured side by side."
        : "";
    const markdown = `## Code interpreter (local Python sandbox)

Measured by \`npm run bench\` (alone: \`npm run bench -- --only=code-interpreter\`) on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC:
${machineLine}; one-minute load average ${loadStart.toFixed(2)} at the start, ${loadEnd.toFixed(2)} at the end.${shared} Sandbox: ${status.description}; bubblewrap, \`${PYTHON}\` with numpy, pandas and matplotlib.
The code is what the scripted model runs for the seed's "Create a visualization of a sinewave" (numpy
\`linspace\` of 1,000 points, an 8 × 5 in figure at 100 dpi, \`savefig\` of an 800 × 500 PNG, \`plt.show()\`),
${code.split("\n").length} lines. Times are wall clock in this process around \`PythonSandbox.execute\` (the
kernel's result includes the shown figure as a PNG, base64 over the pipe, and the written file read
back), in ${ROUNDS} rounds, each: a new session running \`pass\`, a new session running the sine code
(cold), the same code ${WARM_PER_ROUND} times more in that session (warm), then the floor — the same code
and \`pass\` with \`${PYTHON} -c\`, a fresh process each, no sandbox, the sandbox's environment (\`MPLBACKEND=Agg\`, 2 BLAS threads) — so both share
the machine's state. The floor renders one PNG (\`savefig\`; \`plt.show()\` does nothing under Agg); the
sandbox renders two (the \`savefig\` and the shown figure it returns) and reads the file back.

| what | median ms | p90 ms | min – max ms | runs |
|---|---|---|---|---|
| sandbox, new session, \`pass\` (bubblewrap + kernel start) | ${describe(coldPass)} |
| sandbox, new session, sine code (cold: start + imports + plot) | ${describe(coldSine)} |
| sandbox, same session again, sine code (warm) | ${describe(warmSine)} |
| floor: \`python3 -c "pass"\` | ${describe(floorPass)} |
| floor: \`python3 -c "<sine code>"\` (fresh process: imports + plot) | ${describe(floorSine)} |

What the sandbox adds to a fresh Python, paired round by round (median of the differences): ${ms(
      pairedMedian(coldPass, floorPass),
    )} ms to start (\`pass\`), ${ms(pairedMedian(coldSine, floorSine))} ms to the sine code's first run — the
imports and the plot dominate both, and differences within the spread of the rows above are noise. Warm is
what a thread's later code costs: no process start, no imports.

**${SESSIONS} sessions at once**, each having run the sine code once (its figure closed), each session's
processes (${shape}) read from \`/proc/<pid>/status\` (VmRSS) and \`/proc/<pid>/smaps_rollup\` (Pss,
shared pages split between the processes that map them). No cgroup: the sandbox limits each process
with rlimits (README).

| | total | per session (median) | per session (max) |
|---|---|---|---|
| sum of VmRSS (shared libraries counted in every process) | ${mib(totalRss)} MiB | ${mib(median(perSession.map((s) => s.rss)))} MiB | ${mib(Math.max(...perSession.map((s) => s.rss)))} MiB |
| sum of Pss (what the sessions cost together) | ${mib(totalPss)} MiB | ${mib(median(perSession.map((s) => s.pss)))} MiB | ${mib(Math.max(...perSession.map((s) => s.pss)))} MiB |
| the Python kernel alone (VmRSS) | ${mib(sum(perSession.map((s) => s.kernelRss)))} MiB | ${mib(median(perSession.map((s) => s.kernelRss)))} MiB | ${mib(Math.max(...perSession.map((s) => s.kernelRss)))} MiB |

The default \`maxSessions\` is 16 (the least recently used idle session ends past it); this run
raised it to ${SESSIONS + 4}.
`;
    return { markdown };
  } finally {
    await sandbox.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
