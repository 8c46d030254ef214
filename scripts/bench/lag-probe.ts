/** Developer's probe: one instrumented burst run, lag by arrival time (not part of the bench). */
import { chromium } from "@playwright/test";
import { browserMeasureScripts, type LagSample } from "./browser-page";

async function main() {
  const appUrl = process.argv[2] ?? "http://127.0.0.1:3990";
  const res = await fetch(`${appUrl}/api/openai/assistants?api-version=2024-05-01-preview`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: appUrl },
    body: JSON.stringify({ model: "gpt-4o", name: "probe" }),
  });
  const { id } = (await res.json()) as { id: string };
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
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
    await page.waitForFunction(() => true);
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      () => {
        const a = document.querySelectorAll('[role="log"] article .markdown');
        const last = a[a.length - 1];
        return !!last && (last.textContent ?? "").split(/\s+/).filter(Boolean).length >= 2000;
      },
      undefined,
      { polling: 250 },
    );
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
      `run ${run + 1}: p95 ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(0)} ms, chunks ${groups.size}`,
    );
    console.log([...groups].map(([a, g]) => `${(a - t0).toFixed(0)}:${g.n}w→${g.max.toFixed(0)}`).join("  "));
    await context.close();
  }
  await browser.close();
}
void main();
