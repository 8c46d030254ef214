import { describe, expect, it } from "vitest";
import { readTheme, resolveTheme, THEME_STORAGE_KEY } from "./theme";

describe("theme", () => {
  it("reads a stored theme, defaulting to the system's", () => {
    const store = (v: string | null) => ({ getItem: (k: string) => (k === THEME_STORAGE_KEY ? v : null) });
    expect(readTheme(store("dark"))).toBe("dark");
    expect(readTheme(store("light"))).toBe("light");
    expect(readTheme(store("purple"))).toBe("system");
    expect(readTheme(null)).toBe("system");
  });
  it("resolves system from the preference", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
  });
});
