/**
 * Synthesises a value that validates against a JSON Schema (the subset function tools and
 * `json_schema` response formats use: types, nested objects and arrays, enum/const, required,
 * bounds, lengths, common formats, $ref, anyOf/oneOf/allOf), filling it from a message where the
 * message says something usable: a city for `city`, a number near `days`, an enum value it names.
 * Deterministic: the same schema and text give the same value.
 *
 * The schema and the message are the user's, so everything here is bounded (README.md, "Limits"):
 * sizes are capped, every user `pattern` runs under a time budget on short strings only, and the
 * finished value is checked against the schema. What cannot be met within the caps is refused
 * with a SchemaSampleError saying why, never answered with a value that does not validate.
 */
import { Validator } from "@cfworker/json-schema";
import { deepestError } from "../../../json-schema/meta-schema";
import { cpuMs, withinCpu, type Bounded } from "./budget";
import { MAX_PATTERN_STRING, stringForPattern } from "./pattern-sample";
import { numbersIn, properNouns, quotedStrings, stem, words, type NumberMention } from "./text";

type Schema = Record<string, unknown>;

export interface SampleOptions {
  /** The message to take values from. */
  text?: string;
  /** Values to prefer for property names (exact key match), e.g. from a previous answer. */
  known?: Record<string, unknown>;
}

const MAX_DEPTH = 12;
/** Items generated for one array (minItems, prefixItems). */
export const MAX_ITEMS = 64;
/** Characters in one generated string (minLength, patterns). */
export const MAX_STRING = MAX_PATTERN_STRING;
/** Values in one sample, and its JSON size: 64-wide arrays nested three deep are already 262,144. */
export const MAX_VALUES = 5_000;
export const MAX_OUTPUT_CHARS = 200_000;
/** How much of the message is mined for values (numbers, names, words that fit a pattern). */
const MAX_TEXT = 4_000;
/**
 * Why user patterns cannot hang the engine: a pattern only ever meets strings of at most
 * MAX_MATCH_INPUT characters (words of the message) or that the sampler built (MAX_STRING), and
 * each batch of matches runs under `within(PATTERN_MS)` (./budget.ts), a watchdog that stops even an
 * exponential backtrack. A pattern that runs out of time simply does not fit. The whole sample has
 * SAMPLE_MS, and all samples of one synchronous stretch (one turn planning its calls) TURN_MS.
 */
const MAX_MATCH_INPUT = 256;
const MAX_MATCH_WORDS = 200;
const PATTERN_MS = 50;
const SAMPLE_MS = 200;
const TURN_MS = 400;
/** Enum values looked for in the message (an enum may list thousands). */
const MAX_ENUM_SCAN = 1_000;

/** A schema the scripted model cannot produce a valid value for within its limits. */
export class SchemaSampleError extends Error {
  constructor(reason: string) {
    super(`The scripted model cannot produce a value for this schema: ${reason}`);
    this.name = "SchemaSampleError";
  }
}

const LOCATION_KEYS = new Set([
  "city",
  "location",
  "place",
  "town",
  "country",
  "region",
  "destination",
  "origin",
  "address",
  "state",
  "where",
  "area",
]);
const NAME_KEYS = new Set([
  "name",
  "title",
  "username",
  "user",
  "author",
  "person",
  "customer",
  "label",
  "recipient",
]);
const FREE_TEXT_KEYS = new Set([
  "query",
  "q",
  "search",
  "question",
  "prompt",
  "text",
  "message",
  "content",
  "body",
  "description",
  "topic",
  "keyword",
  "subject",
  "note",
  "comment",
  "summary",
  "term",
]);

const FORMAT_DEFAULTS: Record<string, string> = {
  date: "2024-01-01",
  "date-time": "2024-01-01T00:00:00Z",
  time: "12:00:00Z",
  email: "user@example.com",
  "idn-email": "user@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  "uri-reference": "https://example.com/",
  iri: "https://example.com/",
  hostname: "example.com",
  "idn-hostname": "example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  uuid: "00000000-0000-4000-8000-000000000000",
  duration: "P1D",
  regex: ".*",
  "json-pointer": "/a",
};

function isObject(v: unknown): v is Schema {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function keyWords(key: string): string[] {
  return words(key).map(stem);
}

class Sampler {
  private readonly numbers: NumberMention[];
  private readonly usedNumbers = new Set<number>();
  private readonly names: string[];
  private usedNames = 0;
  private readonly quoted: string[];
  private usedQuoted = 0;
  private readonly usedTokens = new Set<string>();
  private readonly lowerText: string;
  private readonly textStems: Set<string>;
  private readonly text: string;
  private matchWords: string[] | undefined;
  /** Patterns that ran out of time on the message's words: not tried on them again. */
  private readonly slowPatterns = new Set<string>();
  private values = 0;
  private chars = 0;
  /** Where the value was cut at MAX_DEPTH (a recursive schema), if it was. */
  cutAt: string | undefined;

  constructor(
    private readonly root: unknown,
    fullText: string,
    private readonly known: Record<string, unknown>,
    private readonly deadline: Deadline,
  ) {
    const text = fullText.length > MAX_TEXT ? fullText.slice(0, MAX_TEXT) : fullText;
    this.text = text;
    this.numbers = numbersIn(text);
    // Capitalised words the schema itself lists (enum values such as "Celsius") are not names.
    const schemaText = JSON.stringify(root ?? {}).toLowerCase();
    this.names = properNouns(text).filter((n) => !schemaText.includes(`"${n.toLowerCase()}"`));
    this.quoted = quotedStrings(text);
    this.lowerText = text.toLowerCase();
    this.textStems = new Set(words(text).map(stem));
  }

  /** Counts a value against MAX_VALUES and MAX_OUTPUT_CHARS (`size`: its JSON length, roughly). */
  private charge(size: number): void {
    this.values++;
    this.chars += size;
    if (this.values > MAX_VALUES || this.chars > MAX_OUTPUT_CHARS)
      throw new SchemaSampleError(
        `the value would be larger than the scripted model makes (at most ${MAX_VALUES.toLocaleString("en-US")} values and ${MAX_OUTPUT_CHARS.toLocaleString("en-US")} characters of JSON).`,
      );
  }

  /** A value taken as it is (const, enum, default, known), charged at its JSON size. */
  private given(v: unknown): unknown {
    this.charge(jsonSize(v));
    return v;
  }

  sample(schema: unknown, key: string, variant: number, depth: number, at: string): unknown {
    this.deadline.check();
    if (schema === true || schema === undefined) return this.stringFor({}, key, variant, at);
    if (!isObject(schema)) return this.given(null);
    if (depth > MAX_DEPTH) {
      this.cutAt ??= at || "/";
      return this.given(this.minimal(schema));
    }

    if (typeof schema.$ref === "string") {
      const target = this.resolve(schema.$ref);
      const { $ref: _ignored, ...rest } = schema;
      void _ignored;
      return this.sample(
        Object.keys(rest).length ? { ...(isObject(target) ? target : {}), ...rest } : target,
        key,
        variant,
        depth + 1,
        at,
      );
    }
    if ("const" in schema) return this.given(schema.const);
    if (Array.isArray(schema.enum) && schema.enum.length > 0)
      return this.given(this.pickEnum(schema.enum, schema.default, variant));
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0)
      return this.sample(this.mergeAll(schema), key, variant, depth + 1, at);
    const branches = (
      Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null
    ) as unknown[] | null;
    if (branches && branches.length > 0) {
      const { anyOf: _a, oneOf: _o, ...base } = schema;
      void _a;
      void _o;
      const chosen = branches.find((b) => !(isObject(b) && b.type === "null")) ?? branches[0];
      return this.sample(isObject(chosen) ? { ...base, ...chosen } : chosen, key, variant, depth + 1, at);
    }

    const type = this.typeOf(schema);
    if (Object.hasOwn(this.known, key) && variant === 0) {
      const v = this.known[key];
      if (this.fitsType(v, type)) return this.given(v);
    }
    switch (type) {
      case "object":
        this.charge(2);
        return this.object(schema, depth, variant, at);
      case "array":
        this.charge(2);
        return this.array(schema, key, depth, at);
      case "integer":
      case "number":
        return this.given(this.number(schema, key, type === "integer", variant));
      case "boolean":
        return this.given(typeof schema.default === "boolean" ? schema.default : this.mentions(key));
      case "null":
        return this.given(null);
      default:
        return this.stringFor(schema, key, variant, at);
    }
  }

  private fitsType(v: unknown, type: string): boolean {
    if (type === "integer") return Number.isInteger(v);
    if (type === "number") return typeof v === "number";
    if (type === "array") return Array.isArray(v);
    if (type === "object") return isObject(v);
    if (type === "null") return v === null;
    return typeof v === type;
  }

  private typeOf(schema: Schema): string {
    const t = schema.type;
    if (typeof t === "string") return t;
    if (Array.isArray(t)) return (t.find((x) => x !== "null") as string | undefined) ?? "null";
    if (isObject(schema.properties) || Array.isArray(schema.required)) return "object";
    if ("items" in schema || "prefixItems" in schema) return "array";
    if ("minimum" in schema || "maximum" in schema) return "number";
    return "string";
  }

  private minimal(schema: Schema): unknown {
    const type = this.typeOf(schema);
    if (type === "object") return {};
    if (type === "array") return [];
    if (type === "number" || type === "integer") return 0;
    if (type === "boolean") return false;
    if (type === "null") return null;
    return "";
  }

  private resolve(ref: string): unknown {
    if (!ref.startsWith("#")) return {};
    let node: unknown = this.root;
    for (const raw of ref.slice(1).split("/").filter(Boolean)) {
      const part = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      node = isObject(node) ? node[part] : undefined;
    }
    return node ?? {};
  }

  private mergeAll(schema: Schema): Schema {
    const { allOf, ...base } = schema;
    const merged: Schema = { ...base };
    const props: Schema = isObject(base.properties) ? { ...base.properties } : {};
    const required = new Set<string>(Array.isArray(base.required) ? (base.required as string[]) : []);
    for (const part of allOf as unknown[]) {
      const p = isObject(part) && typeof part.$ref === "string" ? this.resolve(part.$ref) : part;
      if (!isObject(p)) continue;
      for (const [k, v] of Object.entries(p)) {
        if (k === "properties" && isObject(v)) Object.assign(props, v);
        else if (k === "required" && Array.isArray(v)) v.forEach((r) => required.add(String(r)));
        else if (!(k in merged)) merged[k] = v;
      }
    }
    if (Object.keys(props).length) merged.properties = props;
    if (required.size) merged.required = [...required];
    return merged;
  }

  /** Whether the message mentions the key's words (for booleans and optional properties). */
  private mentions(key: string): boolean {
    const kw = keyWords(key).filter((w) => w.length > 2);
    return kw.length > 0 && kw.every((w) => this.textStems.has(w));
  }

  private pickEnum(values: unknown[], fallback: unknown, variant: number): unknown {
    const named = values.findIndex(
      (v, i) =>
        i < MAX_ENUM_SCAN &&
        typeof v === "string" &&
        v.length > 0 &&
        new RegExp(`\\b${escapeRegExp(v.toLowerCase())}\\b`).test(this.lowerText),
    );
    const base =
      named >= 0
        ? named
        : Math.max(
            0,
            values.findIndex((v) => v === fallback),
          );
    return values[(base + variant) % values.length];
  }

  private object(schema: Schema, depth: number, variant: number, at: string): Record<string, unknown> {
    const props = isObject(schema.properties) ? schema.properties : {};
    const required = new Set(
      Array.isArray(schema.required) ? (schema.required as unknown[]).map(String) : [],
    );
    const out: Record<string, unknown> = {};
    const optional: string[] = [];
    for (const k of Object.keys(props)) {
      if (required.has(k)) out[k] = this.sample(props[k], k, variant, depth + 1, `${at}/${pointer(k)}`);
      else optional.push(k);
    }
    const minProps = typeof schema.minProperties === "number" ? schema.minProperties : 0;
    for (const k of optional) {
      const s = props[k];
      const enumHit =
        isObject(s) &&
        Array.isArray(s.enum) &&
        s.enum.some(
          (v, i) => i < MAX_ENUM_SCAN && typeof v === "string" && this.lowerText.includes(v.toLowerCase()),
        );
      if (this.mentions(k) || enumHit || Object.hasOwn(this.known, k) || Object.keys(out).length < minProps)
        out[k] = this.sample(s, k, variant, depth + 1, `${at}/${pointer(k)}`);
    }
    // Required names without a property schema still need a value.
    for (const k of required)
      if (!Object.hasOwn(out, k)) out[k] = this.stringFor({}, k, 0, `${at}/${pointer(k)}`);
    for (const k of Object.keys(out)) this.charge(k.length + 4);
    return out;
  }

  private array(schema: Schema, key: string, depth: number, at: string): unknown[] {
    const min = typeof schema.minItems === "number" ? schema.minItems : 0;
    const max = typeof schema.maxItems === "number" ? schema.maxItems : Infinity;
    // Draft-07 tuples (`items: [...]`, then `additionalItems`) read like 2020-12's prefixItems.
    const tuple = Array.isArray(schema.items);
    const prefix = Array.isArray(schema.prefixItems)
      ? (schema.prefixItems as unknown[])
      : tuple
        ? (schema.items as unknown[])
        : [];
    const rest = tuple ? (schema.additionalItems ?? {}) : (schema.items ?? {});
    if (min > MAX_ITEMS || Math.min(prefix.length, max) > MAX_ITEMS)
      throw new SchemaSampleError(
        `${at || "/"}: it asks for ${Math.max(min, Math.min(prefix.length, max)).toLocaleString("en-US")} items; the scripted model makes arrays of at most ${MAX_ITEMS}.`,
      );
    const count = Math.max(0, Math.min(max, Math.max(min, prefix.length, 1)));
    const items: unknown[] = [];
    const singular = key.endsWith("s") ? key.slice(0, -1) : key;
    for (let i = 0; i < count; i++) {
      const itemSchema = i < prefix.length ? prefix[i] : rest;
      let value = this.sample(itemSchema, singular, i, depth + 1, `${at}/${i}`);
      if (schema.uniqueItems) {
        for (let v = i + 1; items.some((x) => sameJson(x, value)) && v < i + 50; v++)
          value = this.sample(itemSchema, singular, v, depth + 1, `${at}/${i}`);
      }
      items.push(value);
    }
    return items;
  }

  private number(schema: Schema, key: string, integer: boolean, variant: number): number {
    let lo = typeof schema.minimum === "number" ? schema.minimum : -Infinity;
    let hi = typeof schema.maximum === "number" ? schema.maximum : Infinity;
    const step = integer ? 1 : 0.5;
    if (typeof schema.exclusiveMinimum === "number")
      lo = Math.max(lo, schema.exclusiveMinimum + (integer ? 1 : step / 100));
    else if (schema.exclusiveMinimum === true && Number.isFinite(lo)) lo += integer ? 1 : step / 100;
    if (typeof schema.exclusiveMaximum === "number")
      hi = Math.min(hi, schema.exclusiveMaximum - (integer ? 1 : step / 100));
    else if (schema.exclusiveMaximum === true && Number.isFinite(hi)) hi -= integer ? 1 : step / 100;
    if (integer) {
      lo = Math.ceil(lo);
      hi = Math.floor(hi);
    }

    let value: number | undefined = variant === 0 ? this.numberFromText(key) : undefined;
    if (value === undefined && typeof schema.default === "number") value = schema.default;
    if (value === undefined && Array.isArray(schema.examples) && typeof schema.examples[0] === "number")
      value = schema.examples[0];
    if (value === undefined) value = Number.isFinite(lo) ? lo : Number.isFinite(hi) ? Math.min(hi, 1) : 1;
    value += variant;
    if (integer) value = Math.round(value);
    value = Math.min(hi, Math.max(lo, value));
    const multipleOf =
      typeof schema.multipleOf === "number" && schema.multipleOf > 0 ? schema.multipleOf : undefined;
    if (multipleOf) {
      let m = Math.round(value / multipleOf) * multipleOf;
      if (m < lo) m += multipleOf;
      if (m > hi) m -= multipleOf;
      value = Number(m.toPrecision(12));
    }
    return value;
  }

  /** A number the message puts next to the key ("3 days", "limit: 5"), else the next unused one. */
  private numberFromText(key: string): number | undefined {
    const kw = keyWords(key);
    const near = this.numbers.find((n) => {
      if (this.usedNumbers.has(n.index)) return false;
      const before = words(this.text.slice(Math.max(0, n.index - 24), n.index))
        .slice(-2)
        .map(stem);
      const after = words(this.text.slice(n.index + n.raw.length, n.index + n.raw.length + 24))
        .slice(0, 2)
        .map(stem);
      return [...before, ...after].some((w) => kw.includes(w));
    });
    const chosen = near ?? this.numbers.find((n) => !this.usedNumbers.has(n.index));
    if (!chosen) return undefined;
    this.usedNumbers.add(chosen.index);
    return chosen.value;
  }

  private stringFor(schema: Schema, key: string, variant: number, at: string): string {
    const value = this.buildString(schema, key, variant, at);
    this.charge(value.length + 2);
    return value;
  }

  /** The words of the message a user pattern may be tried on: short ones, a bounded number. */
  private wordsToMatch(): string[] {
    this.matchWords ??= [
      ...new Set(this.text.split(/[\s,;()"“”]+/).filter((w) => w && w.length <= MAX_MATCH_INPUT)),
    ].slice(0, MAX_MATCH_WORDS);
    return this.matchWords;
  }

  /**
   * The index of the first of `strings` that `pattern` accepts, or -1. One watchdog for the lot;
   * when it stops them, each string gets its own, so one slow string does not sink the others.
   * A string the pattern cannot decide in time does not fit.
   */
  private firstMatch(pattern: RegExp | undefined, strings: string[]): number {
    if (!pattern) return strings.length > 0 ? 0 : -1;
    const all = this.deadline.within(PATTERN_MS, () => strings.findIndex((s) => pattern.test(s)));
    if (all.ok) return all.value;
    return strings.findIndex((s) => {
      const one = this.deadline.within(PATTERN_MS, () => pattern.test(s));
      return one.ok && one.value;
    });
  }

  private buildString(schema: Schema, key: string, variant: number, at: string): string {
    const format = typeof schema.format === "string" ? schema.format : undefined;
    const kw = keyWords(key);
    const candidates: string[] = [];

    if (format) {
      const found = this.formatFromText(format);
      if (found) candidates.push(found);
      const d = FORMAT_DEFAULTS[format];
      if (d) candidates.push(d);
    } else if (kw.some((w) => LOCATION_KEYS.has(w))) {
      const name = this.names[this.usedNames];
      if (name && variant === 0) {
        this.usedNames++;
        candidates.push(name);
      }
      candidates.push(variant === 0 ? "Seattle" : ["Paris", "Tokyo", "London", "Sydney"][variant % 4]!);
    } else if (kw.some((w) => NAME_KEYS.has(w))) {
      const q = this.quoted[this.usedQuoted] ?? this.names[this.usedNames];
      if (q && variant === 0) {
        if (this.quoted[this.usedQuoted]) this.usedQuoted++;
        else this.usedNames++;
        candidates.push(q);
      }
    } else if (kw.some((w) => FREE_TEXT_KEYS.has(w))) {
      const q = this.quoted[this.usedQuoted];
      if (q && variant === 0) {
        this.usedQuoted++;
        candidates.push(q);
      } else if (this.text.trim() && variant === 0) {
        candidates.push(this.text.replace(/\s+/g, " ").trim().slice(0, 200));
      }
    } else if (kw.includes("email")) {
      candidates.push(this.formatFromText("email") ?? FORMAT_DEFAULTS.email!);
    } else if (kw.some((w) => w === "url" || w === "link" || w === "website" || w === "uri")) {
      candidates.push(this.formatFromText("uri") ?? FORMAT_DEFAULTS.uri!);
    } else if (kw.includes("date") || kw.includes("day")) {
      candidates.push(this.formatFromText("date") ?? FORMAT_DEFAULTS.date!);
    } else if (kw.includes("currency")) {
      candidates.push(
        /\b(USD|EUR|GBP|JPY|CHF|CAD|AUD|CNY|INR)\b/i.exec(this.text)?.[1]?.toUpperCase() ?? "USD",
      );
    } else if (kw.includes("unit")) {
      candidates.push(
        /\b(celsius|fahrenheit|metric|imperial|kelvin)\b/i.exec(this.text)?.[1]?.toLowerCase() ?? "metric",
      );
    } else if (kw.some((w) => w === "language" || w === "lang" || w === "locale")) {
      candidates.push("en");
    } else if (kw.some((w) => w === "timezone" || w === "tz")) {
      candidates.push("UTC");
    }
    const hinted = candidates.length;
    if (typeof schema.default === "string") candidates.push(schema.default);
    if (Array.isArray(schema.examples))
      for (const e of schema.examples) if (typeof e === "string") candidates.push(e);
    const placeholder = `${key || "value"}${variant > 0 ? `_${variant + 1}` : ""}`.replace(/[^\w-]/g, "_");
    const pattern = typeof schema.pattern === "string" ? safeRegExp(schema.pattern) : undefined;
    if (pattern && typeof schema.pattern === "string") {
      // A word of the message that fits ("90210" for a ZIP code), then a string built from the pattern.
      if (variant === 0 && !this.slowPatterns.has(schema.pattern)) {
        const words = this.wordsToMatch().filter((w) => !this.usedTokens.has(w));
        const found = this.deadline.within(PATTERN_MS, () => words.find((w) => pattern.test(w)));
        if (!found.ok) this.slowPatterns.add(schema.pattern);
        const token = found.ok ? found.value : undefined;
        if (token) {
          this.usedTokens.add(token);
          candidates.splice(hinted, 0, token);
        }
      }
      const generated = stringForPattern(schema.pattern, variant);
      if (generated !== undefined) candidates.push(generated);
    }
    candidates.push(placeholder, "a", "A", "0", "example", "ABC", "abc123");

    const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
    const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
    if (minLength > MAX_STRING)
      throw new SchemaSampleError(
        `${at || "/"}: it asks for a string of at least ${minLength.toLocaleString("en-US")} characters; the scripted model makes strings of at most ${MAX_STRING.toLocaleString("en-US")}.`,
      );
    const fitted: [candidate: string, value: string][] = [];
    for (const c of candidates) {
      const f = c.length > MAX_STRING ? undefined : fitLength(c, minLength, maxLength, format === undefined);
      if (f !== undefined) fitted.push([c, f]);
    }
    const chosen = this.firstMatch(
      pattern,
      fitted.map(([, f]) => f),
    );
    if (chosen >= 0) {
      const [c, value] = fitted[chosen]!;
      if (variant === 0 || format || c === placeholder) return value;
      // Array items must be able to differ (uniqueItems): vary the value when the schema allows it.
      const varied = fitLength(`${value}_${variant + 1}`, minLength, maxLength, false);
      return varied !== undefined && this.firstMatch(pattern, [varied]) === 0 ? varied : value;
    }
    if (pattern) {
      const lengths = [
        ...(minLength > 0 ? [`minLength ${minLength}`] : []),
        ...(maxLength < Infinity ? [`maxLength ${maxLength}`] : []),
      ];
      throw new SchemaSampleError(
        `${at || "/"}: no string the scripted model can build (at most ${MAX_STRING.toLocaleString("en-US")} characters, from simple regular expressions) matches the pattern ${JSON.stringify(clipText(String(schema.pattern), 80))}${lengths.length ? ` with ${lengths.join(" and ")}` : ""}.`,
      );
    }
    return fitLength(placeholder, minLength, maxLength, true) ?? placeholder;
  }

  private formatFromText(format: string): string | undefined {
    const t = this.text;
    switch (format) {
      case "date":
        return /\b\d{4}-\d{2}-\d{2}\b/.exec(t)?.[0];
      case "date-time": {
        const m = /\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?/.exec(t);
        if (!m) return undefined;
        const time = m[2] ? (m[2].length === 5 ? `${m[2]}:00` : m[2]) : "00:00:00";
        return `${m[1]}T${time}Z`;
      }
      case "email":
      case "idn-email":
        return /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(t)?.[0];
      case "uri":
      case "url":
      case "iri":
      case "uri-reference":
        return /https?:\/\/[^\s<>"')\]]+/.exec(t)?.[0];
      default:
        return undefined;
    }
  }
}

function fitLength(s: string, min: number, max: number, mayPad: boolean): string | undefined {
  let out = s;
  if ([...out].length > max) {
    if (!mayPad) return undefined;
    out = [...out].slice(0, max).join("");
  }
  if ([...out].length < min) {
    if (!mayPad) return undefined;
    out = out.padEnd(min, "x");
  }
  return out;
}

/** An RFC 6901 pointer segment. */
function pointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function clipText(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

const sizes = new WeakMap<object, number>();

/** The JSON length of a value the schema gives (const, enum, default), memoised per object. */
function jsonSize(v: unknown): number {
  if (typeof v === "string") return v.length + 2;
  if (typeof v !== "object" || v === null) return 8;
  let size = sizes.get(v);
  if (size === undefined) {
    size = (JSON.stringify(v) ?? "").length;
    sizes.set(v, size);
  }
  return size;
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return undefined;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** CPU time spent sampling in the current synchronous stretch; reset once the event loop turns. */
let stretchMs = 0;
let stretchResetQueued = false;

function spend(ms: number): void {
  stretchMs += ms;
  if (stretchResetQueued) return;
  stretchResetQueued = true;
  setImmediate(() => {
    stretchMs = 0;
    stretchResetQueued = false;
  });
}

/**
 * The CPU time one sample may take. The sampler checks it between values and gives each batch of
 * pattern matches what is left (at most PATTERN_MS); watchdogs are never nested, because an inner
 * one that fires can cancel the termination an outer one asked for.
 */
class Deadline {
  private readonly start = process.cpuUsage();

  constructor(private readonly ms: number) {}

  left(): number {
    return this.ms - cpuMs(this.start);
  }

  check(): void {
    if (this.left() < 1) throw this.exceeded();
  }

  exceeded(): SchemaSampleError {
    return new SchemaSampleError(
      `it took longer than ${Math.round(this.ms)} ms, the most the scripted model spends on one value.`,
    );
  }

  within<T>(ms: number, fn: () => T): Bounded<T> {
    this.check();
    return withinCpu(Math.min(ms, this.left()), fn);
  }
}

/**
 * A value for `schema` that validates against it, filled from `options.text` where it can be.
 * Throws SchemaSampleError when no such value fits the limits above (sizes, time).
 */
export function sampleFromSchema(schema: unknown, options: SampleOptions = {}): unknown {
  const root = schema ?? { type: "object" };
  const ms = Math.min(SAMPLE_MS, TURN_MS - stretchMs);
  if (ms < 1)
    throw new SchemaSampleError(
      `this turn already spent ${TURN_MS} ms on schemas, the most the scripted model spends in one go.`,
    );
  const start = process.cpuUsage();
  const deadline = new Deadline(ms);
  try {
    const sampler = new Sampler(root, options.text ?? "", options.known ?? {}, deadline);
    const value = sampler.sample(root, "", 0, 0, "");
    // The check runs the schema's patterns on the value: a watchdog bounds it too.
    const checked = deadline.within(Infinity, () => schemaProblem(root, value));
    if (!checked.ok) throw deadline.exceeded();
    if (checked.value)
      throw new SchemaSampleError(
        sampler.cutAt
          ? `${sampler.cutAt}: it nests deeper than the scripted model follows (${MAX_DEPTH} levels of properties, items and $refs).`
          : `${checked.value}.`,
      );
    return value;
  } finally {
    spend(cpuMs(start));
  }
}

const WRAPPER_KEYWORDS = new Set([
  "$ref",
  "$recursiveRef",
  "properties",
  "patternProperties",
  "items",
  "prefixItems",
  "allOf",
  "dependentSchemas",
]);

/** null when `value` validates against `schema`; else the most specific problem, in words. */
function schemaProblem(schema: unknown, value: unknown): string | null {
  if (!isObject(schema) && typeof schema !== "boolean") return null;
  try {
    const result = new Validator(schema as Schema, "2020-12", true).validate(value);
    if (result.valid) return null;
    // "A subschema had errors." and the like only wrap the error that says what is wrong.
    const specific = result.errors.filter((e) => !WRAPPER_KEYWORDS.has(e.keyword));
    return `the value it made does not validate (${deepestError(specific.length ? specific : result.errors)})`;
  } catch (e) {
    return `the value it made could not be checked against the schema (${clipText((e as Error).message, 200)})`;
  }
}
