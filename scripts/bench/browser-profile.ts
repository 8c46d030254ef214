/**
 * Profiles one streamed answer in the playground (a developer's tool beside the browser bench):
 * a CDP CPU profile of the renderer, summarised as self time by function and by script.
 *   tsx scripts/bench/browser-profile.ts --app http://127.0.0.1:3990 [--prompt "… [[tokens:2000]]"]
 * --window a,b: only a to b ms of the profile; --trace: a Chromium trace instead (main-thread time
 * by event, long tasks and what they held, layouts forced from script); --commits: each React
 * commit and what it rendered; --shot: screenshots mid-stream and at the end.
 */
import { browserMeasureScripts } from "./browser-page";
import { createAssistant, launchChromium } from "./dev-session";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

async function main() {
  const appUrl = arg("app", "http://127.0.0.1:3990");
  const prompt = arg("prompt", "Write a long answer [[tokens:2000]]");
  const id = await createAssistant(appUrl, "profile");
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  // Counts React commits and the fibers each re-rendered (a stand-in devtools hook, installed before React loads).
  await page.addInitScript(`(() => {
    const stats = { commits: 0, fibers: 0, byType: {} };
    window.__benchReact = stats;
    window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
      supportsFiber: true, renderers: new Map(), inject() { return 1; }, onScheduleFiberRoot() {}, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {}, checkDCE() {},
      onCommitFiberRoot(id, root) {
        if (!window.__benchCounting) return;
        stats.commits++;
        const before = stats.fibers;
        const names = {};
        // Rendered in this commit: new, or flagged PerformedWork (1). A subtree whose child is still
        // its alternate's was skipped whole (as React DevTools decide it).
        const walk = (f) => {
          for (let c = f; c; c = c.sibling) {
            const rendered = c.alternate === null || (c.flags & 1) === 1;
            if (rendered && typeof c.type === "function") { stats.fibers++; const n = c.type.displayName || c.type.name || "?"; stats.byType[n] = (stats.byType[n] || 0) + 1; names[n] = (names[n] || 0) + 1; }
            if (c.child && !(c.alternate && c.alternate.child === c.child)) walk(c.child);
          }
        };
        walk(root.current.child);
        (stats.log ||= []).push({ at: performance.now(), fibers: stats.fibers - before, top: Object.entries(names).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => k + ":" + v).join(" ") });
      },
    };
  })();`);
  await page.goto(appUrl);
  await page.getByLabel("Assistant", { exact: true }).selectOption(id);
  await page.waitForLoadState("networkidle");
  const cdp = await context.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(prompt);
  await page.waitForTimeout(1000); // as while a person types (the bench waits as long)
  await page.evaluate(browserMeasureScripts.watchAllWords, 2000);
  await page.evaluate(() => ((window as unknown as { __benchCounting: boolean }).__benchCounting = true));
  const tracing = process.argv.includes("--trace");
  if (tracing)
    await browser.startTracing(page, {
      categories: [
        "devtools.timeline",
        "disabled-by-default-devtools.timeline",
        "blink",
        "v8",
        "disabled-by-default-v8.compile",
        "disabled-by-default-devtools.timeline.stack",
        "toplevel",
      ],
    });
  else await cdp.send("Profiler.start");
  const pressed = Date.now();
  const enterAt = await page.evaluate(() => performance.now());
  page.on("request", (r) => {
    if (r.resourceType() === "script")
      console.log(`script requested ${Date.now() - pressed} ms after Enter: ${r.url()}`);
  });
  await page.keyboard.press("Enter"); // the box has the focus (fill); no locator query in the profile
  if (process.argv.includes("--shot")) {
    await page.waitForTimeout(4000);
    await page.screenshot({ path: "/tmp/b-stream-mid.png" });
  }
  await page.evaluate(() => (window as unknown as { __benchAllWords: Promise<void> }).__benchAllWords);
  if (process.argv.includes("--shot")) await page.screenshot({ path: "/tmp/b-stream-end.png" });
  const react = await page.evaluate(
    () =>
      (
        window as unknown as {
          __benchReact: { commits: number; fibers: number; byType: Record<string, number> };
        }
      ).__benchReact,
  );
  console.log(`React commits: ${react.commits}, function components rendered: ${react.fibers}`);
  if (process.argv.includes("--commits"))
    for (const c of (react as unknown as { log: { at: number; fibers: number; top: string }[] }).log ?? [])
      console.log(`  commit at ${(c.at - enterAt).toFixed(0)} ms: ${c.fibers} rendered — ${c.top}`);
  console.log(
    Object.entries(react.byType)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([k, v]) => `${k}:${v}`)
      .join(" "),
  );
  if (tracing) {
    const buffer = await browser.stopTracing();
    await browser.close();
    summariseTrace(JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] });
    return;
  }
  const { profile } = (await cdp.send("Profiler.stop")) as unknown as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  await browser.close();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // --window a,b: only the samples from a to b ms after the profile started (e.g. before the stream).
  const [from, to] = arg("window", "0,1e9").split(",").map(Number) as [number, number];
  const self = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((s, i) => {
    at += (profile.timeDeltas[i] ?? 0) / 1000;
    if (at >= from && at < to) self.set(s, (self.get(s) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byFn = new Map<string, number>();
  const byUrl = new Map<string, number>();
  for (const [nodeId, us] of self) {
    const n = byId.get(nodeId)!;
    const f = n.callFrame;
    const key = `${f.functionName || "(anon)"} ${f.url.split("/").pop()}:${f.lineNumber}:${f.columnNumber}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    const u = f.url.split("/").pop() || f.functionName;
    byUrl.set(u, (byUrl.get(u) ?? 0) + us);
  }
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Inclusive time per function (each sample counted once per distinct function on its stack).
  const incl = new Map<string, number>();
  for (const [nodeId, us] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = nodeId; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const key = `${f.functionName || "(anon)"} ${f.url.split("/").pop()}:${f.lineNumber}:${f.columnNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + us);
    }
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`)
      .join("\n");
  // Entry points: the first JS frame under the root of each sample (what a task began with).
  const entry = new Map<string, number>();
  for (const [nodeId, us] of self) {
    let cur: number | undefined = nodeId;
    let first: number | undefined;
    while (cur !== undefined && parent.get(cur) !== undefined) {
      first = cur;
      cur = parent.get(cur);
    }
    if (first === undefined) continue;
    const f = byId.get(first)!.callFrame;
    const key = `${f.functionName || "(anon)"} ${f.url.split("/").pop()}:${f.lineNumber}:${f.columnNumber}`;
    entry.set(key, (entry.get(key) ?? 0) + us);
  }
  console.log("entry points:\n" + top(entry, 15));
  console.log("self time by script:\n" + top(byUrl, 15));
  console.log("\nself time by function:\n" + top(byFn, 40));
  console.log("\ninclusive time by function:\n" + top(incl, 60));
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/** Time on the renderer's main thread by event name: top-level tasks and what they spent it on (self time). */
function summariseTrace({ traceEvents }: { traceEvents: TraceEvent[] }) {
  const main = traceEvents.find(
    (e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain",
  );
  if (!main) throw new Error("no renderer main thread in the trace");
  const events = traceEvents
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X" && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, number>();
  const stack: { end: number; name: string }[] = [];
  const childTime = new Map<TraceEvent, number>();
  const parents: TraceEvent[] = [];
  let topLevel = 0;
  for (const e of events) {
    while (stack.length && stack[stack.length - 1]!.end <= e.ts) {
      stack.pop();
      parents.pop();
    }
    const parent = parents[parents.length - 1];
    if (parent) childTime.set(parent, (childTime.get(parent) ?? 0) + e.dur!);
    else topLevel += e.dur!;
    stack.push({ end: e.ts + e.dur!, name: e.name });
    parents.push(e);
  }
  const [from, to] = arg("window", "0,1e9").split(",").map(Number) as [number, number];
  const start = events[0]?.ts ?? 0;
  for (const e of events) {
    const at = (e.ts - start) / 1000;
    if (at >= from && at < to) self.set(e.name, (self.get(e.name) ?? 0) + e.dur! - (childTime.get(e) ?? 0));
  }
  // When the run's stream started and ended, and main-thread time per 200 ms.
  const resources = traceEvents.filter((e) => e.name.startsWith("Resource") && e.pid === main.pid);
  const t0 = events[0]?.ts ?? 0;
  for (const r of resources) {
    const data = (r.args as { data?: { url?: string; requestId?: string } } | undefined)?.data;
    if (data?.url?.includes("/api/") || r.name === "ResourceFinish")
      console.log(
        `${((r.ts - t0) / 1000).toFixed(0).padStart(7)} ms  ${r.name} ${data?.url?.replace(/^.*\/api\/openai/, "") ?? data?.requestId ?? ""}`,
      );
  }
  const buckets = new Map<number, number>();
  let depth: { end: number }[] = [];
  for (const e of events) {
    depth = depth.filter((d) => d.end > e.ts);
    if (depth.length === 0) {
      const b = Math.floor((e.ts - t0) / 200_000);
      buckets.set(b, (buckets.get(b) ?? 0) + e.dur!);
    }
    depth.push({ end: e.ts + e.dur! });
  }
  console.log(
    [...buckets]
      .sort((a, b) => a[0] - b[0])
      .map(([b, us]) => `${b * 200}ms:${(us / 1000).toFixed(0)}`)
      .join("  "),
  );
  console.log(`top-level time on the main thread: ${(topLevel / 1000).toFixed(0)} ms`);
  // Where layouts were forced from script (the first frames of each stack).
  const forced = new Map<string, number>();
  for (const e of events) {
    const stack = (
      e.args as
        | {
            beginData?: {
              stackTrace?: { functionName: string; url: string; lineNumber: number; columnNumber: number }[];
            };
          }
        | undefined
    )?.beginData?.stackTrace;
    if (!stack?.length || (e.name !== "Layout" && e.name !== "UpdateLayoutTree")) continue;
    const key = `${e.name} ← ${stack
      .slice(0, 4)
      .map((f) => `${f.functionName || "(anon)"}@${f.url.split("/").pop()}:${f.lineNumber}:${f.columnNumber}`)
      .join(" ← ")}`;
    forced.set(key, (forced.get(key) ?? 0) + e.dur!);
  }
  for (const [k, v] of [...forced].sort((a, b) => b[1] - a[1]).slice(0, 10))
    console.log(`forced ${(v / 1000).toFixed(1)} ms: ${k}`);
  for (const e of events)
    if (e.name === "EvaluateScript" || e.name === "v8.compile" || e.name === "V8.ParseProgram")
      console.log(
        `script evaluated at ${((e.ts - t0) / 1000).toFixed(0)} ms (${(e.dur! / 1000).toFixed(0)} ms): ${`${e.name} ${JSON.stringify(e.args).slice(0, 200)}`}`,
      );
  // Long tasks (over 16 ms) and their biggest direct parts: what makes a frame late.
  const spans = events.map((e) => ({ e, end: e.ts + e.dur! }));
  let open: typeof spans = [];
  for (const s of spans) {
    open = open.filter((o) => o.end > s.e.ts);
    if (open.length === 0 && s.e.dur! > 16_000) {
      const inside = spans.filter((c) => c !== s && c.e.ts >= s.e.ts && c.end <= s.end && c.e.dur! > 2_000);
      const what = inside
        .slice(0, 12)
        .map((c) => {
          const d = (c.e.args as { data?: { functionName?: string; url?: string } } | undefined)?.data;
          return `${c.e.name}${d?.functionName ? `(${d.functionName})` : ""} ${(c.e.dur! / 1000).toFixed(0)}`;
        })
        .join(", ");
      const from = JSON.stringify(inside[0]?.e.args ?? {}).slice(0, 200);
      console.log(
        `long task at ${((s.e.ts - t0) / 1000).toFixed(0)} ms: ${(s.e.dur! / 1000).toFixed(0)} ms ${from} — ${what}`,
      );
    }
    open.push(s);
  }
  console.log(
    [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([k, v]) => `${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`)
      .join("\n"),
  );
}

void main();
