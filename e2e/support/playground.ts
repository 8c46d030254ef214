import { expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

// Shared steps of the e2e journeys. Each feature keeps its steps here so a change of label is
// made once.

export const API_VERSION = "2024-05-01-preview";

export function unique(name: string) {
  return `${name} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

export async function openPlayground(page: Page) {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Assistants Playground" })).toBeVisible();
  await expect(page.getByText("Local engine — scripted model")).toBeVisible();
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
  await expect(page.getByLabel("Assistant", { exact: true }).locator("option:checked")).toContainText(name);
  await expect(page.getByRole("button", { name: "Save changes" })).toBeVisible();
}

export function runStatus(page: Page) {
  return page.getByRole("status", { name: "Run status" });
}

export function conversation(page: Page) {
  return page.getByRole("log", { name: "Conversation" });
}

export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}
