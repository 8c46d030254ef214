/**
 * Developer's probe (not part of the bench): burst runs, each run's main-thread busy time and
 * lag p95, and the lag by network chunk.
 *   tsx scripts/bench/lag-probe.ts http://127.0.0.1:3990 [runs]
 */
import { browserMeasureScripts, type LagSample } from "./browser-page";
import { createAssistant, launchChromium } from "./dev-session";

async function main() {
  const appUrl = process.argv[2] ?? "http://127.0.0.1:3990";
  const id = await createAssistant(appUrl, "probe");
  const browser = await launchChromium();
  for (let run = 0; run < Number(process.argv[3] ?? 3); run++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(browserMeasureScripts.streamLag);
    await page.goto(appUrl);
    await page.getByLabel("Assistant", { exact: true }).selectOption(id);
    await page.waitForLoadState("networkidle");
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("Write a long answer [[tokens:2000]]");
    await page.waitForTimeout(1000);
    await page.evaluate(browserMeasureScripts.watchAllWords, 2000);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable", { timeDomain: "timeTicks" });
    const task = async () =>
      (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "TaskDuration")?.value ?? 0;
    const before = await task();
    // Busy time when the run is started (what the new thread and the message cost before it).
    let atRun: Promise<number> | null = null;
    page.on("request", (r) => {
      if (r.method() === "POST" && /\/runs\?/.test(r.url())) atRun ??= task();
    });
    await page.keyboard.press("Enter");
    await page.evaluate(() => (window as unknown as { __benchAllWords: Promise<void> }).__benchAllWords);
    const busy = (await task()) - before;
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
      `run ${run + 1}: busy ${busy.toFixed(2)} s (${((await (atRun ?? before)) - before).toFixed(2)} s before the run started), p95 ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(0)} ms, chunks ${groups.size}`,
    );
    console.log([...groups].map(([a, g]) => `${(a - t0).toFixed(0)}:${g.n}w→${g.max.toFixed(0)}`).join("  "));
    await context.close();
  }
  await browser.close();
}
void main();
