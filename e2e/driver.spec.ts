import fs from "node:fs/promises";
import { expect, test } from "@playwright/test";
import {
  CHAT_CONNECTION,
  CHAT_CONNECTION_LABEL,
  chatVectorStoreWithFile,
  upstreamRequests,
} from "./support/driver";
import {
  chat,
  chooseInConnectionMenu,
  conversation,
  runStatus,
  send,
  seriousViolations,
  unique,
} from "./support/playground";
import { expectChosenAssistant, pickAssistant } from "./support/assistant-picker";

// The local engine on a "real" model: the `local-chat` connection runs its assistants on a fake
// chat-completions upstream (e2e/support/fake-chat-server.ts, a small rule-following model).
// The journey switches to that connection in the header, builds an assistant with a function and
// file search, answers a function call by hand, and gets a cited file-search answer.
// Long journeys on a shared, slow machine: more time than the default minute.
test.describe.configure({ timeout: 300_000 });

test("assistants on a chat-completions model: a function call answered by hand, then a cited file-search answer", async ({
  page,
}, testInfo) => {
  const filename = `${unique("badges").replace(/\W+/g, "-")}.txt`;
  const { storeId } = await chatVectorStoreWithFile(
    page,
    filename,
    "Visitor badges are printed by the reception desk on the second floor. Lost badges cost five euros to replace.",
    unique("Office handbook"),
  );
  const sentBefore = (await upstreamRequests(page)).length;

  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Assistants Playground" })).toBeVisible();
  await chooseInConnectionMenu(page, "Connection", { label: CHAT_CONNECTION_LABEL });
  await expect(page.getByRole("banner").getByLabel("Connection", { exact: true })).toHaveValue(
    CHAT_CONNECTION,
  );

  // Build the assistant in the setup panel: instructions, a function, file search over the store.
  const name = unique("Front desk");
  const setup = page.getByRole("region", { name: "Assistant setup" });
  await setup.getByLabel("Name", { exact: true }).fill(name);
  await setup.getByLabel("Instructions", { exact: true }).fill("You help visitors of the office. Be brief.");
  await setup.getByLabel("Deployment", { exact: true }).fill("llama3.2");
  await setup.getByLabel("File search", { exact: true }).check();
  await setup.getByRole("combobox", { name: "Vector store" }).selectOption(storeId);
  await setup.getByRole("button", { name: "Example: Weather" }).click();
  await expect(setup.getByLabel("Function get_weather (JSON)")).toHaveValue(/"location"/);
  await setup.getByRole("button", { name: "Create assistant" }).click();
  await expectChosenAssistant(page, name);

  // 1. A function call: the model asks for get_weather; the run waits; the output is typed by hand.
  await send(page, "What is the weather in Lisbon today?");
  const calls = chat(page).getByRole("region", { name: "Function calls" });
  await expect(calls.getByRole("group", { name: "get_weather" })).toBeVisible();
  await expect(calls.getByLabel("Arguments of get_weather")).toContainText('"location": "Lisbon"');
  await expect(runStatus(page)).toContainText("Requires action");
  await page.screenshot({ path: testInfo.outputPath("driver-requires-action.png"), fullPage: true });
  await page.screenshot({ path: "/tmp/h1-driver-requires-action.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  await calls
    .getByRole("textbox", { name: "Output of get_weather" })
    .fill('{"temperature_c": 23, "sky": "sunny"}');
  await calls.getByRole("button", { name: "Submit output" }).click();
  await expect(runStatus(page)).toContainText("Completed");
  await expect(calls).toHaveCount(0);
  const weatherAnswer = conversation(page).getByRole("article", { name: "Assistant" }).last();
  await expect(weatherAnswer).toContainText("get_weather answered");
  await expect(weatherAnswer).toContainText("sunny");

  // What the model was sent: the instructions as the system message, the function as a tool, the
  // engine's own search tool, and on the second call the submitted output as the tool result.
  const [first, second] = await upstreamRequests(page, sentBefore);
  expect(first?.url).toBe("/v1/chat/completions");
  expect(first?.body.model).toBe("llama3.2");
  expect(first?.body.messages[0]).toMatchObject({
    role: "system",
    content: expect.stringContaining("You help visitors of the office."),
  });
  expect(first?.body.tools?.map((t) => t.function.name)).toEqual(["get_weather", "file_search"]);
  expect(second?.body.messages.at(-1)).toMatchObject({
    role: "tool",
    content: '{"temperature_c": 23, "sky": "sunny"}',
  });

  // 2. File search: the model searches the store through the engine, and cites what it found.
  await send(page, "Who prints the visitor badges?");
  await expect(runStatus(page)).toContainText("Completed");
  const answer = conversation(page).getByRole("article", { name: "Assistant" }).last();
  await expect(answer).toContainText("reception desk on the second floor");
  await expect(answer.getByRole("link", { name: "Citation 1" })).toBeVisible();
  await expect(answer.getByText("【")).toHaveCount(0);
  const sources = answer.getByRole("region", { name: "Citations" });
  await expect(sources.getByRole("listitem").first()).toContainText(filename);
  await page.screenshot({ path: testInfo.outputPath("driver-citation.png"), fullPage: true });
  await page.screenshot({ path: "/tmp/h1-driver-citation.png", fullPage: true });
  await answer.screenshot({ path: "/tmp/h1-driver-answer.png" });
  expect(await seriousViolations(page)).toEqual([]);
});

test("code interpreter on a chat-completions model: its python call runs in the sandbox, the file it wrote downloads from the answer, an error reads as one", async ({
  page,
}, testInfo) => {
  const created = await page.request.post(`/api/openai/assistants?api-version=2024-05-01-preview`, {
    headers: { "x-playground-connection": CHAT_CONNECTION },
    data: { model: "llama3.2", name: unique("Coder"), tools: [{ type: "code_interpreter" }] },
  });
  expect(created.ok()).toBe(true);
  const assistant = (await created.json()) as { id: string };
  const sentBefore = (await upstreamRequests(page)).length;
  await page.goto("/");
  await chooseInConnectionMenu(page, "Connection", { label: CHAT_CONNECTION_LABEL });
  await pickAssistant(page, assistant.id);
  // The setup panel says what runs the code, beside the tool; no "cannot run" warning.
  const setup = page.getByRole("region", { name: "Assistant setup" });
  await expect(setup.getByText(/^Code runs in:/)).toContainText(/Python 3\.\d+, isolated .*no network/);
  await expect(setup.getByText(/cannot run code/)).toHaveCount(0);

  // The fake model calls the engine's `python` tool with the code of the message's python block.
  const code = [
    "import pandas as pd",
    "df = pd.DataFrame({'city': ['Lisbon', 'Oslo'], 'temp_c': [23, 9]})",
    "df.to_csv('/mnt/data/report.csv', index=False)",
    "print(f'wrote {len(df)} rows')",
  ].join("\n");
  await send(page, `Please run this:\n\`\`\`python\n${code}\n\`\`\``);
  await expect(runStatus(page)).toContainText("Completed");
  const answer = conversation(page).getByRole("article", { name: "Assistant" }).last();
  await expect(answer).toContainText("The code ran and printed: wrote 2 rows");
  const [first] = await upstreamRequests(page, sentBefore);
  expect(first?.body.tools?.map((t) => t.function.name)).toEqual(["python"]);

  // The answer's sandbox:/mnt/data/report.csv link is a download of the bytes the code wrote.
  const link = answer.getByRole("button", { name: "report.csv" });
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe("report.csv");
  const bytes = await fs.readFile(await download.path());
  expect(bytes.toString("utf8")).toBe("city,temp_c\nLisbon,23\nOslo,9\n");

  // The inspector shows the call: the code and what it printed.
  const steps = page.getByRole("list", { name: "Run steps" });
  await steps.locator("summary", { hasText: "Code interpreter" }).click();
  const call = steps.getByRole("region", { name: "Code interpreter call" });
  await expect(call.getByLabel("Code", { exact: true })).toContainText("df.to_csv('/mnt/data/report.csv'");
  await expect(call.getByLabel("Logs")).toContainText("wrote 2 rows");

  // Code that raises: the traceback is the call's error, labelled and set apart.
  await send(page, "And this:\n```python\nrows = [1, 2]\nprint(rows[0])\nprint(rows[0] / 0)\n```");
  await expect(runStatus(page)).toContainText("Completed");
  await steps.locator("summary", { hasText: "Code interpreter" }).click();
  const failed = steps.getByRole("region", { name: "Code interpreter call" });
  await expect(failed.getByLabel("Logs")).toHaveText("1");
  const error = failed.getByRole("group", { name: "Error: ZeroDivisionError: division by zero" });
  await expect(error.getByLabel("Error output")).toContainText('File "<cell 2>", line 3');
  await error.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("driver-code-error.png"), fullPage: true });
  await page.screenshot({ path: "/tmp/h9-driver-code-error.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
});
