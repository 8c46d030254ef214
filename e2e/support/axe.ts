import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

// axe in both themes at each key screen of a journey: the page as it is, then with the other theme's
// class on <html> (the dark palette is CSS variables, app/globals.css), then back. Transitions are
// held still meanwhile, so no colour is measured half-way.

export type Theme = "light" | "dark";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function setTheme(page: Page, theme: Theme) {
  await page.evaluate(async (dark) => {
    document.documentElement.classList.toggle("dark", dark);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  }, theme === "dark");
}

/** Serious and critical WCAG 2.1 A/AA findings, each prefixed with the theme it was seen in. */
export async function axeViolations(
  page: Page,
  themes: readonly Theme[] = ["light", "dark"],
): Promise<string[]> {
  const wasDark = await page.evaluate(() => {
    const still = document.createElement("style");
    still.id = "e2e-axe-still";
    still.textContent = "*, *::before, *::after { transition: none !important; animation: none !important; }";
    document.head.append(still);
    return document.documentElement.classList.contains("dark");
  });
  const found: string[] = [];
  try {
    // The current theme first, so a page left as it was is checked without a switch.
    const order = [...themes].sort(
      (a, b) => Number(b === (wasDark ? "dark" : "light")) - Number(a === (wasDark ? "dark" : "light")),
    );
    for (const theme of order) {
      await setTheme(page, theme);
      const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      for (const v of results.violations)
        if (v.impact === "serious" || v.impact === "critical")
          found.push(`${theme}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    }
  } finally {
    await setTheme(page, wasDark ? "dark" : "light");
    await page.evaluate(() => document.getElementById("e2e-axe-still")?.remove());
  }
  return found;
}
