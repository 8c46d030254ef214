/** Strings for the `pattern` keyword of JSON Schema, used by ./schema-sample. */

/** The longest string built, and the longest pattern read: `a{99999999}` must not allocate 100 MB. */
export const MAX_PATTERN_STRING = 1_000;
/** Atoms evaluated per pattern: `((a{0}){2}){2}…` nests cheap repeats into exponential work. */
const MAX_STEPS = 10_000;

/**
 * A string matching a simple regular expression: literals, `.`, `\\d \\w \\s`, classes with ranges,
 * groups (first alternative), quantifiers `? * + {n} {n,m}`, anchors. `variant` shifts the first
 * class choice so array items can differ. Returns undefined for what it cannot read, and when the
 * string would be longer than MAX_PATTERN_STRING; callers check the result against the real RegExp.
 */
export function stringForPattern(source: string, variant = 0): string | undefined {
  if (source.length > MAX_PATTERN_STRING) return undefined;
  let i = 0;
  let steps = 0;
  let shift = variant;
  const pick = (chars: string[]): string => {
    if (chars.length < 2) return chars[0] ?? "a";
    const c = chars[shift % chars.length] ?? chars[0]!;
    shift = 0;
    return c;
  };
  const range = (from: string, to: string) => {
    const out: string[] = [];
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0) && out.length < 64; c++)
      out.push(String.fromCharCode(c));
    return out;
  };
  const DIGITS = range("0", "9");
  const WORD = [...range("a", "z"), ...range("A", "Z"), ...DIGITS, "_"];
  const escapeChars = (c: string): string[] =>
    c === "d"
      ? DIGITS
      : c === "w"
        ? WORD
        : c === "s"
          ? [" "]
          : c === "D" || c === "W" || c === "S"
            ? ["-"]
            : [c];

  const parseClass = (): string[] | undefined => {
    const negated = source[i] === "^";
    if (negated) i++;
    const chars: string[] = [];
    while (i < source.length && source[i] !== "]") {
      let c = source[i++]!;
      let set: string[];
      if (c === "\\") {
        c = source[i++] ?? "";
        set = escapeChars(c);
      } else if (source[i] === "-" && source[i + 1] !== undefined && source[i + 1] !== "]") {
        const to = source[i + 1]!;
        i += 2;
        set = range(c, to);
      } else set = [c];
      chars.push(...set);
    }
    i++; // "]"
    if (!negated) return chars.length ? chars : undefined;
    const pool = ["a", "x", "A", "0", "_", "-", " "].filter((c) => !chars.includes(c));
    return pool.length ? pool : undefined;
  };

  const parseSeq = (): string | undefined => {
    let out = "";
    while (i < source.length && source[i] !== ")" && source[i] !== "|") {
      const c = source[i++]!;
      let atom: (() => string | undefined) | undefined;
      if (c === "^" || c === "$") continue;
      if (c === "(") {
        if (source.startsWith("?:", i)) i += 2;
        else if (source[i] === "?") return undefined; // lookarounds, named groups
        const start = i;
        const first = parseAlt();
        if (first === undefined || source[i] !== ")") return undefined;
        i++;
        const end = i;
        atom = () => {
          const save = i;
          i = start;
          const v = parseAlt();
          i = Math.max(save, end);
          return v;
        };
      } else if (c === "[") {
        const chars = parseClass();
        if (!chars) return undefined;
        const choice = pick(chars);
        atom = () => choice;
      } else if (c === "\\") {
        const e = source[i++];
        if (e === undefined || /[bBkpPu0-9]/.test(e)) return undefined;
        const choice = pick(escapeChars(e));
        atom = () => choice;
      } else if (c === ".") atom = () => "a";
      else if ("*+?{".includes(c)) return undefined;
      else atom = () => c;
      let min = 1;
      let max = 1;
      const q = source[i];
      if (q === "?" || q === "*") {
        min = 0;
        i++;
      } else if (q === "+") {
        i++;
      } else if (q === "{") {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
        if (!m) return undefined;
        min = Number(m[1]);
        max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
        i += m[0].length;
      }
      if (source[i] === "?" || source[i] === "+") i++; // lazy / possessive
      void max;
      if (min > MAX_PATTERN_STRING) return undefined;
      for (let k = 0; k < min; k++) {
        if (++steps > MAX_STEPS) return undefined;
        const v = atom();
        if (v === undefined) return undefined;
        out += v;
        if (out.length > MAX_PATTERN_STRING) return undefined;
      }
    }
    return out;
  };

  const parseAlt = (): string | undefined => {
    const first = parseSeq();
    // Skip the other alternatives, keeping nesting straight.
    while (source[i] === "|") {
      i++;
      let depth = 0;
      while (i < source.length && !(depth === 0 && (source[i] === ")" || source[i] === "|"))) {
        if (source[i] === "\\") i++;
        else if (source[i] === "(") depth++;
        else if (source[i] === ")") depth--;
        i++;
      }
    }
    return first;
  };

  const result = parseAlt();
  return i >= source.length ? result : undefined;
}
