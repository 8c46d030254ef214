import { expect, test, type Page } from "@playwright/test";
import { seriousViolations, unique, chooseFiles } from "./support/playground";

// What a host's limits mean for a person. The server half (VERCEL → engine off, the 4.5 MB cap,
// PLAYGROUND_MAX_REQUEST_BYTES, demo mode) is unit-tested in lib/server/deployment.test.ts; here the
// browser is told what such a host would say (GET /api/playground/deployment) and must act on it.

const VERCEL_LIKE = {
  localEngine: "demo",
  serverless: "Vercel",
  maxUploadBytes: 4.5 * 1024 * 1024 - 16 * 1024,
  uploadLimitReason: "Vercel refuses request bodies over 4.5 MB",
};

async function asIfOnVercel(page: Page) {
  await page.route("**/api/playground/deployment", (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(VERCEL_LIKE) }),
  );
}

test("on a host with a request-body cap, the Files page says so up front and refuses a larger file before sending it", async ({
  page,
}) => {
  await asIfOnVercel(page);
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().includes("/api/openai/files")) posts.push(r.url());
  });
  await page.goto("/files");
  await expect(
    page.getByText("Up to 4.5 MB each on this host (Vercel refuses request bodies over 4.5 MB)"),
  ).toBeVisible();

  const big = `${unique("too-big-for-vercel")}.txt`;
  const small = `${unique("fits-on-vercel")}.txt`;
  await chooseFiles(page, [
    { name: big, mimeType: "text/plain", buffer: Buffer.alloc(5 * 1024 * 1024, 0x61) },
    { name: small, mimeType: "text/plain", buffer: Buffer.from("small enough for any host") },
  ]);
  const bigRow = page.getByRole("list", { name: "Uploads" }).getByRole("listitem", { name: `Upload ${big}` });
  await expect(bigRow.getByRole("alert")).toContainText(`${big} is too large for this host: 5,242,880 bytes`);
  await expect(bigRow.getByRole("alert")).toContainText("Vercel refuses request bodies over 4.5 MB");
  await expect(bigRow).toContainText("Not uploaded");
  // The small one goes; the large one never left the browser.
  const smallRow = page
    .getByRole("list", { name: "Uploads" })
    .getByRole("listitem", { name: `Upload ${small}` });
  await expect(smallRow).toContainText("Uploaded");
  expect(posts).toHaveLength(1);
  expect(await seriousViolations(page)).toEqual([]);
});

test("a demo engine that forgets says so in the header", async ({ page }) => {
  await asIfOnVercel(page);
  await page.goto("/");
  await expect(page.getByRole("note")).toContainText(
    "Demo engine: what you build here is forgotten when the server restarts",
  );
  await page.unrouteAll({ behavior: "ignoreErrors" });
  await page.goto("/assistants");
  // Without the demo flag (the real e2e server keeps its data on disk) there is no such note.
  await expect(page.getByRole("heading", { level: 1, name: "Assistants Playground" })).toBeVisible();
  await expect(page.getByText("Demo engine:")).toHaveCount(0);
});
