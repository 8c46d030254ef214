import { expect, test } from "@playwright/test";
import {
  api,
  assistantFromApi,
  conversation,
  currentThread,
  runStatus,
  seriousViolations,
  send,
  unique,
  vectorStoreWithFile,
} from "./support/playground";

test.describe.configure({ timeout: 180_000 });

// Files issue: a vector store attached to a THREAD (tool_resources) is searched by runs on it,
// although the assistant itself has none.
test("a vector store attached to the thread answers with citations", async ({ page }) => {
  const filename = `${unique("glaciers").replace(/\s+/g, "-")}.md`;
  const text =
    "# Glaciers\n\nA glacier forms where more snow falls each winter than melts each summer.\n\n" +
    "Glacial ice looks blue because it absorbs red light and scatters blue light.\n";
  const storeName = unique("Glacier notes");
  const storeId = await vectorStoreWithFile(page, filename, text, storeName);

  await assistantFromApi(page, {
    name: unique("Glacier guide"),
    instructions: "You answer from the documents.",
    tools: [{ type: "file_search" }],
  });
  await send(page, "Hello");
  await expect(runStatus(page)).toContainText("Completed");
  const threadId = (await currentThread(page).textContent())?.trim() ?? "";
  expect(threadId).toMatch(/^thread_/);

  await page.getByRole("button", { name: "Thread resources", exact: true }).click();
  await page.getByLabel("Thread vector store", { exact: true }).selectOption(storeId);
  await page.getByRole("button", { name: "Save thread resources" }).click();
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  await page.screenshot({ path: "/tmp/lead-thread-resources.png" });
  expect(await seriousViolations(page)).toEqual([]);

  const saved = await page.request.get(api(`threads/${threadId}`));
  const thread = (await saved.json()) as { tool_resources: { file_search: { vector_store_ids: string[] } } };
  expect(thread.tool_resources.file_search.vector_store_ids).toEqual([storeId]);

  await send(page, "Why does glacial ice look blue?");
  await expect(runStatus(page)).toContainText("Completed");
  const answer = conversation(page).getByRole("article", { name: "Assistant" }).last();
  await expect(answer.getByRole("link", { name: "Citation 1" })).toBeVisible();
  const sources = answer.getByRole("region", { name: "Citations" });
  await expect(sources.getByRole("listitem").first()).toContainText(filename);
  await expect(sources).toContainText("absorbs red light");
});
