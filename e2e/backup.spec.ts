import { readFile } from "node:fs/promises";
import { expect, test, type Download, type Page } from "@playwright/test";
import {
  api,
  conversation,
  createAssistant,
  currentThread,
  runStatus,
  send,
  seriousViolations,
  threads,
  unique,
  vectorStoreWithFile,
} from "./support/playground";
import { assistantThroughApi, openLocalPlayground } from "./support/h3";
import { noSavePicker, standInSavePicker } from "./support/save-picker";
import { pickAssistant } from "./support/assistant-picker";

// Export a thread, back up the whole local connection, delete what it holds, restore the archive
// into the local engine and find everything again — same ids, runs and steps included.

test.describe.configure({ timeout: 240_000 });

async function text(download: Download): Promise<string> {
  return readFile((await download.path())!, "utf8");
}

async function getJson<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(api(path));
  expect(res.status(), `GET ${path}`).toBe(200);
  return (await res.json()) as T;
}

type List<T> = { data: T[] };

test("export a thread as JSON and as a Markdown transcript", async ({ page }, testInfo) => {
  await openLocalPlayground(page);
  await createAssistant(page, unique("Exporter"), "You make visualizations.", { codeInterpreter: true });
  await send(page, "Create a visualization of a sinewave");
  await expect(runStatus(page)).toContainText("Completed");
  const threadId = (await currentThread(page).textContent())!.trim();

  const row = threads(page).getByRole("listitem").filter({ hasText: "Create a visualization of a sinewave" });
  await row.getByRole("button", { name: /^Export Create a visualization/ }).click();
  await page.screenshot({ path: testInfo.outputPath("thread-export-menu.png") });
  const [jsonDownload] = await Promise.all([
    page.waitForEvent("download"),
    row.getByRole("button", { name: /as JSON$/ }).click(),
  ]);
  expect(jsonDownload.suggestedFilename()).toBe(`${threadId}.json`);
  const exp = JSON.parse(await text(jsonDownload)) as {
    format: string;
    thread: { id: string };
    messages: { role: string; content: { type: string }[] }[];
    runs: {
      run: { id: string; status: string };
      steps: {
        step_details: { type: string; tool_calls?: { type: string; code_interpreter?: { input: string } }[] };
      }[];
    }[];
    files: { id: string; file: { purpose: string } | null; content_base64?: string }[];
  };
  expect(exp.format).toBe("assistants-playground.thread");
  expect(exp.thread.id).toBe(threadId);
  expect(exp.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  expect(exp.runs).toHaveLength(1);
  expect(exp.runs[0]!.run.status).toBe("completed");
  const code = exp.runs[0]!.steps.flatMap((s) => s.step_details.tool_calls ?? []).find(
    (c) => c.type === "code_interpreter",
  );
  expect(code?.code_interpreter?.input).toContain("np.sin");
  expect(exp.files).toHaveLength(1);
  expect(exp.files[0]!.file?.purpose).toBe("assistants_output");
  expect(Buffer.from(exp.files[0]!.content_base64!, "base64").subarray(1, 4).toString()).toBe("PNG");

  await row.getByRole("button", { name: /^Export Create a visualization/ }).click();
  const [mdDownload] = await Promise.all([
    page.waitForEvent("download"),
    row.getByRole("button", { name: /as Markdown$/ }).click(),
  ]);
  expect(mdDownload.suggestedFilename()).toBe(`${threadId}.md`);
  const md = await text(mdDownload);
  expect(md).toContain(`# Create a visualization of a sinewave — Thread \`${threadId}\``);
  expect(md).toContain("#### User");
  expect(md).toContain(`### Run \`${exp.runs[0]!.run.id}\` — completed`);
  expect(md).toMatch(/\*\*Code interpreter\*\* \(completed\)\n\n```+python\n[\s\S]*np\.sin/);
  expect(md).toContain("#### Assistant");
  expect(md).toContain(`[image: `);
  expect(md).toContain("## Generated files");
  expect(await seriousViolations(page)).toEqual([]);
});

test("back up the local connection, delete everything, restore it and find it all again with the same ids", async ({
  page,
}, testInfo) => {
  // Chromium writes the backup to a chosen file as it is read (a stand-in for the system's dialog).
  await standInSavePicker(page);
  // An assistant that searches a vector store, and a thread with a completed run.
  const storeName = unique("Lyon notes");
  const storeId = await vectorStoreWithFile(
    page,
    "lyon.md",
    "The Lyon warehouse ships on Tuesdays.\n",
    storeName,
  );
  const name = unique("Backed-up assistant");
  const assistantId = await assistantThroughApi(page, {
    name,
    instructions: "Answer from the notes.",
    tools: [{ type: "file_search" }],
    tool_resources: { file_search: { vector_store_ids: [storeId] } },
  });
  await send(page, "When does the Lyon warehouse ship?");
  await expect(runStatus(page)).toContainText("Completed");
  await expect(conversation(page)).toContainText("Tuesdays");
  const threadId = (await currentThread(page).textContent())!.trim();
  const [fileId] = (await getJson<List<{ id: string }>>(page, `vector_stores/${storeId}/files`)).data.map(
    (f) => f.id,
  );
  const messages = (
    await getJson<List<{ id: string }>>(page, `threads/${threadId}/messages?order=asc`)
  ).data.map((m) => m.id);
  const runs = (await getJson<List<{ id: string }>>(page, `threads/${threadId}/runs?order=asc`)).data.map(
    (r) => r.id,
  );
  const steps = (
    await getJson<List<{ id: string }>>(page, `threads/${threadId}/runs/${runs[0]}/steps?order=asc`)
  ).data.map((s) => s.id);
  expect(messages).toHaveLength(2);
  expect(runs).toHaveLength(1);

  // Back up.
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Backup" }).click();
  await expect(page.getByRole("heading", { name: "Backup and restore" })).toBeVisible();
  await expect(page.getByTestId("backup-save-mode")).toContainText(
    "writes the archive straight to a file you choose, as it is read",
  );
  const [zipDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: /^Back up / }).click(),
  ]);
  expect(zipDownload.suggestedFilename()).toMatch(/^playground-backup-local-.*\.zip$/);
  const zipPath = testInfo.outputPath("backup.zip");
  await zipDownload.saveAs(zipPath);
  await expect(page.getByText(/^Backup ready: \d+ assistants?, /)).toBeVisible();
  await expect(
    page.getByText(/^Saved as playground-backup-local-.*\.zip \(.+\), written to disk as it was read\.$/),
  ).toBeVisible();
  // Written in pieces as it was read, not as one archive-sized buffer.
  const writes = await page.evaluate(
    () => (window as unknown as { __backupWrites: number[] }).__backupWrites,
  );
  expect(writes.length).toBeGreaterThan(4);
  expect(Math.max(...writes)).toBeLessThan(writes.reduce((a, b) => a + b, 0));
  await page.screenshot({ path: testInfo.outputPath("backup-ready.png"), fullPage: true });

  // Delete what the journey made.
  for (const path of [
    `threads/${threadId}`,
    `assistants/${assistantId}`,
    `vector_stores/${storeId}`,
    `files/${fileId}`,
  ]) {
    const res = await page.request.delete(api(path));
    expect(res.status(), `DELETE ${path}`).toBe(200);
  }
  expect((await page.request.get(api(`assistants/${assistantId}`))).status()).toBe(404);
  expect((await page.request.get(api(`threads/${threadId}`))).status()).toBe(404);

  // A file that is not a backup is refused beside the field.
  const input = page.getByLabel("Backup archive (.zip)");
  await input.setInputFiles({
    name: "notes.zip",
    mimeType: "application/zip",
    buffer: Buffer.from("not a zip"),
  });
  await expect(
    page.getByText(/This is not a zip archive|not an Assistants Playground backup|has no manifest/),
  ).toBeVisible();
  await expect(input).toHaveAttribute("aria-invalid", "true");

  // Restore: the plan says what happens before anything starts.
  await input.setInputFiles(zipPath);
  const plan = page.getByRole("list", { name: "What the restore will do" });
  await expect(plan).toContainText("Restoring into the local engine keeps everything: ids, messages");
  const table = page.getByRole("table", { name: "Objects in the backup and what happens to each" });
  await expect(table.getByRole("row").filter({ hasText: assistantId })).toContainText(
    "created with the same id",
  );
  await expect(table.getByRole("row").filter({ hasText: threadId })).toContainText(
    "2 messages, 1 run and their steps",
  );
  await page.screenshot({ path: testInfo.outputPath("restore-plan.png"), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: /^Restore into / }).click();
  await expect(page.getByText(/^Restored: \d+ assistants?, /)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("restore-done.png"), fullPage: true });

  // Everything is back, with its ids.
  expect((await getJson<{ name: string }>(page, `assistants/${assistantId}`)).name).toBe(name);
  expect((await getJson<{ id: string }>(page, `threads/${threadId}`)).id).toBe(threadId);
  expect(
    (await getJson<List<{ id: string }>>(page, `threads/${threadId}/messages?order=asc`)).data.map(
      (m) => m.id,
    ),
  ).toEqual(messages);
  const restoredRuns = (
    await getJson<List<{ id: string; status: string }>>(page, `threads/${threadId}/runs?order=asc`)
  ).data;
  expect(restoredRuns.map((r) => [r.id, r.status])).toEqual([[runs[0], "completed"]]);
  expect(
    (
      await getJson<List<{ id: string }>>(page, `threads/${threadId}/runs/${runs[0]}/steps?order=asc`)
    ).data.map((s) => s.id),
  ).toEqual(steps);
  const content = await page.request.get(api(`files/${fileId}/content`));
  expect(await content.text()).toBe("The Lyon warehouse ships on Tuesdays.\n");
  expect((await getJson<{ name: string }>(page, `vector_stores/${storeId}`)).name).toBe(storeName);
  await expect
    .poll(
      async () =>
        (await getJson<{ status: string }>(page, `vector_stores/${storeId}/files/${fileId}`)).status,
    )
    .toBe("completed");

  // And in the playground: the assistant, its thread, the conversation.
  await openLocalPlayground(page);
  await pickAssistant(page.getByRole("region", { name: "Assistant setup" }), assistantId);
  await threads(page)
    .getByRole("button", { name: "When does the Lyon warehouse ship?", exact: true })
    .click();
  await expect(currentThread(page)).toHaveText(threadId);
  await expect(conversation(page)).toContainText("Tuesdays");
  // The restored thread works: another run searches the restored store.
  await send(page, "When does the Lyon warehouse ship? Again please.");
  await expect(runStatus(page)).toContainText("Completed");
});

test("restore into another connection: the plan says what cannot come back; assistants and threads are recreated with new ids", async ({
  page,
}, testInfo) => {
  const name = unique("Migrated assistant");
  // Without showSaveFilePicker (Firefox, Safari): built in memory, then downloaded, and said so.
  await noSavePicker(page);
  await openLocalPlayground(page);
  await createAssistant(page, name, "Answer plainly.");
  await send(page, "Hello from the retired service");
  await expect(runStatus(page)).toContainText("Completed");
  const threadId = (await currentThread(page).textContent())!.trim();

  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Backup" }).click();
  await expect(page.getByTestId("backup-save-mode")).toContainText(
    "built in the page's memory, then downloaded",
  );
  const [zipDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: /^Back up / }).click(),
  ]);
  const zipPath = testInfo.outputPath("backup.zip");
  await zipDownload.saveAs(zipPath);
  await expect(page.getByRole("link", { name: /^Download playground-backup-local-/ })).toBeVisible();
  // Dropped on the restore's zone (a styled, labelled picker that takes drops), not chosen.
  const dropped = await page.evaluateHandle(
    ({ name, base64 }) => {
      const dt = new DataTransfer();
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], name, { type: "application/zip" }));
      return dt;
    },
    { name: "backup.zip", base64: (await readFile(zipPath)).toString("base64") },
  );
  const zone = page.getByTestId("file-drop");
  await zone.dispatchEvent("dragover", { dataTransfer: dropped });
  await zone.dispatchEvent("drop", { dataTransfer: dropped });
  await expect(zone).toContainText("backup.zip");
  await page.getByLabel("Restore into").selectOption("second-engine");

  // Said before anything starts: new ids, messages replayed, runs not recreated.
  const plan = page.getByRole("list", { name: "What the restore will do" });
  await expect(plan).toContainText("This connection cannot take ids or runs");
  await expect(plan).toContainText("Runs and run steps cannot be recreated through the API");
  const table = page.getByRole("table", { name: "Objects in the backup and what happens to each" });
  await expect(table.getByRole("row").filter({ hasText: name })).toContainText("created anew (new id)");
  await expect(table.getByRole("row").filter({ hasText: threadId })).toContainText(
    "2 messages replayed; 1 run not recreated",
  );
  await page.screenshot({ path: testInfo.outputPath("recreate-plan.png"), fullPage: true });
  await page.getByRole("button", { name: /^Recreate on / }).click();
  await expect(page.getByText(/^Restored: \d+ assistants?, /)).toBeVisible({ timeout: 150_000 });

  // On the other connection: the assistant under a new id, the thread replayed without its run.
  const second = { "x-playground-connection": "second-engine" };
  const assistants = (await (
    await page.request.get(api("assistants?limit=100"), { headers: second })
  ).json()) as List<{ id: string; name: string }>;
  const migrated = assistants.data.find((a) => a.name === name);
  expect(migrated).toBeDefined();
  await page.getByText(/^New ids/).click();
  const mapping = await page.getByText(new RegExp(`^${threadId} → `)).textContent();
  const newThread = mapping!.split(" → ")[1]!.trim();
  expect(newThread).not.toBe(threadId);
  const messages = (await (
    await page.request.get(api(`threads/${newThread}/messages?order=asc`), { headers: second })
  ).json()) as List<{
    role: string;
    content: { type: string; text?: { value: string } }[];
  }>;
  expect(messages.data.map((m) => m.role)).toEqual(["user", "assistant"]);
  expect(messages.data[0]!.content[0]!.text?.value).toBe("Hello from the retired service");
  const runs = (await (
    await page.request.get(api(`threads/${newThread}/runs`), { headers: second })
  ).json()) as List<unknown>;
  expect(runs.data).toEqual([]);
});
