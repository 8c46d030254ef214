import { THEME_STORAGE_KEY } from "@/lib/shared/theme-boot";

export { THEME_STORAGE_KEY };

export type Theme = "light" | "dark" | "system";
export const THEMES: readonly Theme[] = ["system", "light", "dark"];

export function readTheme(storage: Pick<Storage, "getItem"> | null): Theme {
  const value = storage?.getItem(THEME_STORAGE_KEY);
  return value === "light" || value === "dark" ? value : "system";
}

export function resolveTheme(theme: Theme, prefersDark: boolean): "light" | "dark" {
  return theme === "system" ? (prefersDark ? "dark" : "light") : theme;
}

export function applyTheme(theme: Theme): void {
  const prefersDark = window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
  document.documentElement.classList.toggle("dark", resolveTheme(theme, prefersDark) === "dark");
}
