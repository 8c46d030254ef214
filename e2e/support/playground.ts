import { expect, type Page } from "@playwright/test";
import { expectChosenAssistant, pickAssistant } from "./assistant-picker";
import { axeViolations } from "./axe";

// Shared steps of the e2e journeys. Each feature keeps its steps here so a change of label is
// made once.

export const API_VERSION = "2024-05-01-preview";

/**
 * The access token the global setup (e2e/support/global-setup.ts) created: what a script or
 * notebook sends as the SDK's apiKey. Browser journeys need none: they start signed in.
 */
export function accessToken(): string {
  const token = process.env.E2E_ACCESS_TOKEN;
  if (!token)
    throw new Error(
      "E2E_ACCESS_TOKEN is unset: run through playwright.config.ts (its global setup creates it).",
    );
  return token;
}

export function unique(name: string) {
  return `${name} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

export async function openPlayground(page: Page) {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Assistants Playground" })).toBeVisible();
  // The e2e server has several connections: the header's menu shows the local engine chosen.
  await expect(connectionButton(page)).toContainText("Local engine — scripted model");
  await expect(page.getByRole("banner").getByLabel("Connection", { exact: true })).toHaveValue("local");
}

/** The header's button that names the connection and opens its menu (connection, api-version, theme). */
export function connectionButton(page: Page) {
  return page.getByRole("banner").getByRole("button", { name: /^Connection and theme:/ });
}

/** Opens the header's connection menu (if closed); resolves with it. */
export async function connectionMenu(page: Page) {
  const button = connectionButton(page);
  if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
  const menu = page.getByRole("dialog", { name: "Connection and theme" });
  await expect(menu).toBeVisible();
  return menu;
}

/** Chooses a control's value in the header's connection menu, then closes the menu. */
export async function chooseInConnectionMenu(
  page: Page,
  label: "Connection" | "api-version" | "Theme",
  option: string | { label: string },
) {
  const menu = await connectionMenu(page);
  await menu.getByLabel(label, { exact: true }).selectOption(option);
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
}

export async function createAssistant(
  page: Page,
  name: string,
  instructions: string,
  tools: { codeInterpreter?: boolean } = {},
) {
  const setup = page.getByRole("region", { name: "Assistant setup" });
  await setup.getByLabel("Name", { exact: true }).fill(name);
  await setup.getByLabel("Instructions", { exact: true }).fill(instructions);
  await expect(setup.getByLabel("Deployment", { exact: true })).toHaveValue("gpt-4o");
  if (tools.codeInterpreter) await setup.getByLabel("Code interpreter", { exact: true }).check();
  await setup.getByRole("button", { name: "Create assistant" }).click();
  await expectChosenAssistant(page, name);
  await expect(page.getByRole("button", { name: "Save changes" })).toBeVisible();
}

export function runStatus(page: Page) {
  return page.getByRole("status", { name: "Run status" });
}

export function conversation(page: Page) {
  return page.getByRole("log", { name: "Conversation" });
}

/** Serious axe findings at a journey's key screen, in both themes (e2e/support/axe.ts). */
export async function seriousViolations(page: Page) {
  return axeViolations(page);
}

// Chat steps.
export const api = (path: string) =>
  `/api/openai/${path}${path.includes("?") ? "&" : "?"}api-version=${API_VERSION}`;
export const threads = (page: Page) => page.getByRole("navigation", { name: "Threads" });
export const currentThread = (page: Page) => threads(page).locator("code");
export const messageBox = (page: Page) => page.getByRole("textbox", { name: "Message" });
export const chat = (page: Page) => page.getByRole("region", { name: "Chat" });

export async function send(page: Page, text: string) {
  await messageBox(page).fill(text);
  await messageBox(page).press("Enter");
}

export async function assistantFromApi(page: Page, body: Record<string, unknown>) {
  const created = await page.request.post(api("assistants"), { data: { model: "gpt-4o", ...body } });
  expect(created.ok()).toBe(true);
  const { id } = (await created.json()) as { id: string };
  await openPlayground(page);
  await pickAssistant(page, id);
  await expect(
    page.getByRole("region", { name: "Assistant setup" }).getByLabel("Name", { exact: true }),
  ).toHaveValue(String(body.name));
  return id;
}

/** Uploads a markdown file and puts it in a new vector store; resolves once it is ingested. */
export async function vectorStoreWithFile(page: Page, filename: string, text: string, storeName = filename) {
  const uploaded = await page.request.post(api("files"), {
    multipart: {
      purpose: "assistants",
      file: { name: filename, mimeType: "text/markdown", buffer: Buffer.from(text) },
    },
  });
  expect(uploaded.ok()).toBe(true);
  const file = (await uploaded.json()) as { id: string };
  const store = await page.request.post(api("vector_stores"), {
    data: { name: storeName, file_ids: [file.id] },
  });
  expect(store.ok()).toBe(true);
  const { id: storeId } = (await store.json()) as { id: string };
  await expect
    .poll(async () => {
      const r = await page.request.get(api(`vector_stores/${storeId}`));
      return ((await r.json()) as { file_counts: { completed: number } }).file_counts.completed;
    })
    .toBe(1);
  return storeId;
}

/**
 * Chooses files in the page's upload area once it is enabled (it waits for the connection).
 * Playwright's setInputFiles fires `change` even on a disabled input, which a person cannot do.
 */
export async function chooseFiles(
  page: Page,
  files: Parameters<ReturnType<Page["getByLabel"]>["setInputFiles"]>[0],
) {
  const input = page.getByLabel("Choose files");
  await expect(input).toBeEnabled();
  await input.setInputFiles(files);
}
