import { expect, test, type Page } from "@playwright/test";
import {
  API_VERSION,
  conversation,
  createAssistant,
  openPlayground,
  runStatus,
  seriousViolations,
  unique,
} from "./support/playground";
import { pickAssistant } from "./support/assistant-picker";

const currentThread = (page: Page) => page.getByRole("navigation", { name: "Threads" }).locator("code");

// One journey per test, through the real UI, the proxy and the local engine's scripted model.

test("a person creates an assistant, sends a message and reads the streamed markdown answer", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await openPlayground(page);
  expect(await seriousViolations(page)).toEqual([]);

  const name = unique("Fractions tutor");
  await createAssistant(page, name, "You are a patient math tutor. Always show your steps.");

  const message = page.getByRole("textbox", { name: "Message" });
  await message.fill("How do I add fractions?");
  await message.press("Enter");

  const log = conversation(page);
  await expect(log.getByRole("article", { name: "You" }).last()).toHaveText(/How do I add fractions\?/);
  // Rendered markdown, not raw text: the scripted answer's heading, list and table are real elements.
  await expect(log.getByRole("heading", { level: 2, name: "How do I add fractions?" })).toBeVisible();
  await expect(log.getByRole("heading", { level: 3, name: "Key points" })).toBeVisible();
  await expect(log.getByRole("listitem").filter({ hasText: "Kind:" })).toContainText("a how-to question");
  await expect(log.getByRole("cell", { name: "Persona" })).toBeVisible();
  await expect(log.getByRole("cell", { name: "a patient math tutor" })).toBeVisible();
  await expect(log.getByText("## ")).toHaveCount(0);
  await expect(runStatus(page)).toContainText("Completed");
  await expect(message).toHaveValue("");
  // The conversation followed the answer: taller than the view, it grew below the question, which
  // stays in view with the answer's start (components/chat/use-follow-scroll.ts).
  await expect(log.getByRole("article", { name: "You" }).last()).toBeInViewport();
  await expect(log.getByRole("heading", { level: 2, name: "How do I add fractions?" })).toBeInViewport();

  const inspector = page.getByRole("region", { name: "Inspector" });
  await expect(inspector.getByRole("heading", { name: /Latest run/ })).toContainText("Completed");
  await expect(inspector.getByRole("listitem").filter({ hasText: "Message creation" })).toContainText(
    "Completed",
  );
  await inspector.getByText("Raw JSON", { exact: true }).click();
  await expect(inspector.getByRole("tree", { name: /^Run run_/ })).toContainText('"status":"completed"');

  await page.screenshot({ path: "/tmp/playground-answer.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // The thread is remembered: after a reload the conversation is still there.
  await page.reload();
  await expect(
    conversation(page).getByRole("heading", { level: 2, name: "How do I add fractions?" }),
  ).toBeVisible();
  expect(errors).toEqual([]);
});

test("the answer streams in: text is on screen while the run is still in progress", async ({ page }) => {
  await openPlayground(page);
  await createAssistant(page, unique("Slow streamer"), "You are a slow writer.");
  const message = page.getByRole("textbox", { name: "Message" });
  await message.fill("What is a stream? [[slow:60]]");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const log = conversation(page);
  await expect(log.getByRole("heading", { level: 2, name: "What is a stream?" })).toBeVisible();
  await expect(runStatus(page)).toContainText("In progress");
  await expect(log.getByRole("heading", { level: 3, name: "Key points" })).toBeVisible();
  await expect(runStatus(page)).toContainText("Completed", { timeout: 30_000 });
});

test("Shift+Enter adds a line; Enter sends the whole multi-line message", async ({ page }) => {
  await openPlayground(page);
  await createAssistant(page, unique("Lines"), "You are terse.");
  const message = page.getByRole("textbox", { name: "Message" });
  await message.click();
  await page.keyboard.type("First line");
  await page.keyboard.press("Shift+Enter");
  await page.keyboard.type("second line");
  await expect(message).toHaveValue("First line\nsecond line");
  await page.keyboard.press("Enter");
  await expect(conversation(page).getByRole("article", { name: "You" }).last()).toContainText(
    "First line\nsecond line",
  );
  await expect(runStatus(page)).toContainText("Completed");
});

test("the draft survives an error, and the error says what happened and what to do", async ({ page }) => {
  await openPlayground(page);
  await createAssistant(page, unique("Survivor"), "You are helpful.");
  const message = page.getByRole("textbox", { name: "Message" });
  await message.fill("Hello there, what is a thread?");
  await message.press("Enter");
  await expect(runStatus(page)).toContainText("Completed");

  // Someone deletes the thread elsewhere (another tab, a script): the next send must fail cleanly.
  const threadId = (await currentThread(page).textContent()) ?? "";
  expect(threadId).toMatch(/^thread_/);
  const deleted = await page.request.delete(`/api/openai/threads/${threadId}?api-version=${API_VERSION}`);
  expect(deleted.ok()).toBe(true);

  const draft = "This draft took a while to write.\nIt must not be lost.";
  await message.fill(draft);
  await message.press("Enter");
  const alert = page.getByRole("region", { name: "Chat" }).getByRole("alert");
  await expect(alert).toContainText("Error 404");
  await expect(alert).toContainText(threadId);
  await expect(alert).toContainText("Start a new thread");
  await expect(message).toHaveValue(draft);
  await page.screenshot({ path: "/tmp/playground-error.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // The way forward: a new thread, then the same draft goes through.
  await page.getByRole("button", { name: "New thread" }).click();
  await expect(currentThread(page)).not.toHaveText(threadId);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(conversation(page).getByRole("article", { name: "You" }).last()).toContainText(
    "It must not be lost.",
  );
  await expect(runStatus(page)).toContainText("Completed");
  await expect(message).toHaveValue("");
  await expect(page.getByRole("region", { name: "Chat" }).getByRole("alert")).toHaveCount(0);
});

test("a failed run shows its status and last_error, and can be retried", async ({ page }) => {
  await openPlayground(page);
  await createAssistant(page, unique("Breaker"), "You are fragile.");
  const message = page.getByRole("textbox", { name: "Message" });
  await message.fill("Please fail [[fail:server_error]]");
  await message.press("Enter");
  await expect(runStatus(page)).toContainText("Failed");
  const alert = page.getByRole("region", { name: "Chat" }).getByRole("alert");
  await expect(alert).toContainText("server_error");
  await expect(alert.getByRole("button", { name: "Retry run" })).toBeVisible();
  const inspector = page.getByRole("region", { name: "Inspector" });
  await expect(inspector.getByRole("heading", { name: /Latest run/ })).toContainText("Failed");
  await expect(inspector.getByText("Last error")).toBeVisible();
  await page.screenshot({ path: "/tmp/playground-failed.png", fullPage: true });

  // Retry starts a new run on the same thread without re-sending the message.
  const latest = inspector.getByRole("heading", { name: /Latest run/ });
  const firstRun = await latest.getAttribute("data-run-id");
  expect(firstRun).toMatch(/^run_/);
  await alert.getByRole("button", { name: "Retry run" }).click();
  await expect(latest).not.toHaveAttribute("data-run-id", firstRun ?? "");
  await expect(runStatus(page)).toContainText("Failed");
  await expect(conversation(page).getByRole("article", { name: "You" })).toHaveCount(1);
});

test("a rate-limited run start says so, counts down and tries again by itself; Stop retrying ends it with the error", async ({
  page,
}) => {
  await openPlayground(page);
  await createAssistant(page, unique("Throttled"), "You are popular.");
  let runStarts = 0;
  page.on("request", (r) => {
    if (r.method() === "POST" && /\/api\/openai\/threads\/[^/]+\/runs\?/.test(r.url())) runStarts++;
  });
  const message = page.getByRole("textbox", { name: "Message" });
  // The scripted model refuses every run on this message with 429 and retry-after: 1.
  await message.fill("Anyone there? [[429:1]]");
  await message.press("Enter");
  const status = runStatus(page);
  await expect(status).toContainText("Starting the run failed: the upstream is rate limiting (429).");
  await expect(status).toContainText("Rate limit is exceeded. Try again in 1 second");
  await expect(status).toContainText("(attempt 2 of 4)");
  // It really tries again after the wait, once per attempt.
  await expect(status).toContainText("(attempt 3 of 4)", { timeout: 10_000 });
  expect(runStarts).toBe(2);
  await status.getByRole("button", { name: "Stop retrying" }).click();
  const alert = page.getByRole("region", { name: "Chat" }).getByRole("alert");
  await expect(alert).toContainText("Error 429");
  await expect(alert).toContainText("wait 1 s");
  await expect(alert.getByRole("button", { name: "Retry run" })).toBeVisible();
  await expect(status).not.toContainText("Trying again");
  expect(runStarts).toBe(2);
  // The message itself went in once and is on screen.
  await expect(conversation(page).getByRole("article", { name: "You" })).toHaveCount(1);
});

test("a streaming run can be cancelled", async ({ page }) => {
  await openPlayground(page);
  await createAssistant(page, unique("Canceller"), "You are slow.");
  const message = page.getByRole("textbox", { name: "Message" });
  await message.fill("Tell me everything [[slow:400]]");
  await message.press("Enter");
  await expect(runStatus(page)).toContainText("In progress");
  await runStatus(page).getByRole("button", { name: "Cancel run" }).click();
  await expect(runStatus(page)).toContainText(/Cancell/);
  const inspector = page.getByRole("region", { name: "Inspector" });
  await expect(inspector.getByRole("heading", { name: /Latest run/ })).toContainText(/Cancelled|Cancelling/);
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeDisabled(); // empty draft
  await message.fill("Still there?");
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeEnabled();
});

test("a run that needs function outputs shows 'Requires action' and can be cancelled", async ({ page }) => {
  // The setup panel does not edit function tools yet: this assistant comes from the API, as a script would make it.
  const name = unique("Weather");
  const created = await page.request.post(`/api/openai/assistants?api-version=${API_VERSION}`, {
    data: {
      model: "gpt-4o",
      name,
      instructions: "You are a weather bot.",
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Current weather for a city",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
      ],
    },
  });
  expect(created.ok()).toBe(true);
  const { id } = (await created.json()) as { id: string };

  await openPlayground(page);
  await pickAssistant(page, id);
  await expect(page.getByLabel("Name")).toHaveValue(name);
  const message = page.getByRole("textbox", { name: "Message" });
  await message.fill("Call get_weather for Paris, please.");
  await message.press("Enter");
  await expect(runStatus(page)).toContainText("Requires action");
  await expect(runStatus(page)).toContainText("waits for function outputs");
  const inspector = page.getByRole("region", { name: "Inspector" });
  await expect(inspector.getByRole("listitem").filter({ hasText: "Function call" })).toContainText(
    "get_weather(",
  );
  await page.screenshot({ path: "/tmp/playground-requires-action.png", fullPage: true });
  await runStatus(page).getByRole("button", { name: "Cancel run" }).click();
  await expect(inspector.getByRole("heading", { name: /Latest run/ })).toContainText(/Cancelled|Cancelling/);
});

test("a code-interpreter chart arrives as an image, and the inspector shows the tool call", async ({
  page,
}) => {
  await openPlayground(page);
  await createAssistant(page, unique("Charts"), "You are a helpful AI assistant who makes visualizations.", {
    codeInterpreter: true,
  });
  const message = page.getByRole("textbox", { name: "Message" });
  await message.fill("Create a visualization of a sinewave");
  await message.press("Enter");
  await expect(runStatus(page)).toContainText("Completed");
  const image = conversation(page).getByRole("img", { name: /Image generated by the assistant/ });
  await expect(image).toBeVisible();
  // Decoded by the browser: the proxy served real image bytes.
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(100);
  const inspector = page.getByRole("region", { name: "Inspector" });
  await expect(inspector.getByRole("listitem").filter({ hasText: "Code interpreter" })).toContainText(
    "import",
  );
  await page.screenshot({ path: "/tmp/playground-chart.png", fullPage: true });
});

test("on a narrow screen the panels are tabs and stay usable", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openPlayground(page);
  await page.getByRole("tab", { name: "Setup" }).click();
  await createAssistant(page, unique("Phone"), "You are brief.");
  await page.getByRole("tab", { name: "Chat" }).click();
  const message = page.getByRole("textbox", { name: "Message" });
  await message.fill("Why is the sky blue?");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(runStatus(page)).toContainText("Completed");
  await expect(
    conversation(page).getByRole("heading", { level: 2, name: "Why is the sky blue?" }),
  ).toBeVisible();
  await page.screenshot({ path: "/tmp/playground-narrow.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
});

test("panels collapse and expand from the keyboard", async ({ page }) => {
  await openPlayground(page);
  const toggle = page.getByRole("button", { name: "Collapse Inspector panel" });
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Expand Inspector panel" })).toHaveAttribute(
    "aria-expanded",
    "false",
  );
  await expect(page.getByRole("region", { name: "Inspector" }).getByText("No thread yet")).toBeHidden();
  await page.screenshot({ path: "/tmp/playground-collapsed.png", fullPage: true });
  await page.getByRole("button", { name: "Expand Inspector panel" }).press("Enter");
  await expect(page.getByRole("button", { name: "Collapse Inspector panel" })).toHaveAttribute(
    "aria-expanded",
    "true",
  );
});
