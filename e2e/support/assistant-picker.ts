import { expect, type Locator, type Page } from "@playwright/test";

// The setup panel's assistant picker is a searchable combobox (components/assistants/assistant-picker.tsx).

export function assistantPicker(where: Page | Locator) {
  return where.getByRole("combobox", { name: "Assistant", exact: true });
}

/** Chooses an assistant by its id: typed into the combobox, then its option clicked. */
export async function pickAssistant(where: Page | Locator, id: string) {
  const box = assistantPicker(where);
  await expect(box).toBeEnabled();
  await box.fill(id);
  await where
    .getByRole("listbox", { name: "Assistants" })
    .getByRole("option", { name: new RegExp(` · ${id}$`) })
    .click();
  await expect(box).toHaveValue(new RegExp(` · ${id}$`));
}

/** The combobox shows the chosen assistant ("name · id"). */
export async function expectChosenAssistant(where: Page | Locator, name: string) {
  await expect(assistantPicker(where)).toHaveValue(
    new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} · asst_`),
  );
}
