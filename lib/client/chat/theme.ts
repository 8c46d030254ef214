export type Theme = "light" | "dark" | "system";

export const THEME_STORAGE_KEY = "assistants-playground-theme";
export const THEMES: readonly Theme[] = ["system", "light", "dark"];

export function readTheme(storage: Pick<Storage, "getItem"> | null): Theme {
  const value = storage?.getItem(THEME_STORAGE_KEY);
  return value === "light" || value === "dark" ? value : "system";
}

export function resolveTheme(theme: Theme, prefersDark: boolean): "light" | "dark" {
  return theme === "system" ? (prefersDark ? "dark" : "light") : theme;
}

/**
 * Runs before the first paint (inlined in the root layout), so a dark page never flashes light.
 * Kept as a string: it must not wait for the bundle.
 */
export const THEME_BOOT_SCRIPT = `(function(){try{var t=localStorage.getItem(${JSON.stringify(
  THEME_STORAGE_KEY,
)});var d=t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);}catch(e){}})();`;

export function applyTheme(theme: Theme): void {
  const prefersDark = window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
  document.documentElement.classList.toggle("dark", resolveTheme(theme, prefersDark) === "dark");
}
