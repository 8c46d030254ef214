import { expect, type Page } from "@playwright/test";
import { api } from "./playground";
import { pickAssistant } from "./assistant-picker";

// Steps of the run-inspector journeys (e2e/inspector.spec.ts).

/** The Inspector panel (its Run and Request log tabs). */
export function inspector(page: Page) {
  return page.getByRole("region", { name: "Inspector" });
}

/** The run-steps timeline of the run shown in the inspector. */
export function runSteps(page: Page) {
  return inspector(page).getByRole("list", { name: "Run steps" });
}

/** A step of the timeline by the start of its title ("Code interpreter", "File search", …). */
export function step(page: Page, title: string) {
  return runSteps(page)
    .getByRole("listitem")
    .filter({ has: page.locator("summary", { hasText: title }) })
    .first();
}

/** Opens a step (no-op when it is open already) and returns it. */
export async function openStep(page: Page, title: string) {
  const item = step(page, title);
  const details = item.locator("details").first();
  if (!(await details.evaluate((d: HTMLDetailsElement) => d.open)))
    await item.locator("summary").first().click();
  await expect(details).toHaveAttribute("open", "");
  return item;
}

/**
 * Creates an assistant through the API and opens it in the playground. (Like assistantFromApi in
 * ./playground, without depending on how the header shows the connection.)
 */
export async function openAssistantFromApi(page: Page, body: Record<string, unknown>) {
  const created = await page.request.post(api("assistants"), { data: { model: "gpt-4o", ...body } });
  expect(created.ok()).toBe(true);
  const { id } = (await created.json()) as { id: string };
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Assistants Playground" })).toBeVisible();
  await pickAssistant(page, id);
  await expect(
    page.getByRole("region", { name: "Assistant setup" }).getByLabel("Name", { exact: true }),
  ).toHaveValue(String(body.name));
  return id;
}
