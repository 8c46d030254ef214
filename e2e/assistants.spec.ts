import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { API_VERSION, seriousViolations, unique } from "./support/playground";

// The assistant builder on the Assistants page: every journey through the real UI, the proxy and the
// local engine.

async function openAssistants(page: Page) {
  await page.goto("/assistants");
  await expect(page.getByRole("heading", { level: 1, name: "Assistants Playground" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Assistants" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("form", { name: "Create assistant" })).toBeVisible();
}

async function apiGet<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(
    `/api/openai${path}${path.includes("?") ? "&" : "?"}api-version=${API_VERSION}`,
  );
  expect(res.ok()).toBe(true);
  return (await res.json()) as T;
}

async function createViaForm(page: Page, name: string, instructions = "You are a careful tester.") {
  const form = page.getByRole("form", { name: "Create assistant" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Instructions", { exact: true }).fill(instructions);
  await form.getByRole("button", { name: "Create assistant" }).click();
  await expect(page.getByRole("form", { name: `Edit assistant ${name}` })).toBeVisible();
  await expect(
    page.getByRole("list", { name: "Assistants" }).getByRole("button", { name: new RegExp(name) }),
  ).toBeVisible();
}

test("create an assistant with every tool, a function, files, a vector store, sampling and metadata", async ({
  page,
}) => {
  const name = unique("Full builder");
  const fileName = `${unique("data").replace(/\W+/g, "-")}.csv`;
  const upload = await page.request.post(`/api/openai/files?api-version=${API_VERSION}`, {
    multipart: {
      purpose: "assistants",
      file: { name: fileName, mimeType: "text/csv", buffer: Buffer.from("x,y\n1,2\n") },
    },
  });
  expect(upload.ok()).toBe(true);
  const file = (await upload.json()) as { id: string };
  const storeName = unique("Handbook store");
  const vs = await page.request.post(`/api/openai/vector_stores?api-version=${API_VERSION}`, {
    data: { name: storeName },
  });
  expect(vs.ok()).toBe(true);
  const store = (await vs.json()) as { id: string };

  await openAssistants(page);
  expect(await seriousViolations(page)).toEqual([]);
  const form = page.getByRole("form", { name: "Create assistant" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Description", { exact: true }).fill("Checks every setting.");
  await form.getByLabel("Instructions", { exact: true }).fill("You are thorough.");
  await expect(form.getByText("17 / 256,000")).toBeVisible();
  await form.getByLabel("Deployment", { exact: true }).fill("gpt-4o-mini");
  await form.getByLabel("Code interpreter", { exact: true }).check();
  await form.getByRole("group", { name: "Code interpreter files" }).getByLabel(fileName).check();
  await form.getByLabel("File search", { exact: true }).check();
  await form.getByRole("combobox", { name: "Vector store" }).selectOption(store.id);
  await form.getByRole("button", { name: "Example: Weather" }).click();
  await expect(form.getByLabel("Function get_weather (JSON)")).toHaveValue(/"location"/);
  await expect(form.getByText("3 of 128 tools")).toBeVisible();
  await form.getByLabel("Temperature", { exact: true }).fill("0.4");
  await form.getByLabel("Top P", { exact: true }).fill("0.9");
  await form.getByLabel("Response format", { exact: true }).selectOption("json_object");
  await form.getByRole("button", { name: "Add metadata" }).click();
  await form.getByLabel("Metadata key 1").fill("team");
  await form.getByLabel("Metadata value 1").fill("qa");
  await page.screenshot({ path: "/tmp/a-create-filled.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  await form.getByRole("button", { name: "Create assistant" }).click();

  const edit = page.getByRole("form", { name: `Edit assistant ${name}` });
  await expect(edit.getByRole("status")).toHaveText("Created.");
  const row = page.getByRole("list", { name: "Assistants" }).getByRole("button", { name: new RegExp(name) });
  await expect(row).toContainText("gpt-4o-mini · Code interpreter, File search, 1 function");
  const id = (await edit.locator("span.font-mono").first().textContent())!.trim();
  const saved = await apiGet<Record<string, unknown>>(page, `/assistants/${id}`);
  expect(saved).toMatchObject({
    name,
    description: "Checks every setting.",
    model: "gpt-4o-mini",
    instructions: "You are thorough.",
    tool_resources: {
      code_interpreter: { file_ids: [file.id] },
      file_search: { vector_store_ids: [store.id] },
    },
    metadata: { team: "qa" },
    temperature: 0.4,
    top_p: 0.9,
    response_format: { type: "json_object" },
  });
  expect((saved.tools as Array<{ type: string }>).map((t) => t.type)).toEqual([
    "code_interpreter",
    "file_search",
    "function",
  ]);
  // The saved values come back into the form.
  await expect(edit.getByLabel("Temperature", { exact: true })).toHaveValue("0.4");
  await expect(edit.getByText("Unsaved changes", { exact: true })).toHaveCount(0);
  await page.screenshot({ path: "/tmp/a-created.png", fullPage: true });
});

test("edit and save shows what changed; a reload mid-edit loses nothing; leaving asks first", async ({
  page,
}) => {
  const name = unique("Editable");
  await openAssistants(page);
  await createViaForm(page, name);
  const edit = page.getByRole("form", { name: `Edit assistant ${name}` });
  await edit.getByLabel("Instructions", { exact: true }).fill("New instructions, half typed");
  await expect(edit.getByText("Unsaved changes", { exact: true })).toBeVisible();

  await page.reload();
  const again = page.getByRole("form", { name: `Edit assistant ${name}` });
  await expect(again.getByLabel("Instructions", { exact: true })).toHaveValue("New instructions, half typed");
  await expect(again.getByText("Unsaved changes", { exact: true })).toBeVisible();

  // Following a link with unsaved changes asks first; dismissing keeps the person here.
  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole("link", { name: "Playground" }).click();
  expect(asked).toContain("unsaved changes");
  await expect(page).toHaveURL(/\/assistants$/);
  // So does switching to another assistant.
  page.once("dialog", (d) => {
    asked = `switch: ${d.message()}`;
    void d.dismiss();
  });
  await page.getByRole("button", { name: "New assistant" }).click();
  expect(asked).toContain("switch: You have unsaved changes");
  await expect(again.getByLabel("Instructions", { exact: true })).toHaveValue("New instructions, half typed");

  await again.getByLabel("Name", { exact: true }).fill(`${name} v2`);
  await again.getByText(/unsaved changes?$/).click();
  await expect(again.getByText(/Instructions: You are a careful tester\. → New instructions/)).toBeVisible();
  await again.getByRole("button", { name: "Save changes" }).click();
  const saved = page.getByRole("form", { name: `Edit assistant ${name} v2` });
  await expect(saved.getByRole("status")).toContainText("Saved. Changed: Name, Instructions.");
  await expect(saved.getByText("Unsaved changes", { exact: true })).toHaveCount(0);
  await page.screenshot({ path: "/tmp/a-saved.png", fullPage: true });
  // Nothing unsaved: the link now just goes.
  await page.getByRole("link", { name: "Playground" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("duplicate, then delete with confirmation", async ({ page }) => {
  const name = unique("Original");
  await openAssistants(page);
  await createViaForm(page, name);
  await page.getByRole("button", { name: "Duplicate" }).click();
  await expect(page.getByText(`Duplicated as ${name} (copy)`)).toBeVisible();
  const copy = page.getByRole("form", { name: `Edit assistant ${name} (copy)` });
  await expect(copy.getByLabel("Instructions", { exact: true })).toHaveValue("You are a careful tester.");
  const list = page.getByRole("list", { name: "Assistants" });
  await expect(list.getByRole("button", { name: new RegExp(`${name} \\(copy\\)`) })).toBeVisible();

  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Delete assistant?" });
  await expect(dialog).toContainText(`${name} (copy)`);
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await dialog.getByRole("button", { name: "Delete assistant" }).click();
  await expect(page.getByText(`Deleted ${name} (copy).`)).toBeVisible();
  await expect(list.getByRole("button", { name: new RegExp(`${name} \\(copy\\)`) })).toHaveCount(0);
  await expect(list.getByRole("button", { name: new RegExp(name) })).toHaveCount(1);
  await expect(page.getByRole("form", { name: "Create assistant" })).toBeVisible();
});

test("export one and all, then re-import after seeing what will be created", async ({ page }) => {
  const name = unique("Exported");
  await openAssistants(page);
  await createViaForm(page, name);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export", exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^assistant-exported-.*\.json$/);
  const path = await download.path();
  const exported = JSON.parse(readFileSync(path, "utf8")) as {
    format: string;
    assistants: Array<{ name: string }>;
  };
  expect(exported.format).toBe("assistants-playground.assistants");
  expect(exported.assistants.map((a) => a.name)).toEqual([name]);

  const [all] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export all" }).click(),
  ]);
  const everything = JSON.parse(readFileSync(await all.path(), "utf8")) as {
    assistants: Array<{ name: string }>;
  };
  expect(everything.assistants.map((a) => a.name)).toContain(name);
  await expect(page.getByText(/Exported \d+ assistants?\./)).toBeVisible();

  await page.getByLabel("Import JSON").setInputFiles(path);
  const dialog = page.getByRole("dialog", { name: /Import assistants from/ });
  await expect(dialog.getByRole("list", { name: "Assistants in the file" })).toContainText(name);
  await expect(dialog).toContainText("Will be created on local");
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "/tmp/a-import.png", fullPage: true });
  await dialog.getByRole("button", { name: "Create 1 assistant" }).click();
  await expect(dialog.getByText(/Created asst_/)).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).first().click();
  await expect(page.getByText("Imported 1 assistant.")).toBeVisible();
  await page.getByRole("searchbox", { name: "Search" }).fill(name);
  await expect(
    page.getByRole("list", { name: "Assistants" }).getByRole("button", { name: new RegExp(name) }),
  ).toHaveCount(2);

  // A file that is not an export is refused with a reason, creating nothing.
  await page
    .getByLabel("Import JSON")
    .setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from("{ not json") });
  const refused = page.getByRole("dialog", { name: "Import assistants from broken.json" });
  await expect(refused.getByRole("alert")).toContainText("The file is not valid JSON");
  await expect(refused.getByRole("button", { name: /^Create/ })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(refused).toBeHidden();
});

test("view code: Python, TypeScript and curl for the active connection, keyless, with copy", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const name = unique("Code view");
  await openAssistants(page);
  await createViaForm(page, name);
  await page.getByRole("button", { name: "View code" }).click();
  const dialog = page.getByRole("dialog", { name: "View code" });
  const code = dialog.getByLabel(/ code$/);
  await expect(dialog.getByRole("tab", { name: "Python" })).toHaveAttribute("aria-selected", "true");
  await expect(code).toContainText("from openai import AzureOpenAI");
  await expect(code).toContainText(`name="${name}"`);
  await expect(code).toContainText('api_key="unused"');
  await expect(code).toContainText("/api/openai");
  // Keyboard: arrows move between the language tabs.
  await dialog.getByRole("tab", { name: "Python" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(dialog.getByRole("tab", { name: "TypeScript" })).toBeFocused();
  await expect(code).toContainText("client.beta.threads.runs.createAndPoll");
  await dialog.getByRole("tab", { name: "curl" }).click();
  await expect(code).toContainText('curl -sS --fail-with-body -X POST "$BASE/assistants?$Q"');
  await dialog.getByRole("button", { name: "Copy code" }).click();
  await expect(dialog.getByRole("status")).toHaveText("Copied the curl code.");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain("#!/usr/bin/env bash");
  expect(copied).not.toMatch(/api-key:/i);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "/tmp/a-view-code.png", fullPage: true });
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
});

test("each invalid field is explained beside it and nothing is sent", async ({ page }) => {
  await openAssistants(page);
  const form = page.getByRole("form", { name: "Create assistant" });
  await form.getByLabel("Name", { exact: true }).fill("n".repeat(257));
  await expect(form.getByText("Name is 257 characters; the limit is 256.")).toBeVisible();
  await expect(form.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Description", { exact: true }).fill("d".repeat(513));
  await expect(form.getByText("Description is 513 characters; the limit is 512.")).toBeVisible();
  await form.getByLabel("Deployment", { exact: true }).fill("");
  await expect(form.getByText(/Deployment is required/)).toBeVisible();
  await form.getByLabel("Temperature", { exact: true }).fill("2.5");
  await expect(form.getByText("Temperature must be between 0 and 2; 2.5 is out of range.")).toBeVisible();
  await form.getByLabel("Top P", { exact: true }).fill("abc");
  await expect(form.getByText("Top P must be a number from 0 to 1.")).toBeVisible();
  await form.getByRole("button", { name: "Add metadata" }).click();
  await form.getByLabel("Metadata key 1").fill("k".repeat(65));
  await form.getByLabel("Metadata value 1").fill("v".repeat(513));
  await expect(form.getByText("Key is 65 characters; the limit is 64.")).toBeVisible();
  await expect(form.getByText("Value is 513 characters; the limit is 512.")).toBeVisible();
  await form.getByRole("button", { name: "Add function", exact: true }).click();
  await expect(form.getByLabel("Function my_function (JSON)")).toBeVisible();
  // Labelled by the function's name as typed.
  const fn = form.getByRole("textbox", { name: /^Function .* \(JSON\)$/ });
  await fn.fill('{ "name": "get weather" }');
  await expect(
    form.getByText(/"name" "get weather" is not allowed: use 1–64 letters, digits, _ or -/),
  ).toBeVisible();
  await fn.fill("{ not json");
  await expect(form.getByLabel("Function #1 (JSON)")).toBeVisible();
  await expect(form.getByText(/^Not valid JSON/)).toBeVisible();
  await fn.fill(
    '{ "name": "f", "parameters": { "type": "object", "properties": { "a": { "type": "strin" } } } }',
  );
  await expect(form.getByText(/"parameters" is not a valid JSON Schema/)).toBeVisible();
  await fn.fill('{ "name": "f", "strict": true }');
  await expect(form.getByText(/^"strict" needs api-version 2024-08-01-preview or later/)).toBeVisible();
  await page.screenshot({ path: "/tmp/a-invalid.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  let posted = false;
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().includes("/api/openai/assistants")) posted = true;
  });
  await form.getByRole("button", { name: "Create assistant" }).click();
  await expect(form.getByRole("alert").filter({ hasText: /Fix \d+ problems before saving/ })).toBeVisible();
  await expect(form.getByLabel("Name", { exact: true })).toBeFocused();
  expect(posted).toBe(false);
  // Nothing typed was lost.
  await expect(form.getByLabel("Description", { exact: true })).toHaveValue("d".repeat(513));
  await form.getByRole("button", { name: "Discard changes" }).click();
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue("");
});

test("api generations: v1 shows file_ids and hides v2-only settings without dropping them; json_schema where offered", async ({
  page,
}) => {
  await openAssistants(page);
  const form = page.getByRole("form", { name: "Create assistant" });
  await form.getByLabel("Temperature", { exact: true }).fill("0.3");
  await form.getByLabel("File search", { exact: true }).check();
  await page.getByLabel("API version").selectOption("2024-02-15-preview");
  const v1 = page.getByRole("form", { name: "Create assistant" });
  await expect(v1.getByText("This connection uses a v1 api-version (2024-02-15-preview)")).toBeVisible();
  await expect(v1.getByLabel("File search", { exact: true })).toHaveCount(0);
  // v1's file search is retrieval, over the file_ids: the same switch, still on.
  await expect(v1.getByLabel("Retrieval", { exact: true })).toBeChecked();
  await expect(v1.getByRole("group", { name: "Files (file_ids)" })).toBeVisible();
  await expect(v1.getByLabel("Temperature", { exact: true })).toHaveCount(0);
  await expect(v1.getByRole("note")).toContainText(
    "Kept in your draft but not sent on 2024-02-15-preview: Temperature",
  );
  await expect(v1.getByText("0 / 32,768")).toBeVisible();
  await v1.getByLabel("Code interpreter", { exact: true }).check();
  await page.screenshot({ path: "/tmp/a-v1.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByLabel("API version").selectOption("2024-08-01-preview");
  const v2 = page.getByRole("form", { name: "Create assistant" });
  await expect(v2.getByLabel("Temperature", { exact: true })).toHaveValue("0.3");
  await expect(v2.getByLabel("File search", { exact: true })).toBeChecked();
  const name = unique("Structured");
  await v2.getByLabel("Name", { exact: true }).fill(name);
  await v2.getByLabel("Response format", { exact: true }).selectOption("json_schema");
  await v2.getByLabel("Schema name", { exact: true }).fill("answer");
  await v2
    .getByLabel("Schema (JSON)")
    .fill('{ "type": "object", "properties": { "answer": { "type": "string" } } }');
  await v2.getByLabel("Strict schema").check();
  await expect(
    v2.getByText(/With Strict on, the schema must set "additionalProperties": false/),
  ).toBeVisible();
  await v2
    .getByLabel("Schema (JSON)")
    .fill(
      '{ "type": "object", "properties": { "answer": { "type": "string" } }, "required": ["answer"], "additionalProperties": false }',
    );
  await v2.getByRole("button", { name: "Create assistant" }).click();
  await expect(page.getByRole("form", { name: `Edit assistant ${name}` }).getByRole("status")).toHaveText(
    "Created.",
  );
  await page.getByLabel("API version").selectOption(API_VERSION);
});

test("keyboard only: create an assistant", async ({ page }) => {
  const name = unique("Keyboard");
  await openAssistants(page);
  const form = page.getByRole("form", { name: "Create assistant" });
  await form.getByLabel("Name", { exact: true }).focus();
  await page.keyboard.type(name);
  await page.keyboard.press("Tab");
  await expect(form.getByLabel("Description", { exact: true })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(form.getByLabel("Deployment", { exact: true })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(form.getByLabel("Instructions", { exact: true })).toBeFocused();
  await page.keyboard.type("Answer briefly.");
  await page.keyboard.press("Tab");
  await expect(form.getByLabel("Code interpreter", { exact: true })).toBeFocused();
  await page.keyboard.press("Space");
  await expect(form.getByLabel("Code interpreter", { exact: true })).toBeChecked();
  await form.getByRole("button", { name: "Create assistant" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("form", { name: `Edit assistant ${name}` }).getByRole("status")).toHaveText(
    "Created.",
  );
});
