/** Small, deterministic text helpers shared by the scripted model's behaviours. */

export const STOPWORDS = new Set(
  (
    "a an the and or but if then else of to in on at for from by with without about as into onto over under " +
    "is are was were be been being am do does did done have has had having can could would should will shall may might must " +
    "i me my mine you your yours we us our he she it its they them their this that these those there here " +
    "what which who whom whose when where why how all any some no not nor so than too very just also only " +
    "please pls thanks thank hi hello hey let lets let's tell give show make get use using want need like " +
    "s t d ll m re ve y up down out off again once"
  ).split(" "),
);

/** Light stemming so "cities"/"city" and "forecasts"/"forecast" meet; deterministic, not linguistic. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 3 && w.endsWith("es") && /(ch|sh|x|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
  return w;
}

/** Lower-case word tokens; identifiers are split on `_`, `-` and camelCase. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Stemmed content words (no stopwords). */
export function keywords(text: string): string[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w) && w.length > 1)
    .map(stem);
}

/** The first sentence (or line) of a text, trimmed to `max` characters. */
export function firstSentence(text: string, max = 160): string {
  const line = text.trim().split(/\n+/)[0] ?? "";
  const m = /^(.+?[.!?])(\s|$)/.exec(line);
  return clip(m?.[1] ?? line, max);
}

export function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

export function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"“(])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface NumberMention {
  value: number;
  /** Index of the number in the text. */
  index: number;
  raw: string;
}

export function numbersIn(text: string): NumberMention[] {
  const out: NumberMention[] = [];
  // Skip digits glued to letters (e.g. "gpt4o", "mp3") and ISO dates, which are not quantities.
  // "3-day" counts, "2024-01-01" and "10:30" do not; "1,000" is a thousands separator.
  const re = /(?<![\p{L}\d.\-/:])-?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?![\p{L}\d/:]|-\d)/gu;
  for (const m of text.matchAll(re)) {
    const raw = m[0];
    const value = Number(raw.replace(/,/g, ""));
    if (Number.isFinite(value)) out.push({ value, index: m.index ?? 0, raw });
  }
  return out;
}

const NOT_NAMES = new Set(
  "I What Which Who Whom Whose When Where Why How Please Can Could Would Should Will Is Are Do Does Did Show Tell Give Make Create Get Find List Send Set Add Book Check Look Let Hi Hello Hey Thanks Thank The A An And Or But If In On At For From To With My Your Our Their This That These Those It Its Also Now Then Use Call Run Place Order Buy Send Write Draw Plot Export Save Compute Calculate Search Fetch Explain Summarise Summarize Compare Translate Convert Remind Schedule Celsius Fahrenheit Kelvin January February March April May June July August September October November December Today Tomorrow Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday Ok Okay Yes No".split(
    " ",
  ),
);

/** Capitalised word runs that look like names ("Paris", "New York"), in order of appearance. */
export function properNouns(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)*/gu)) {
    const parts = m[0]
      .split(/\s+/)
      .map((p) => p.replace(/['’](s|re|ll|ve|d|m|t)?$/i, ""))
      .filter((p) => !NOT_NAMES.has(p) && p.length > 1 && !/^[A-Z]{2,}$/.test(p));
    if (parts.length > 0) out.push(parts.join(" "));
  }
  return [...new Set(out)];
}

/** Text in straight or curly quotes or backticks. */
export function quotedStrings(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(
    /"([^"\n]{1,200})"|“([^”\n]{1,200})”|`([^`\n]{1,200})`|(?<![\p{L}])'([^'\n]{2,200})'(?![\p{L}])/gu,
  )) {
    const s = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (s) out.push(s);
  }
  return out;
}

/** Escapes text for a markdown block quote or list item without changing what it says. */
export function inlineMarkdown(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/([*_`[\]<>|])/g, "\\$1")
    .trim();
}
