import { expect, type Page } from "@playwright/test";
import { api } from "./playground";
import { pickAssistant } from "./assistant-picker";

// Steps of the request-log and backup journeys that do not depend on how the header shows the
// connection (a label with one connection, a <select> with several).

export async function openLocalPlayground(page: Page) {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Assistants Playground" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Assistant setup" })).toBeVisible();
  const picker = page.getByRole("combobox", { name: "Connection", exact: true });
  const label = page.getByText("Local engine — scripted model", { exact: true }).filter({ visible: true });
  await expect(picker.or(label).first()).toBeVisible();
  if (await picker.count()) await expect(picker).toHaveValue("local");
}

/** Creates an assistant through the proxy and selects it in the playground. */
export async function assistantThroughApi(page: Page, body: Record<string, unknown>) {
  const created = await page.request.post(api("assistants"), { data: { model: "gpt-4o", ...body } });
  expect(created.ok()).toBe(true);
  const { id } = (await created.json()) as { id: string };
  await openLocalPlayground(page);
  await pickAssistant(page, id);
  await expect(
    page.getByRole("region", { name: "Assistant setup" }).getByLabel("Name", { exact: true }),
  ).toHaveValue(String(body.name));
  return id;
}
