import { expect, test, type Page } from "@playwright/test";
import { makeDocx, makePdf } from "../tests/engine/ingestion-fixtures";
import {
  API_VERSION,
  conversation,
  createAssistant,
  openPlayground,
  runStatus,
  seriousViolations,
  unique,
} from "./support/playground";
import { expectChosenAssistant } from "./support/assistant-picker";

// Journeys of the Vector stores page, through the real UI, the proxy and the local engine.

function slug(label: string) {
  return unique(label).replace(/\s+/g, "-").toLowerCase();
}

async function openVectorStores(page: Page) {
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Vector stores" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Vector stores" })).toBeVisible();
}

function newStoreGroup(page: Page) {
  return page.getByRole("group", { name: "New vector store" });
}

function storeFile(page: Page, name: string) {
  return page.getByRole("list", { name: "Files in this vector store" }).getByRole("listitem", { name });
}

async function uploadIn(
  scope: ReturnType<Page["getByRole"]>,
  files: { name: string; text: string | Buffer }[],
) {
  await scope
    .getByLabel("Upload new")
    .setInputFiles(
      files.map((f) => ({ name: f.name, mimeType: "application/octet-stream", buffer: Buffer.from(f.text) })),
    );
  for (const f of files)
    await expect(scope.getByRole("listitem", { name: `Upload ${f.name}` })).toContainText("Uploaded");
}

test("a person creates a vector store, batch-adds files, watches ingestion, attaches it to an assistant and gets a cited answer", async ({
  page,
}) => {
  // A long journey (two pages, ingestion, two runs): more than the default minute on a busy machine.
  test.setTimeout(180_000);
  const token = slug("kx").replace(/[^a-z0-9]/g, "");
  const facts = `The lighthouse keeper ${token} polishes the brass lens every Tuesday morning.`;
  const storeName = unique("Keeper handbook");
  const assistantName = unique("Handbook reader");

  await openPlayground(page);
  await createAssistant(page, assistantName, "You answer from the handbook.");

  await openVectorStores(page);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "New vector store" }).click();
  const form = newStoreGroup(page);
  await form.getByLabel("Vector store name").fill(storeName);
  // The chunking strategy's limits are checked beside the field, and nothing typed is lost.
  await form.getByLabel("Strategy").selectOption("static");
  await form.getByLabel("Max chunk size (tokens)").fill("50");
  await form.getByLabel("Chunk overlap (tokens)").fill("300");
  await form.getByRole("button", { name: "Create vector store" }).click();
  await expect(form.getByText("A whole number from 100 to 4096.")).toBeVisible();
  await expect(form.getByText("At most half the chunk size (25).")).toBeVisible();
  await expect(form.getByLabel("Vector store name")).toHaveValue(storeName);
  await page.screenshot({ path: "/tmp/b-vs-form-errors.png", fullPage: true });
  await form.getByLabel("Max chunk size (tokens)").fill("200");
  await form.getByLabel("Chunk overlap (tokens)").fill("50");
  await form.getByLabel("Expires").selectOption("days");
  await form.getByLabel("Days after last activity").fill("30");
  const handbook = `${slug("handbook")}.md`;
  await uploadIn(form, [
    { name: handbook, text: `# Duties\n\n${facts}\n\nOther duties are listed elsewhere.` },
  ]);
  await expect(form.getByRole("checkbox", { name: handbook })).toBeChecked();
  await form.getByRole("button", { name: "Create vector store" }).click();

  const detail = page.getByRole("region", { name: storeName });
  await expect(detail.getByRole("heading", { level: 2, name: storeName })).toBeVisible();
  await expect(detail).toContainText("30 days after last activity");
  await expect(storeFile(page, handbook)).toContainText("Completed");

  // A batch: text, a PDF, a DOCX, and a PDF that cannot be parsed; each shows its live status.
  const more = [
    { name: `${slug("tides")}.txt`, text: "High tide arrives twice a day near the lighthouse." },
    { name: `${slug("fog")}.pdf`, text: makePdf([["Fog horns sound every thirty seconds in thick fog."]]) },
    {
      name: `${slug("minutes")}.docx`,
      text: makeDocx(["The keepers met on Friday.", "Lamp oil is ordered monthly."]),
    },
    { name: `${slug("scan")}.pdf`, text: "%PDF-1.4 this scan is damaged" },
  ];
  const add = detail.getByRole("group", { name: "Files to add" });
  await uploadIn(add, more);
  for (const f of more) await expect(add.getByRole("checkbox", { name: f.name })).toBeChecked();
  await detail.getByRole("button", { name: "Add 4 files as a batch" }).click();
  const batch = detail.getByRole("group", { name: "File batch" });
  await expect(batch).toContainText("Batch completed");
  await expect(batch).toContainText("4 files · 3 completed · 1 failed");
  for (const f of more.slice(0, 3)) await expect(storeFile(page, f.name)).toContainText("Completed");
  const failed = storeFile(page, more[3]!.name);
  await expect(failed).toContainText("Failed");
  await expect(failed).toContainText("parsing_error");
  await expect(failed).toContainText("could not be read as a PDF");
  await expect(detail).toContainText("5 files · 4 completed · 1 failed");
  await page.screenshot({ path: "/tmp/b-vs-detail.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // Remove the failed file from the store (the file itself stays).
  await failed.getByRole("button", { name: `Remove ${more[3]!.name} from the store` }).click();
  await expect(storeFile(page, more[3]!.name)).toHaveCount(0);
  await expect(detail).toContainText("4 files · 4 completed");

  // Rename.
  const renamed = `${storeName} v2`;
  await detail.getByRole("textbox", { name: "Name", exact: true }).fill(renamed);
  await detail.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("heading", { level: 2, name: renamed })).toBeVisible();

  // Attach to the assistant: file search turns on, with this store.
  const region = page.getByRole("region", { name: renamed });
  await region.getByRole("button", { name: "Attach to assistant…" }).click();
  await region.getByLabel("Assistant", { exact: true }).selectOption({ label: assistantName });
  await region.getByRole("button", { name: "Attach", exact: true }).click();
  await expect(region.getByRole("status").filter({ hasText: "Attached" })).toContainText(
    `Attached to ${assistantName}; file search is on.`,
  );

  // The playground answers from the file, with a citation.
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Playground" }).click();
  await expectChosenAssistant(page, assistantName);
  const message = page.getByRole("textbox", { name: "Message" });
  await message.fill(`When does the keeper ${token} polish the brass lens?`);
  await message.press("Enter");
  const log = conversation(page);
  await expect(log).toContainText(
    `lighthouse keeper ${token} polishes the brass lens every Tuesday morning`,
    {
      timeout: 30_000,
    },
  );
  await expect(log).toContainText(handbook);
  await expect(runStatus(page)).toContainText("Completed");
  // Text extracted from the PDF is found too.
  await message.fill("How often do fog horns sound in thick fog?");
  await message.press("Enter");
  await expect(log).toContainText("Fog horns sound every thirty seconds in thick fog", { timeout: 30_000 });
  await expect(log).toContainText(more[1]!.name);
  await page.screenshot({ path: "/tmp/b-vs-cited-answer.png", fullPage: true });

  // Delete the store, with confirmation.
  await openVectorStores(page);
  await page.getByRole("button", { name: new RegExp(renamed) }).click();
  await page.getByRole("button", { name: "Delete vector store" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${renamed}?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Delete vector store" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: new RegExp(renamed) })).toHaveCount(0);
  const res = await page.request.get(`/api/openai/vector_stores?api-version=${API_VERSION}`);
  const names = ((await res.json()) as { data: { name: string }[] }).data.map((v) => v.name);
  expect(names).not.toContain(renamed);
});

test("a person cancels a file batch while it is ingesting; finished files stay, the rest are cancelled", async ({
  page,
}) => {
  test.setTimeout(180_000);
  // Many large text files, uploaded through the proxy beforehand, so ingestion takes a while.
  const prefix = slug("bulk");
  const body = Buffer.from("lorem ipsum dolor sit amet ".repeat(40_000));
  for (let i = 0; i < 40; i++) {
    const res = await page.request.post(`/api/openai/files?api-version=${API_VERSION}`, {
      multipart: {
        purpose: "assistants",
        file: { name: `${prefix}-${i}.txt`, mimeType: "text/plain", buffer: body },
      },
    });
    expect(res.ok()).toBe(true);
  }
  const storeName = unique("Bulk store");
  await page.goto("/vector-stores");
  await page.getByRole("button", { name: "New vector store" }).click();
  const form = newStoreGroup(page);
  await form.getByLabel("Vector store name").fill(storeName);
  await form.getByRole("button", { name: "Create vector store" }).click();
  const detail = page.getByRole("region", { name: storeName });
  await expect(detail).toContainText("No files in this store yet.");

  const add = detail.getByRole("group", { name: "Files to add" });
  await add.getByRole("searchbox", { name: "Search files" }).fill(prefix);
  const boxes = add.getByRole("checkbox");
  await expect(boxes).toHaveCount(40);
  for (let i = 0; i < 40; i++) await boxes.nth(i).check();
  // Small chunks with overlap: many chunks per file, so ingestion is still going when Cancel is pressed.
  await detail.getByLabel("Strategy").selectOption("static");
  await detail.getByLabel("Max chunk size (tokens)").fill("100");
  await detail.getByLabel("Chunk overlap (tokens)").fill("50");
  await detail.getByRole("button", { name: "Add 40 files as a batch" }).click();
  const batch = detail.getByRole("group", { name: "File batch" });
  await batch.getByRole("button", { name: "Cancel batch" }).click();
  await expect(batch).toContainText("Batch cancelled");
  await expect(batch).toContainText(/40 files · (\d+ completed · )?\d+ cancelled/);
  await expect(batch.getByRole("button", { name: "Cancel batch" })).toHaveCount(0);
  const list = page.getByRole("list", { name: "Files in this vector store" });
  await expect(list.getByText("Cancelled").first()).toBeVisible();
  await expect(list.getByText("In progress")).toHaveCount(0);
  await page.screenshot({ path: "/tmp/b-vs-cancelled.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
});
