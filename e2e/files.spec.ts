import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { API_VERSION, seriousViolations, unique, chooseFiles, connectionButton } from "./support/playground";

// Journeys of the Files page, through the real UI, the proxy and the local engine.

// A real 1×1 PNG (red pixel).
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
  "base64",
);

function slug(label: string) {
  return unique(label).replace(/\s+/g, "-").toLowerCase();
}

async function openFiles(page: Page) {
  await page.goto("/files");
  await expect(page.getByRole("heading", { level: 2, name: "Upload files" })).toBeVisible();
  // The e2e server has several connections: the header's menu shows the local engine chosen.
  await expect(connectionButton(page)).toContainText("Local engine — scripted model");
  await expect(page.getByRole("banner").getByLabel("Connection", { exact: true })).toHaveValue("local");
}

function uploadRow(page: Page, name: string) {
  return page.getByRole("list", { name: "Uploads" }).getByRole("listitem", { name: `Upload ${name}` });
}

function fileRow(page: Page, name: string) {
  return page
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: new RegExp(name.replace(/[.]/g, "\\.")) }) });
}

async function serverFileNames(page: Page): Promise<string[]> {
  const res = await page.request.get(`/api/openai/files?api-version=${API_VERSION}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { data: { filename: string }[] }).data.map((f) => f.filename);
}

test("a person uploads several files with progress, previews, downloads, filters, searches and deletes", async ({
  page,
}) => {
  await openFiles(page);
  expect(await seriousViolations(page)).toEqual([]);
  const base = slug("notes");
  const txt = `${base}.txt`;
  const csv = `${base}.csv`;
  const png = `${base}.png`;
  const text = "Sea otters hold hands while they sleep.\nSecond line of notes.";

  await chooseFiles(page, [
    { name: txt, mimeType: "text/plain", buffer: Buffer.from(text) },
    { name: csv, mimeType: "text/csv", buffer: Buffer.from("x,y\n1,2\n3,4\n") },
  ]);
  for (const name of [txt, csv]) {
    await expect(uploadRow(page, name)).toContainText("Uploaded");
    const bar = uploadRow(page, name).getByRole("progressbar", { name: `Progress of ${name}` });
    // The bar counts bytes: at the end it is full (value = the file's size).
    await expect(bar).toHaveAttribute("value", String((await bar.getAttribute("max")) ?? "x"));
    await expect(fileRow(page, name)).toBeVisible();
  }
  // Images go up with the vision purpose.
  await page.getByLabel("Purpose for new uploads").selectOption("vision");
  await chooseFiles(page, [{ name: png, mimeType: "image/png", buffer: PNG }]);
  await expect(uploadRow(page, png)).toContainText("Uploaded");

  const row = fileRow(page, txt);
  await expect(row).toContainText(`${Buffer.byteLength(text)} B`);
  await expect(row).toContainText("assistants");
  await expect(row).toContainText("processed");
  await expect(row).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);

  // Filter by purpose, then search.
  await page.getByLabel("Filter by purpose").selectOption("vision");
  await expect(fileRow(page, png)).toBeVisible();
  await expect(fileRow(page, txt)).toHaveCount(0);
  await page.getByLabel("Filter by purpose").selectOption("");
  await page.getByRole("searchbox", { name: "Search" }).fill(`${base}.c`);
  await expect(fileRow(page, csv)).toBeVisible();
  await expect(fileRow(page, txt)).toHaveCount(0);
  await page.getByRole("searchbox", { name: "Search" }).fill(base);

  // Preview: a dialog over the list (in view, focus inside, Escape closes it and focus returns);
  // text is read, an image is shown.
  const previewTxt = page.getByRole("button", { name: `Preview ${txt}` });
  await previewTxt.click();
  const preview = page.getByRole("dialog", { name: `Preview: ${txt}` });
  await expect(preview).toBeVisible();
  await expect(preview).toBeInViewport({ ratio: 1 });
  await expect(preview.getByLabel(`Text of ${txt}`)).toHaveText(text);
  expect(await preview.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath("files-preview-dialog.png") });
  await page.keyboard.press("Escape");
  await expect(preview).toBeHidden();
  await expect(previewTxt).toBeFocused();
  await page.getByRole("button", { name: `Preview ${png}` }).click();
  const img = page
    .getByRole("dialog", { name: `Preview: ${png}` })
    .getByRole("img", { name: `Preview of ${png}` });
  await expect(img).toBeVisible();
  expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1);
  await page
    .getByRole("dialog", { name: `Preview: ${png}` })
    .getByRole("button", { name: "Close" })
    .click();
  await page.screenshot({ path: "/tmp/b-files-page.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // Download gives the same bytes.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: `Download ${csv}` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(csv);
  expect(fs.readFileSync((await download.path())!, "utf8")).toBe("x,y\n1,2\n3,4\n");

  // Delete asks first; Cancel keeps the file.
  await page.getByRole("button", { name: `Delete ${txt}` }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${txt}?` });
  await expect(dialog).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "/tmp/b-files-delete.png" });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(fileRow(page, txt)).toBeVisible();
  await page.getByRole("button", { name: `Delete ${txt}` }).click();
  await dialog.getByRole("button", { name: "Delete file" }).click();
  await expect(dialog).toBeHidden();
  await expect(fileRow(page, txt)).toHaveCount(0);
  expect(await serverFileNames(page)).not.toContain(txt);
  expect(await serverFileNames(page)).toContain(csv);

  // The same name uploaded again is a second file: the two uploads say when each was chosen and its id.
  await page.getByLabel("Purpose for new uploads").selectOption("assistants");
  await chooseFiles(page, [{ name: csv, mimeType: "text/csv", buffer: Buffer.from("x,y\n5,6\n") }]);
  const again = page.getByRole("list", { name: "Uploads" }).getByRole("listitem", { name: `Upload ${csv}` });
  await expect(again).toHaveCount(2);
  await expect(again.nth(0)).toContainText("Uploaded");
  const [newer, older] = await again.evaluateAll((rows) => rows.map((r) => r.getAttribute("aria-label")));
  expect(newer).toMatch(/ at \d\d:\d\d:\d\d as \S+$/);
  expect(newer).not.toBe(older);
  await expect(fileRow(page, csv)).toHaveCount(2);
});

test("files of an unsupported type, empty files and files over 512 MB are refused before anything is sent", async ({
  page,
}) => {
  await openFiles(page);
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().includes("/api/openai/files")) posts.push(r.url());
  });
  const exe = `${slug("tool")}.exe`;
  const empty = `${slug("empty")}.txt`;
  const big = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "b-e2e-")), `${slug("huge")}.txt`);
  // 512 MB + 1 byte, sparse on disk: the browser sees the size without anything being written.
  fs.writeFileSync(big, "");
  fs.truncateSync(big, 512 * 1024 * 1024 + 1);
  try {
    await chooseFiles(page, [
      { name: exe, mimeType: "application/octet-stream", buffer: Buffer.from("MZ binary") },
      { name: empty, mimeType: "text/plain", buffer: Buffer.alloc(0) },
    ]);
    await chooseFiles(page, big);
    const name = path.basename(big);
    await expect(uploadRow(page, exe).getByRole("alert")).toContainText(".exe files are not supported");
    await expect(uploadRow(page, exe).getByRole("alert")).toContainText(
      "Accepted types: .c, .cpp, .cs, .css, .csv",
    );
    await expect(uploadRow(page, empty).getByRole("alert")).toContainText(`${empty} is empty (0 bytes)`);
    await expect(uploadRow(page, name).getByRole("alert")).toContainText(
      "is too large: 536,870,913 bytes (512 MB); the limit is 512 MB (536,870,912 bytes)",
    );
    for (const n of [exe, empty, name]) await expect(uploadRow(page, n)).toContainText("Not uploaded");
    await page.screenshot({ path: "/tmp/b-files-rejected.png", fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(posts).toEqual([]);
    const names = await serverFileNames(page);
    for (const n of [exe, empty, name]) expect(names).not.toContain(n);
  } finally {
    fs.rmSync(path.dirname(big), { recursive: true, force: true });
  }
});

test("an upload shows its progress while bytes go, and a cancelled upload leaves nothing on the server", async ({
  page,
}) => {
  await openFiles(page);
  // Slow the upload down (≈1 MB/s) so progress and cancel happen mid-transfer.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 1024 * 1024,
  });
  const slow = `${slug("slow")}.txt`;
  const body = Buffer.alloc(6 * 1024 * 1024, "lorem ipsum ");
  await chooseFiles(page, [{ name: slow, mimeType: "text/plain", buffer: body }]);
  const bar = uploadRow(page, slow).getByRole("progressbar", { name: `Progress of ${slow}` });
  // Part-way: more than nothing, less than everything.
  await expect
    .poll(async () => Number(await bar.getAttribute("value")), { timeout: 20_000 })
    .toBeGreaterThan(0);
  const partial = Number(await bar.getAttribute("value"));
  expect(partial).toBeLessThan(body.length);
  await expect(bar).toHaveAttribute("aria-valuetext", /^\d+% \(/);
  await page.screenshot({ path: "/tmp/b-files-progress.png" });
  await page.getByRole("button", { name: `Cancel upload of ${slow}` }).click();
  await expect(uploadRow(page, slow)).toContainText("Cancelled");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  // Nothing half-uploaded: the engine never got a whole body, so it kept no file.
  await page.reload();
  await expect(page.getByRole("heading", { level: 2, name: /Files/ })).toBeVisible();
  await expect(fileRow(page, slow)).toHaveCount(0);
  expect(await serverFileNames(page)).not.toContain(slow);
});

test("files dropped on the upload zone are uploaded", async ({ page }) => {
  await openFiles(page);
  const a = `${slug("dropped")}.md`;
  const b = `${slug("dropped")}.json`;
  const dataTransfer = await page.evaluateHandle(
    ([x, y]) => {
      const dt = new DataTransfer();
      dt.items.add(new File(["# Dropped\n\nA dropped note."], x!, { type: "text/markdown" }));
      dt.items.add(new File(['{"dropped": true}'], y!, { type: "application/json" }));
      return dt;
    },
    [a, b],
  );
  const zone = page.getByTestId("upload-zone");
  await zone.dispatchEvent("dragover", { dataTransfer });
  await zone.dispatchEvent("drop", { dataTransfer });
  for (const name of [a, b]) {
    await expect(uploadRow(page, name)).toContainText("Uploaded");
    await expect(fileRow(page, name)).toBeVisible();
  }
  await page.getByRole("button", { name: `Preview ${a}` }).click();
  await expect(page.getByRole("dialog").getByLabel(`Text of ${a}`)).toHaveText(
    "# Dropped\n\nA dropped note.",
  );
});
