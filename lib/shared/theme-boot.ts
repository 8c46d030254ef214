/**
 * The theme script that runs before the first paint: the root layout inlines it (app/layout.tsx)
 * and the pages' Content-Security-Policy allows it by its hash (lib/server/auth/csp.ts), so both
 * sides import it from here, where neither depends on the other.
 */

export const THEME_STORAGE_KEY = "assistants-playground-theme";

/** Kept as a string: it must not wait for the bundle, so a dark page never flashes light. */
export const THEME_BOOT_SCRIPT = `(function(){try{var t=localStorage.getItem(${JSON.stringify(
  THEME_STORAGE_KEY,
)});var d=t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);}catch(e){}})();`;
