import { readFile } from "node:fs/promises";
import { expect, test, type Download, type Page } from "@playwright/test";
import { createAssistant, runStatus, send, seriousViolations, threads, unique } from "./support/playground";
import { openLocalPlayground } from "./support/h3";

// The request log: every call this browser made through the proxy, in the Inspector's
// "Request log" tab — filtered, expanded, exported as JSON and HAR with no key or token in them.

test.describe.configure({ timeout: 180_000 });

const SECRET_HEADERS = new Set(["api-key", "authorization", "cookie", "set-cookie"]);

function requestLog(page: Page) {
  return page.getByRole("region", { name: "Request log" });
}

async function downloaded(download: Download): Promise<string> {
  return readFile((await download.path())!, "utf8");
}

test("filter the request log, open a run's stream, export it as JSON and HAR without secrets", async ({
  page,
}, testInfo) => {
  await openLocalPlayground(page);
  await createAssistant(page, unique("Request logger"), "Answer plainly.");
  await send(page, "What is a vector store?");
  await expect(runStatus(page)).toContainText("Completed");
  // A call that fails: opening a thread that does not exist (404).
  await threads(page).getByLabel("Open a thread by id").fill("thread_doesnotexist42");
  await threads(page).getByRole("button", { name: "Open", exact: true }).click();
  await expect(threads(page)).toContainText("No thread thread_doesnotexist42 on this connection.");

  await page.getByRole("region", { name: "Inspector" }).getByRole("tab", { name: "Request log" }).click();
  const log = requestLog(page);
  const requests = log.getByRole("list", { name: "Requests, newest first" });
  await expect(requests.getByRole("button", { name: /^POST \/assistants — 200/ })).toBeVisible();

  // Text filter: only the run calls.
  await log.getByLabel("Filter requests").fill("/runs");
  await expect(requests.getByRole("button").first()).toBeVisible();
  for (const name of await requests
    .getByRole("button")
    .evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? "")))
    expect(name).toContain("/runs");
  // Method filter: the POST that started the run, streamed.
  await log.getByLabel("Method").selectOption("POST");
  const started = requests
    .getByRole("button", { name: /^POST \/threads\/(thread_\w+\/)?runs — 200/ })
    .first();
  await started.click();
  await expect(started).toHaveAttribute("aria-expanded", "true");
  const events = log.getByRole("list", { name: "Response body events" });
  await expect(events).toContainText("thread.run.created");
  await expect(events).toContainText("thread.message.delta");
  await expect(events).toContainText("thread.run.completed");
  // The SDK's placeholder key is never shown.
  await expect(log.getByText("[redacted]").first()).toBeVisible();
  await expect(log.getByText("unused", { exact: true })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("request-log-stream.png"), fullPage: false });
  expect(await seriousViolations(page)).toEqual([]);

  // Export JSON of what the filter shows.
  const [jsonDownload] = await Promise.all([
    page.waitForEvent("download"),
    log.getByRole("button", { name: "Export JSON" }).click(),
  ]);
  expect(jsonDownload.suggestedFilename()).toMatch(/^playground-requests-.*\.json$/);
  const jsonText = await downloaded(jsonDownload);
  const exported = JSON.parse(jsonText) as {
    format: string;
    entries: {
      method: string;
      path: string;
      status: number;
      requestHeaders: [string, string][];
      responseBody: { kind: string; events?: { event: string }[] } | null;
    }[];
  };
  expect(exported.format).toBe("assistants-playground.request-log");
  expect(exported.entries.length).toBeGreaterThan(0);
  for (const e of exported.entries) {
    expect(e.method).toBe("POST");
    expect(e.path).toContain("/runs");
    for (const [name, value] of e.requestHeaders)
      if (SECRET_HEADERS.has(name)) expect(value).toBe("[redacted]");
  }
  const stream = exported.entries.find((e) => e.responseBody?.kind === "sse");
  expect(stream?.responseBody?.events?.map((ev) => ev.event)).toContain("thread.run.completed");
  expect(jsonText).not.toMatch(/"unused"/);

  // Status filter: the 404.
  await log.getByLabel("Filter requests").fill("");
  await log.getByLabel("Method").selectOption("");
  await log.getByLabel("Status").selectOption("4xx");
  await expect(requests.getByRole("button")).toHaveCount(1);
  await expect(requests.getByRole("button").first()).toHaveAccessibleName(
    /^GET \/threads\/thread_doesnotexist42 — 404/,
  );

  // Everything, as HAR 1.2.
  await log.getByLabel("Status").selectOption("all");
  const total = await requests.getByRole("button").count();
  const [harDownload] = await Promise.all([
    page.waitForEvent("download"),
    log.getByRole("button", { name: "Export HAR" }).click(),
  ]);
  expect(harDownload.suggestedFilename()).toMatch(/\.har$/);
  const harText = await downloaded(harDownload);
  const har = JSON.parse(harText) as {
    log: {
      version: string;
      creator: { name: string };
      entries: {
        startedDateTime: string;
        time: number;
        request: {
          method: string;
          url: string;
          headers: { name: string; value: string }[];
          queryString: unknown[];
          httpVersion: string;
        };
        response: {
          status: number;
          content: { mimeType: string; size: number; text?: string };
          headers: { name: string; value: string }[];
        };
        timings: { send: number; wait: number; receive: number };
        cache: object;
      }[];
    };
  };
  expect(har.log.version).toBe("1.2");
  expect(har.log.creator.name).toBe("Assistants Playground");
  expect(har.log.entries).toHaveLength(total);
  for (const e of har.log.entries) {
    expect(Number.isNaN(Date.parse(e.startedDateTime))).toBe(false);
    expect(e.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/openai\//);
    expect(e.request.httpVersion).toBe("HTTP/1.1");
    expect(Array.isArray(e.request.queryString)).toBe(true);
    expect(typeof e.response.content.mimeType).toBe("string");
    expect(e.cache).toEqual({});
    expect(e.timings.wait).toBeGreaterThanOrEqual(0);
    for (const h of [...e.request.headers, ...e.response.headers])
      if (SECRET_HEADERS.has(h.name)) expect(h.value).toBe("[redacted]");
  }
  expect(har.log.entries.some((e) => e.response.status === 404)).toBe(true);
  expect(har.log.entries.some((e) => e.response.content.text?.includes("event: thread.run.completed"))).toBe(
    true,
  );
  expect(harText).not.toMatch(/"unused"/);

  // A reload keeps the log for the tab's session (stored redacted, as shown).
  await page.reload();
  await page.getByRole("region", { name: "Inspector" }).getByRole("tab", { name: "Request log" }).click();
  await expect(requests.getByRole("button", { name: /^POST \/assistants — 200/ })).toBeVisible();
  await expect(
    requests.getByRole("button", { name: /^GET \/threads\/thread_doesnotexist42 — 404/ }),
  ).toBeVisible();
  const stored = await page.evaluate(() => sessionStorage.getItem("assistants-playground.request-log") ?? "");
  expect(stored).toContain("thread_doesnotexist42");
  expect(stored).not.toMatch(/"unused"/);

  // Clear.
  await log.getByRole("button", { name: "Clear" }).click();
  await expect(log.getByText("No requests yet.")).toBeVisible();
});
