import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BUTTON_VARIANTS } from "./button";

// Every button state's text against its fill, in both themes, from the real palettes: Tailwind's
// (light) and app/globals.css's mirrored dark one. WCAG AA for text of this size is 4.5:1.

type Palette = Record<string, string>;

function palette(css: string): Palette {
  const out: Palette = {};
  for (const m of css.matchAll(/--color-([a-z]+-\d+|white|black):\s*([^;]+);/g)) out[m[1]!] ??= m[2]!.trim();
  return out;
}

const root = process.cwd();
const light = palette(readFileSync(path.join(root, "node_modules/tailwindcss/theme.css"), "utf8"));
const globals = readFileSync(path.join(root, "app/globals.css"), "utf8");
const dark = { ...light, ...palette(globals.slice(globals.indexOf(":root.dark"))) };

/** oklch (or #hex) → linear sRGB (Björn Ottosson's OKLab matrices), clamped to the gamut. */
function linearRgb(value: string): [number, number, number] {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value);
  if (hex) {
    const h = hex[1]!.length === 3 ? [...hex[1]!].map((c) => c + c).join("") : hex[1]!;
    const srgb = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
    const lin = srgb.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return [lin[0]!, lin[1]!, lin[2]!];
  }
  const m = /^oklch\(([\d.]+)%\s+([\d.]+)\s+([\d.]+|none)\)$/.exec(value);
  if (!m) throw new Error(`unreadable colour ${value}`);
  const [L, C, H] = [Number(m[1]) / 100, Number(m[2]), m[3] === "none" ? 0 : Number(m[3])];
  const a = C * Math.cos((H * Math.PI) / 180);
  const b = C * Math.sin((H * Math.PI) / 180);
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const mm = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  return [
    clamp(4.0767416621 * l - 3.3077115913 * mm + 0.2309699292 * s),
    clamp(-1.2684380046 * l + 2.6097574011 * mm - 0.3413193965 * s),
    clamp(-0.0041960863 * l - 0.7034186147 * mm + 1.707614701 * s),
  ];
}

function luminance(value: string) {
  const [r, g, b] = linearRgb(value);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

function chroma(value: string) {
  const m = /^oklch\([\d.]+%\s+([\d.]+)/.exec(value);
  return m ? Number(m[1]) : 0;
}

type State = "enabled" | "hover" | "disabled";

/** The fill and text colour names a state uses (a prefixed class overrides the plain one). */
function colours(classes: string, state: State): { bg: string | null; text: string } {
  const list = classes.split(/\s+/);
  const pick = (kind: "bg" | "text", prefix: string) => {
    const re = new RegExp(`^${prefix}${kind}-((?:[a-z]+-\\d+)|white|black)$`);
    for (const c of list) {
      const m = re.exec(c);
      if (m) return m[1]!;
    }
    return null;
  };
  const prefixes = state === "enabled" ? [""] : state === "hover" ? ["hover:", ""] : ["disabled:", ""];
  const first = (kind: "bg" | "text") => {
    for (const p of prefixes) {
      const found = pick(kind, p);
      if (found) return found;
    }
    return null;
  };
  return { bg: first("bg"), text: first("text")! };
}

// The surfaces buttons sit on: cards (white), the page and panel backgrounds.
const SURFACES = ["white", "slate-50", "slate-100"];
const THEMES = { light, dark } as const;

describe("button states", () => {
  for (const [theme, colours_] of Object.entries(THEMES)) {
    for (const [variant, classes] of Object.entries(BUTTON_VARIANTS)) {
      for (const state of ["enabled", "hover", "disabled"] as const) {
        it(`${variant} ${state} text is at least 4.5:1 in the ${theme} theme`, () => {
          const { bg, text } = colours(classes, state);
          for (const surface of bg ? [bg] : SURFACES) {
            const ratio = contrast(colours_[text]!, colours_[surface]!);
            expect(ratio, `${text} on ${surface}`).toBeGreaterThanOrEqual(4.5);
          }
        });
      }
    }

    it(`a disabled primary button looks less active than an enabled one in the ${theme} theme`, () => {
      const enabled = colours(BUTTON_VARIANTS.primary, "enabled").bg!;
      const disabled = colours(BUTTON_VARIANTS.primary, "disabled").bg!;
      // Greyed: next to no colour, where the enabled fill is saturated.
      expect(chroma(colours_[disabled]!)).toBeLessThan(0.05);
      expect(chroma(colours_[enabled]!)).toBeGreaterThan(0.15);
    });
  }
});

describe("muted text", () => {
  for (const [theme, colours_] of Object.entries(THEMES))
    it(`slate-500 text (hints, ids, placeholders) is at least 4.5:1 on cards in the ${theme} theme`, () => {
      expect(contrast(colours_["slate-500"]!, colours_.white!)).toBeGreaterThanOrEqual(4.5);
    });
});
