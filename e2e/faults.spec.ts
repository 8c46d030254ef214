import { expect, test, type Page } from "@playwright/test";
import {
  API_VERSION,
  chat,
  conversation,
  currentThread,
  messageBox,
  runStatus,
  send,
  unique,
  chooseInConnectionMenu,
} from "./support/playground";
import { pickAssistant } from "./support/assistant-picker";
import { axeViolations } from "./support/axe";

// Fault tests (benchmarks-and-faults issue): the "faulty" connection (playwright.config.ts) is an
// Azure OpenAI connection to a real engine behind a fake upstream that misbehaves on cue
// (tests/faults/fault-upstream.ts): each test arms a fault, then drives the playground as a person
// would. In each: the person is told what happened, keeps what they typed, and once the upstream
// answers again the run's true state is on screen — nothing lost, nothing shown twice.

const FAULT_URL = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3917) + 5}/_fault`;
const RUNS = "/threads/[^/]+/runs$";
const MESSAGES = "/threads/[^/]+/messages$";

type Fault =
  | { type: "status"; status: number; headers?: Record<string, string> }
  | { type: "hang"; forward?: boolean }
  | { type: "reset" | "cut" | "malformed" | "stall"; afterEvents: number }
  | { type: "slow"; delayMs: number };

async function arm(method: string, path: string, fault: Fault, times = 1) {
  const res = await fetch(FAULT_URL, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ method, path, fault, times }),
  });
  expect(res.status, await res.text()).toBe(201);
}

async function allHits(): Promise<string[]> {
  const res = await fetch(FAULT_URL);
  const body = (await res.json()) as { hits: { type: string }[] };
  return body.hits.map((h) => h.type);
}

let hitsBefore = 0;
/** The faults the upstream applied during this test, in order. */
const faultsApplied = async () => (await allHits()).slice(hitsBefore);

test.beforeEach(async () => {
  const res = await fetch(FAULT_URL, { method: "DELETE" });
  expect(res.ok).toBe(true);
  hitsBefore = (await allHits()).length;
});

test.afterEach(async ({ page }) => {
  // Whatever the upstream did, the playground's server is still up and answering.
  const health = await page.request.get("/api/playground/health");
  expect(health.ok()).toBe(true);
});

const faulty = { "x-playground-connection": "faulty" };
const proxied = (path: string) =>
  `/api/openai/${path}${path.includes("?") ? "&" : "?"}api-version=${API_VERSION}`;

/** An assistant on the faulty connection, chosen in the playground. */
async function openOnFaulty(page: Page) {
  const name = unique("Fault tester");
  const created = await page.request.post(proxied("assistants"), {
    headers: faulty,
    data: { model: "gpt-4o", name, instructions: "You answer plainly." },
  });
  expect(created.status(), await created.text()).toBe(200);
  const { id } = (await created.json()) as { id: string };
  await page.goto("/");
  await chooseInConnectionMenu(page, "Connection", "faulty");
  await pickAssistant(page, id);
  await expect(
    page.getByRole("region", { name: "Assistant setup" }).getByLabel("Name", { exact: true }),
  ).toHaveValue(name);
}

/** The thread's messages and runs as the upstream has them (its true state). */
async function upstreamState(page: Page) {
  const threadId = (await currentThread(page).textContent())?.trim() ?? "";
  expect(threadId).toMatch(/^thread_/);
  const messages = await page.request.get(proxied(`threads/${threadId}/messages?order=asc&limit=100`), {
    headers: faulty,
  });
  const runs = await page.request.get(proxied(`threads/${threadId}/runs?limit=100`), { headers: faulty });
  expect(messages.ok()).toBe(true);
  expect(runs.ok()).toBe(true);
  const list = (await messages.json()) as {
    data: { role: string; content: { type: string; text?: { value: string } }[] }[];
  };
  return {
    messages: list.data.map((m) => ({
      role: m.role,
      text: m.content.map((c) => c.text?.value ?? "").join(""),
    })),
    runs: ((await runs.json()) as { data: { status: string }[] }).data,
  };
}

/** The answer on screen once, equal to the upstream's; one user message, one run. */
async function expectTrueState(page: Page, question: string) {
  await expect(runStatus(page)).toContainText("Completed", { timeout: 30_000 });
  const answers = conversation(page).getByRole("article", { name: "Assistant" });
  await expect(answers).toHaveCount(1);
  await expect(conversation(page).getByRole("article", { name: "You" })).toHaveCount(1);
  const state = await upstreamState(page);
  expect(state.runs.map((r) => r.status)).toEqual(["completed"]);
  expect(state.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  expect(state.messages[0]?.text).toBe(question);
  const answer = state.messages[1]?.text ?? "";
  expect(answer.length).toBeGreaterThan(40);
  // Word for word what the upstream stored (the scripted model's [[tokens:N]] answers are plain
  // text): nothing lost, nothing twice. The first word is the bubble's "Assistant" heading.
  const words = (s: string) => s.split(/\s+/).filter(Boolean);
  await expect.poll(async () => words(await answers.first().innerText()).slice(1)).toEqual(words(answer));
  await expect(chat(page).getByRole("alert")).toHaveCount(0);
}

test("429 with retry-after on the run start: the playground says so, waits, tries again, and the answer arrives once", async ({
  page,
}, testInfo) => {
  await openOnFaulty(page);
  await arm("POST", RUNS, { type: "status", status: 429, headers: { "retry-after": "2" } });
  const question = "Rate limits, anyone? [[tokens:20]]";
  await send(page, question);
  const status = runStatus(page);
  await expect(status).toContainText("Starting the run failed: the upstream is rate limiting (429).");
  await expect(status).toContainText("Trying again in");
  await expect(status).toContainText("(attempt 2 of 4)");
  await page.screenshot({ path: testInfo.outputPath("retry-notice.png") });
  expect(await axeViolations(page)).toEqual([]);
  await expectTrueState(page, question);
  expect(await faultsApplied()).toEqual(["status"]);
});

test("429 on adding the message: the person can cut a long wait short, and the message goes in once", async ({
  page,
}) => {
  await openOnFaulty(page);
  await arm("POST", MESSAGES, { type: "status", status: 429, headers: { "retry-after": "30" } });
  const question = "Is my message safe? [[tokens:20]]";
  await send(page, question);
  const status = runStatus(page);
  await expect(status).toContainText("Adding your message failed: the upstream is rate limiting (429).");
  await expect(status).toContainText(/Trying again in\s+\d+ s/);
  await status.getByRole("button", { name: "Try now" }).click();
  await expectTrueState(page, question);
  expect(await faultsApplied()).toEqual(["status"]);
});

test("500 on adding the message: the error says so, the draft stays, and sending again works once", async ({
  page,
}) => {
  await openOnFaulty(page);
  await arm("POST", MESSAGES, { type: "status", status: 500 });
  const question = "Will this survive a 500? [[tokens:20]]";
  await send(page, question);
  const alert = chat(page).getByRole("alert");
  await expect(alert).toContainText("Error 500");
  await expect(alert).toContainText("Injected 500 from the fault upstream.");
  await expect(alert).toContainText("The upstream service failed.");
  await expect(messageBox(page)).toHaveValue(question);
  expect(await axeViolations(page)).toEqual([]);
  await alert.getByRole("button", { name: "Try again" }).click();
  await expectTrueState(page, question);
  expect(await faultsApplied()).toEqual(["status"]);
});

test("a hung upstream: the run start times out with a clear message, and Retry run answers", async ({
  page,
}) => {
  await openOnFaulty(page);
  await arm("POST", RUNS, { type: "hang" });
  const question = "Hello, is anyone listening? [[tokens:20]]";
  await send(page, question);
  const alert = chat(page).getByRole("alert");
  await expect(alert).toContainText("Error 504 · upstream_timeout", { timeout: 20_000 });
  await expect(alert).toContainText("did not answer within 4 s");
  // The message is in the thread (on screen once), so the way forward is to run again.
  await expect(conversation(page).getByRole("article", { name: "You" })).toHaveCount(1);
  await expect(messageBox(page)).toHaveValue("");
  await alert.getByRole("button", { name: "Retry run" }).click();
  await expectTrueState(page, question);
  expect(await faultsApplied()).toEqual(["hang"]);
});

for (const fault of [
  { type: "reset", what: "a connection reset mid-stream" },
  { type: "cut", what: "an SSE stream cut without done" },
  { type: "malformed", what: "a malformed SSE event" },
] as const) {
  test(`${fault.what}: the run is followed to its end and shown once`, async ({ page }) => {
    await openOnFaulty(page);
    await arm("POST", RUNS, { type: fault.type, afterEvents: 8 });
    const question = `Tell me a long story [[tokens:60]] (${fault.type})`;
    await send(page, question);
    await expectTrueState(page, question);
    expect(await faultsApplied()).toEqual([fault.type]);
  });
}

test("a stream that stalls: the proxy's idle timeout ends it, and the run is followed to its end", async ({
  page,
}) => {
  await openOnFaulty(page);
  await arm("POST", RUNS, { type: "stall", afterEvents: 6 });
  const question = "Tell me a long story [[tokens:40]] (stall)";
  await send(page, question);
  await expectTrueState(page, question);
  expect(await faultsApplied()).toEqual(["stall"]);
});

test("the upstream fails while the run is followed: the playground says so, keeps reading, and recovers", async ({
  page,
}) => {
  await openOnFaulty(page);
  await arm("POST", RUNS, { type: "cut", afterEvents: 4 });
  await arm("GET", "/threads/[^/]+/runs/[^/]+$", { type: "status", status: 503 }, 2);
  const question = "Tell me a long story [[tokens:60]] (follow)";
  await send(page, question);
  await expect(runStatus(page)).toContainText("Reading the run failed: the upstream answered 503");
  await expectTrueState(page, question);
  expect(await faultsApplied()).toEqual(["cut", "status", "status"]);
});

test("a slow upstream: every delta arrives, in order, and the answer is whole", async ({ page }) => {
  await openOnFaulty(page);
  await arm("POST", RUNS, { type: "slow", delayMs: 80 });
  const question = "Tell me a story slowly [[tokens:30]]";
  await send(page, question);
  await expect(runStatus(page)).toContainText("In progress");
  await expectTrueState(page, question);
  expect(await faultsApplied()).toEqual(["slow"]);
});

test("500 on the run start: the error says so, the message stays in once, and Retry run answers", async ({
  page,
}) => {
  await openOnFaulty(page);
  await arm("POST", RUNS, { type: "status", status: 500 });
  const question = "Start, please [[tokens:20]] (500)";
  await send(page, question);
  const alert = chat(page).getByRole("alert");
  await expect(alert).toContainText("Error 500");
  await expect(alert).toContainText("Injected 500 from the fault upstream.");
  await expect(conversation(page).getByRole("article", { name: "You" })).toHaveCount(1);
  await alert.getByRole("button", { name: "Retry run" }).click();
  await expectTrueState(page, question);
  expect(await faultsApplied()).toEqual(["status"]);
});

test("the run starts upstream but the answer is lost on the way: the playground finds the run and follows it, no second run", async ({
  page,
}) => {
  await openOnFaulty(page);
  // Forwarded to the engine (the run starts there), then the connection is reset before any byte.
  await arm("POST", RUNS, { type: "reset", afterEvents: 0 });
  const question = "Did my run start? [[tokens:40]] [[slow:50]]";
  await send(page, question);
  await expect(runStatus(page)).toContainText("The run had started after all: following it…");
  await expectTrueState(page, question);
  expect(await faultsApplied()).toEqual(["reset"]);
});

test("a hung upstream that did start the run: after the timeout the playground finds the run and follows it", async ({
  page,
}) => {
  await openOnFaulty(page);
  // The engine gets the request (the run starts) but the answer never comes back: the proxy's
  // response timeout (4 s) ends the wait, and the playground looks before saying it failed.
  await arm("POST", RUNS, { type: "hang", forward: true });
  const question = "Did the hung start work? [[tokens:20]]";
  await send(page, question);
  await expectTrueState(page, question);
  expect(await faultsApplied()).toEqual(["hang"]);
});
