/**
 * Developer's probe (not part of the bench): burst runs, each run's main-thread busy time and
 * lag p95, and the lag by network chunk.
 *   tsx scripts/bench/lag-probe.ts http://127.0.0.1:3990 [runs] [--trace] [--paced]
 * --paced: the bench's paced stream (a delta every 5 ms) instead of the burst.
 * --style=CSS: a style sheet added to the page (to try a CSS change without a build).
 * --trace: a Chromium trace of each run; for a run whose worst chunk waited over 60 ms, the main
 * thread's tasks from that chunk's arrival to its words' commit, with what each spent time on.
 */
import { browserMeasureScripts, type LagSample } from "./browser-page";
import { createAssistant, launchChromium } from "./dev-session";

async function main() {
  const appUrl = process.argv[2] ?? "http://127.0.0.1:3990";
  const id = await createAssistant(appUrl, "probe");
  const browser = await launchChromium();
  const tracing = process.argv.includes("--trace");
  const runs = Number(process.argv.slice(3).find((a) => /^\d+$/.test(a)) ?? 3);
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    if (process.argv.includes("--trace")) await page.addInitScript("window.__benchMarks = true");
    await page.addInitScript(browserMeasureScripts.streamLag);
    await page.goto(appUrl);
    const css = process.argv.find((a) => a.startsWith("--style="))?.slice("--style=".length);
    if (css) await page.addStyleTag({ content: css });
    await page.getByLabel("Assistant", { exact: true }).selectOption(id);
    await page.waitForLoadState("networkidle");
    const box = page.getByRole("textbox", { name: "Message" });
    if (process.argv.includes("--warm")) {
      // A first, shorter answer in the same page: the measured one then runs warm code.
      await box.fill("Warm up [[tokens:300]]");
      await page.evaluate(browserMeasureScripts.watchAllWords, 300);
      await page.keyboard.press("Enter");
      await page.evaluate(() => (window as unknown as { __benchAllWords: Promise<void> }).__benchAllWords);
      await page.waitForLoadState("networkidle");
      await page.waitForTimeout(500);
      await page.evaluate(() => (window as unknown as { __benchLagReset: () => void }).__benchLagReset());
    }
    const paced = process.argv.includes("--paced") ? " [[slow:5]]" : "";
    await box.fill(`Write a long answer [[tokens:2000]]${paced}`);
    await page.waitForTimeout(1000);
    await page.evaluate(browserMeasureScripts.watchAllWords, 2000);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable", { timeDomain: "timeTicks" });
    const metric = async (name: string) =>
      (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === name)?.value ?? 0;
    const task = () => metric("TaskDuration");
    const styleLayout = async () =>
      [await metric("RecalcStyleDuration"), await metric("LayoutDuration")] as const;
    const before = await task();
    const styleLayoutBefore = await styleLayout();
    // Busy time when the run is started (what the new thread and the message cost before it).
    let atRun: Promise<number> | null = null;
    page.on("request", (r) => {
      if (r.method() === "POST" && /\/runs\?/.test(r.url())) atRun ??= task();
    });
    if (tracing)
      await browser.startTracing(page, {
        categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "v8", "toplevel"],
      });
    const sampling = tracing && process.argv.includes("--js");
    if (sampling) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 250 });
      await cdp.send("Profiler.start");
    }
    // Aligns the trace's clock with the page's: a TimeStamp event at a known performance.now().
    const origin = await page.evaluate(() => {
      const now = performance.now();
      console.timeStamp("probe-origin");
      return now;
    });
    await page.keyboard.press("Enter");
    await page.evaluate(() => (window as unknown as { __benchAllWords: Promise<void> }).__benchAllWords);
    const busy = (await task()) - before;
    const [styleS, layoutS] = (await styleLayout()).map((v, i) => v - styleLayoutBefore[i]!);
    const lag = await page.evaluate(() =>
      (window as unknown as { __benchLag: () => LagSample[] }).__benchLag(),
    );
    const t0 = lag[0]!.arrived;
    // Group by arrival (one network chunk = same arrival time).
    const groups = new Map<number, { n: number; max: number; dom: number }>();
    for (const s of lag) {
      const g = groups.get(s.arrived) ?? { n: 0, max: 0, dom: 0 };
      g.n++;
      g.max = Math.max(g.max, s.dom - s.arrived);
      g.dom = Math.max(g.dom, s.dom);
      groups.set(s.arrived, g);
    }
    const sorted = lag.map((s) => s.dom - s.arrived).sort((a, b) => a - b);
    console.log(
      `run ${run + 1}: busy ${busy.toFixed(2)} s (${((await (atRun ?? before)) - before).toFixed(2)} s before the run started; style ${styleS!.toFixed(2)} s, layout ${layoutS!.toFixed(2)} s), p95 ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(0)} ms, chunks ${groups.size}`,
    );
    console.log([...groups].map(([a, g]) => `${(a - t0).toFixed(0)}:${g.n}w→${g.max.toFixed(0)}`).join("  "));
    if (tracing) {
      const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
      const profile = sampling
        ? ((await cdp.send("Profiler.stop")) as unknown as { profile: CpuProfile }).profile
        : { nodes: [], startTime: 0, samples: [], timeDeltas: [] };
      const [worstAt, worst] = [...groups].sort((a, b) => b[1].max - a[1].max)[0]!;
      if (process.argv.includes("--layouts")) printLayouts(trace.traceEvents);
      if (process.argv.includes("--long"))
        printWindow(trace.traceEvents, origin, t0 - 1000, t0 + 5000, t0, profile, 25_000);
      else if (worst.max > 60) {
        printWindow(trace.traceEvents, origin, worstAt - 30, worst.dom, t0, profile);
      }
    }
    await context.close();
  }
  await browser.close();
}
/** Whether `k` is directly inside `c` (no other event of `all` between them). */
function isDirectChild(all: TraceEvent[], c: TraceEvent, k: TraceEvent): boolean {
  return !all.some(
    (m) =>
      m !== c &&
      m !== k &&
      m.ts >= c.ts &&
      m.ts + m.dur! <= c.ts + c.dur! &&
      k.ts >= m.ts &&
      k.ts + k.dur! <= m.ts + m.dur! &&
      (m.dur! > k.dur! || m.ts < k.ts),
  );
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; message?: string } };
}

/** What the page's layouts cost: how many, their time, how many objects each laid out, and what made them. */
function printLayouts(events: TraceEvent[]) {
  const layouts = events.filter((e) => e.name === "Layout" && e.ph === "X" && e.dur);
  const total = layouts.reduce((t, e) => t + e.dur!, 0) / 1000;
  console.log(`layouts: ${layouts.length}, ${total.toFixed(0)} ms`);
  const byShape = new Map<string, { n: number; ms: number }>();
  for (const e of layouts) {
    const begin = (
      e.args as { beginData?: { dirtyObjects?: number; totalObjects?: number; partialLayout?: boolean } }
    )?.beginData;
    const key = `dirty ${bucket(begin?.dirtyObjects ?? 0)} of ${bucket(begin?.totalObjects ?? 0)}${begin?.partialLayout ? " (partial)" : ""}`;
    const g = byShape.get(key) ?? { n: 0, ms: 0 };
    g.n++;
    g.ms += e.dur! / 1000;
    byShape.set(key, g);
  }
  // Whether a layout costs more as the answer grows: the mean of each tenth of the run.
  const tenths = Array.from({ length: 10 }, (_, i) =>
    layouts.slice((i * layouts.length) / 10, ((i + 1) * layouts.length) / 10),
  );
  console.log(
    `  by tenth of the run, ms each: ${tenths.map((t) => (t.reduce((a, e) => a + e.dur!, 0) / 1000 / Math.max(1, t.length)).toFixed(2)).join(" ")}`,
  );
  for (const [key, g] of [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12))
    console.log(`  ${key}: ${g.n} layouts, ${g.ms.toFixed(0)} ms (${(g.ms / g.n).toFixed(2)} ms each)`);
}

/** A rough size class (powers of two) for grouping counts. */
function bucket(n: number): string {
  if (n === 0) return "0";
  const p = 2 ** Math.floor(Math.log2(n));
  return `${p}–${p * 2 - 1}`;
}

/** The renderer main thread's top-level tasks between two page times (ms), each with its biggest parts. */
function printWindow(
  events: TraceEvent[],
  origin: number,
  from: number,
  to: number,
  t0: number,
  profile: CpuProfile,
  minTask = 1000,
) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const sampleTimes: number[] = [];
  let st = profile.startTime;
  for (const d of profile.timeDeltas) sampleTimes.push((st += d));
  /** The JS in a span of trace time: inclusive ms of app functions (frames of the first-party chunks, not React's or the SDK's). */
  const jsIn = (a: number, b: number) => {
    const incl = new Map<string, number>();
    sampleTimes.forEach((t, i) => {
      if (t < a || t > b) return;
      const seen = new Set<string>();
      for (let cur: number | undefined = profile.samples[i]; cur !== undefined; cur = parent.get(cur)) {
        const f = byId.get(cur)!.callFrame;
        if (!f.functionName || f.functionName.startsWith("(")) continue;
        if (seen.has(f.functionName)) continue;
        seen.add(f.functionName);
        incl.set(f.functionName, (incl.get(f.functionName) ?? 0) + (profile.timeDeltas[i + 1] ?? 250) / 1000);
      }
    });
    return [...incl]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 10)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(", ");
  };
  const mark = events.find((e) => e.name === "TimeStamp" && e.args?.data?.message === "probe-origin");
  if (!mark) return console.log("(no probe-origin mark in the trace)");
  const main = events.filter(
    (e) => e.pid === mark.pid && e.tid === mark.tid && e.ph === "X" && e.dur !== undefined,
  );
  const at = (ts: number) => origin + (ts - mark.ts) / 1000; // trace µs → page ms
  main.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  let end = -Infinity;
  console.log(`  main thread from ${(from - t0).toFixed(0)} to ${(to - t0).toFixed(0)} ms (stream time):`);
  const marks = events.filter(
    (e) => e.name === "TimeStamp" && e.pid === mark.pid && e.args?.data?.message?.startsWith("bench "),
  );
  for (const e of main) {
    if (e.ts < end) continue; // nested in the current top-level task
    end = e.ts + e.dur!;
    if (at(end) < from || at(e.ts) > to || e.dur! < minTask) continue;
    const inside = main
      .filter((c) => c !== e && c.ts >= e.ts && c.ts + c.dur! <= end && c.dur! > 1500)
      .map(
        (c) =>
          `${c.name}${c.args?.data?.functionName ? `(${c.args.data.functionName})` : ""} ${(c.dur! / 1000).toFixed(0)}`,
      );
    console.log(
      `    ${(at(e.ts) - t0).toFixed(0).padStart(5)} ms +${(e.dur! / 1000).toFixed(0)} ms  ${e.name}: ${[...new Set(inside)].slice(0, 14).join(", ")}`,
    );
    if (e.dur! > 25_000) {
      // A long task: its self time by event name (what it was actually doing).
      const kids = main.filter((c) => c !== e && c.ts >= e.ts && c.ts + c.dur! <= end);
      const selfBy = new Map<string, number>();
      for (const c of [e, ...kids]) {
        const childSum = kids
          .filter(
            (k) => k !== c && k.ts >= c.ts && k.ts + k.dur! <= c.ts + c.dur! && isDirectChild(kids, c, k),
          )
          .reduce((sum, k) => sum + k.dur!, 0);
        const name = c.args?.data?.functionName ? `${c.name}(${c.args.data.functionName})` : c.name;
        selfBy.set(name, (selfBy.get(name) ?? 0) + c.dur! - childSum);
      }
      console.log(
        `          self: ${[...selfBy]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 12)
          .map(([n, v]) => `${n} ${(v / 1000).toFixed(1)}`)
          .join(", ")}`,
      );
    }
    const inTask = marks
      .filter((m) => m.ts >= e.ts && m.ts <= end)
      .map((m) => m.args!.data!.message!.slice(6));
    if (inTask.length) console.log(`          marks: ${inTask.join(", ")}`);
    const js = jsIn(e.ts, end);
    if (js) console.log(`          js: ${js}`);
  }
  // The other threads of the renderer and the browser (compositor, raster, GPU): busy time in the window.
  const names = new Map(
    events
      .filter((e) => e.ph === "M" && e.name === "thread_name")
      .map((e) => [`${e.pid}:${e.tid}`, e.args?.name ?? "?"]),
  );
  const busy = new Map<string, { top: number; by: Map<string, number> }>();
  const open = new Map<string, number>();
  for (const e of [...events].filter((x) => x.ph === "X" && x.dur).sort((a, b) => a.ts - b.ts)) {
    if (at(e.ts + e.dur!) < from || at(e.ts) > to) continue;
    const key = `${e.pid}:${e.tid}`;
    const b = busy.get(key) ?? { top: 0, by: new Map() };
    if (e.ts >= (open.get(key) ?? 0)) {
      b.top += e.dur!;
      open.set(key, e.ts + e.dur!);
      b.by.set(e.name, (b.by.get(e.name) ?? 0) + e.dur!);
    }
    busy.set(key, b);
  }
  for (const [key, b] of [...busy].sort((x, y) => y[1].top - x[1].top).slice(0, 8))
    console.log(
      `    thread ${names.get(key) ?? key}: ${(b.top / 1000).toFixed(0)} ms — ${[...b.by]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 5)
        .map(([n, v]) => `${n} ${(v / 1000).toFixed(0)}`)
        .join(", ")}`,
    );
  // Frames: when the main thread began one (BeginMainFrame) inside the window.
  const frames = main.filter(
    (e) => e.name === "WebFrameWidgetImpl::BeginMainFrame" && at(e.ts) >= from && at(e.ts) <= to,
  );
  console.log(`    frames begun: ${frames.map((e) => (at(e.ts) - t0).toFixed(0)).join(", ")}`);
}

void main();
