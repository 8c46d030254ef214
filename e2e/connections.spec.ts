import { expect, test, type Page } from "@playwright/test";
import { API_VERSION, chooseInConnectionMenu, seriousViolations, unique } from "./support/playground";

// Connections (docs/connections.md): the header's switcher and api-version choice, Test connection on each
// configured connection, and a connection typed in the browser refused for loopback or private
// targets. playwright.config.ts configures "second-engine" (OpenAI-compatible, a second engine on
// its own port) and "azure-bad-key" (Azure OpenAI at a loopback fake that answers 401).

const SECOND = "Second engine (OpenAI-compatible)";

async function createOn(page: Page, connection: string, name: string) {
  const res = await page.request.post(`/api/openai/assistants?api-version=${API_VERSION}`, {
    headers: { "x-playground-connection": connection },
    data: { model: "gpt-4o", name },
  });
  expect(res.status(), await res.text()).toBe(200);
}

const connectionSelect = (page: Page) => page.getByRole("banner").getByLabel("Connection", { exact: true });
const versionSelect = (page: Page) => page.getByRole("banner").getByLabel("api-version", { exact: true });

test("switching the connection in the header: the page's data follows", async ({ page }, testInfo) => {
  const onLocal = unique("On local");
  const onSecond = unique("On second engine");
  await createOn(page, "local", onLocal);
  await createOn(page, "second-engine", onSecond);

  await page.goto("/assistants");
  const list = page.getByRole("list", { name: "Assistants" });
  await expect(connectionSelect(page)).toHaveValue("local");
  await expect(list.getByText(onLocal)).toBeVisible();
  await expect(list.getByText(onSecond)).toHaveCount(0);

  await chooseInConnectionMenu(page, "Connection", { label: SECOND });
  await expect(list.getByText(onSecond)).toBeVisible();
  await expect(list.getByText(onLocal)).toHaveCount(0);
  // An OpenAI-compatible server takes no api-version: the header says so instead of offering a choice.
  await expect(versionSelect(page)).toHaveCount(0);
  await expect(page.getByRole("banner").getByText("api-version")).toContainText("v2");
  await page.screenshot({ path: testInfo.outputPath("header-second-engine.png") });

  // The choice survives a reload (it is remembered per browser), then back to the local engine.
  await page.reload();
  await expect(connectionSelect(page)).toHaveValue("second-engine");
  await expect(list.getByText(onSecond)).toBeVisible();
  await chooseInConnectionMenu(page, "Connection", "local");
  await expect(list.getByText(onLocal)).toBeVisible();
  await expect(list.getByText(onSecond)).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test("choosing an api-version for a connection: requests use it, and it is remembered", async ({ page }) => {
  await page.goto("/assistants");
  await expect(versionSelect(page)).toHaveValue(API_VERSION);
  await chooseInConnectionMenu(page, "api-version", "2024-02-15-preview");
  await expect(page.getByText("api-version 2024-02-15-preview (v1)")).toBeVisible();
  // Remembered: after a reload the page asks for its data on that version.
  const sent = page.waitForRequest(
    (r) => r.url().includes("/api/openai/assistants") && r.url().includes("api-version=2024-02-15-preview"),
  );
  await page.reload();
  await sent;
  await expect(versionSelect(page)).toHaveValue("2024-02-15-preview");
  // Another connection keeps its own choice.
  await chooseInConnectionMenu(page, "Connection", { label: "Local engine — fake chat model" });
  await expect(versionSelect(page)).toHaveValue(API_VERSION);
  await chooseInConnectionMenu(page, "Connection", "local");
  await expect(versionSelect(page)).toHaveValue("2024-02-15-preview");
  await chooseInConnectionMenu(page, "api-version", API_VERSION);
  await expect(versionSelect(page)).toHaveValue(API_VERSION);
});

test("Test connection on each connection: connected, or a diagnosis", async ({ page }, testInfo) => {
  await page.goto("/settings");
  const list = page.getByRole("list", { name: "Connections" });
  const row = (label: string) => list.getByRole("listitem").filter({ hasText: label });

  const local = row("Local engine — scripted model");
  await expect(local.getByText("built into this server")).toBeVisible();
  await local.getByRole("button", { name: "Test connection" }).click();
  await expect(local.getByRole("status")).toContainText("Connected");

  const second = row(SECOND);
  await expect(second.getByText(`127.0.0.1:${Number(new URL(page.url()).port) + 3}`)).toBeVisible();
  await expect(second.getByText("OpenAI-compatible", { exact: true })).toBeVisible();
  await second.getByRole("button", { name: "Test connection" }).click();
  await expect(second.getByRole("status")).toContainText("Connected");
  await expect(second.getByRole("status")).toContainText("no api-version is sent");

  const azure = row("Azure OpenAI —");
  await expect(azure.getByText("api-key (on the server)")).toBeVisible();
  await azure.getByRole("button", { name: "Test connection" }).click();
  const diagnosis = azure.getByRole("status");
  await expect(diagnosis).toContainText("Bad key (401)");
  await expect(diagnosis).toContainText("Keys and Endpoint");
  await expect(diagnosis).toContainText("HTTP 401");
  await expect(page.getByText("e2e-azure-key-DO-NOT-LEAK-7f3a")).toHaveCount(0);

  await page.screenshot({ path: testInfo.outputPath("settings-connections.png"), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
});

test("a connection typed in the browser is refused for loopback and private targets", async ({
  page,
}, testInfo) => {
  await page.goto("/settings");
  const form = page.getByRole("region", { name: "Your own connection" });
  await expect(form).toContainText("*.openai.azure.com");
  const endpoint = form.getByLabel("Endpoint");
  const key = form.getByLabel("Key");
  const submit = form.getByRole("button", { name: "Check and use" });

  // Plain http and hosts off the allowlist never leave the browser.
  await endpoint.fill("http://myres.openai.azure.com");
  await key.fill("my-own-key-1234");
  await submit.click();
  await expect(endpoint).toHaveAccessibleDescription(/must start with https:\/\//);

  await endpoint.fill("https://10.0.0.5");
  await submit.click();
  await expect(endpoint).toHaveAccessibleDescription(/10\.0\.0\.5 is not an allowed host/);

  // localhost is on this server's allowlist (PLAYGROUND_USER_CONNECTION_HOSTS), but it resolves to
  // a loopback address: the server refuses it when the connection is made.
  await endpoint.fill("https://localhost:8443");
  await submit.click();
  await expect(endpoint).toHaveAccessibleDescription(/localhost resolves to .*a loopback address/);
  await expect(endpoint).toHaveAttribute("aria-invalid", "true");
  // Nothing is lost, and nothing is kept: the inputs stay, no connection is added.
  await expect(endpoint).toHaveValue("https://localhost:8443");
  await expect(key).toHaveValue("my-own-key-1234");
  await expect(connectionSelect(page).locator("option", { hasText: "Your connection" })).toHaveCount(0);
  expect(await page.evaluate(() => sessionStorage.getItem("playground-user-connection"))).toBeNull();

  await page.screenshot({
    path: testInfo.outputPath("settings-user-connection-refused.png"),
    fullPage: true,
  });
  expect(await seriousViolations(page)).toEqual([]);
});
