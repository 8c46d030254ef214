/**
 * Synthesises a value that validates against a JSON Schema (the subset function tools and
 * `json_schema` response formats use: types, nested objects and arrays, enum/const, required,
 * bounds, lengths, common formats, $ref, anyOf/oneOf/allOf), filling it from a message where the
 * message says something usable: a city for `city`, a number near `days`, an enum value it names.
 * Deterministic: the same schema and text give the same value.
 */
import { stringForPattern } from "./pattern-sample";
import { numbersIn, properNouns, quotedStrings, stem, words, type NumberMention } from "./text";

type Schema = Record<string, unknown>;

export interface SampleOptions {
  /** The message to take values from. */
  text?: string;
  /** Values to prefer for property names (exact key match), e.g. from a previous answer. */
  known?: Record<string, unknown>;
}

const MAX_DEPTH = 12;

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

  constructor(
    private readonly root: unknown,
    private readonly text: string,
    private readonly known: Record<string, unknown>,
  ) {
    this.numbers = numbersIn(text);
    // Capitalised words the schema itself lists (enum values such as "Celsius") are not names.
    const schemaText = JSON.stringify(root ?? {}).toLowerCase();
    this.names = properNouns(text).filter((n) => !schemaText.includes(`"${n.toLowerCase()}"`));
    this.quoted = quotedStrings(text);
    this.lowerText = text.toLowerCase();
    this.textStems = new Set(words(text).map(stem));
  }

  sample(schema: unknown, key: string, variant: number, depth: number): unknown {
    if (schema === true || schema === undefined) return this.stringFor({}, key, variant);
    if (!isObject(schema)) return null;
    if (depth > MAX_DEPTH) return this.minimal(schema);

    if (typeof schema.$ref === "string") {
      const target = this.resolve(schema.$ref);
      const { $ref: _ignored, ...rest } = schema;
      void _ignored;
      return this.sample(
        Object.keys(rest).length ? { ...(target ?? {}), ...rest } : target,
        key,
        variant,
        depth + 1,
      );
    }
    if ("const" in schema) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length > 0)
      return this.pickEnum(schema.enum, schema.default, variant);
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0)
      return this.sample(this.mergeAll(schema), key, variant, depth + 1);
    const branches = (
      Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null
    ) as unknown[] | null;
    if (branches && branches.length > 0) {
      const { anyOf: _a, oneOf: _o, ...base } = schema;
      void _a;
      void _o;
      const chosen = branches.find((b) => !(isObject(b) && b.type === "null")) ?? branches[0];
      return this.sample(isObject(chosen) ? { ...base, ...chosen } : chosen, key, variant, depth + 1);
    }

    const type = this.typeOf(schema);
    if (key in this.known && variant === 0) {
      const v = this.known[key];
      if (this.fitsType(v, type)) return v;
    }
    switch (type) {
      case "object":
        return this.object(schema, depth, variant);
      case "array":
        return this.array(schema, key, depth);
      case "integer":
      case "number":
        return this.number(schema, key, type === "integer", variant);
      case "boolean":
        return typeof schema.default === "boolean" ? schema.default : this.mentions(key);
      case "null":
        return null;
      default:
        return this.stringFor(schema, key, variant);
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
      (v) =>
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

  private object(schema: Schema, depth: number, variant: number): Record<string, unknown> {
    const props = isObject(schema.properties) ? schema.properties : {};
    const required = new Set(
      Array.isArray(schema.required) ? (schema.required as unknown[]).map(String) : [],
    );
    const out: Record<string, unknown> = {};
    const optional: string[] = [];
    for (const k of Object.keys(props)) {
      if (required.has(k)) out[k] = this.sample(props[k], k, variant, depth + 1);
      else optional.push(k);
    }
    const minProps = typeof schema.minProperties === "number" ? schema.minProperties : 0;
    for (const k of optional) {
      const s = props[k];
      const enumHit =
        isObject(s) &&
        Array.isArray(s.enum) &&
        s.enum.some((v) => typeof v === "string" && this.lowerText.includes(v.toLowerCase()));
      if (this.mentions(k) || enumHit || k in this.known || Object.keys(out).length < minProps)
        out[k] = this.sample(s, k, variant, depth + 1);
    }
    // Required names without a property schema still need a value.
    for (const k of required) if (!(k in out)) out[k] = this.stringFor({}, k, 0);
    return out;
  }

  private array(schema: Schema, key: string, depth: number): unknown[] {
    const min = typeof schema.minItems === "number" ? schema.minItems : 0;
    const max = typeof schema.maxItems === "number" ? schema.maxItems : Infinity;
    const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as unknown[]) : [];
    const count = Math.min(max, Math.max(min, prefix.length, 1));
    const items: unknown[] = [];
    const singular = key.endsWith("s") ? key.slice(0, -1) : key;
    for (let i = 0; i < count; i++) {
      const itemSchema = i < prefix.length ? prefix[i] : (schema.items ?? {});
      let value = this.sample(itemSchema, singular, i, depth + 1);
      if (schema.uniqueItems) {
        for (let v = i + 1; items.some((x) => sameJson(x, value)) && v < i + 50; v++)
          value = this.sample(itemSchema, singular, v, depth + 1);
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

  private stringFor(schema: Schema, key: string, variant: number): string {
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
      const token = this.text
        .split(/[\s,;()"“”]+/)
        .find((w) => w && !this.usedTokens.has(w) && pattern.test(w));
      if (token && variant === 0) {
        this.usedTokens.add(token);
        candidates.splice(hinted, 0, token);
      }
      const generated = stringForPattern(schema.pattern, variant);
      if (generated !== undefined) candidates.push(generated);
    }
    candidates.push(placeholder, "a", "A", "0", "example", "ABC", "abc123");

    const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
    const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
    const fits = (v: string | undefined): v is string => v !== undefined && (!pattern || pattern.test(v));
    for (const c of candidates) {
      const fitted = fitLength(c, minLength, maxLength, format === undefined);
      if (!fits(fitted)) continue;
      if (variant === 0 || format || c === placeholder) return fitted;
      // Array items must be able to differ (uniqueItems): vary the value when the schema allows it.
      const varied = fitLength(`${fitted}_${variant + 1}`, minLength, maxLength, false);
      return fits(varied) ? varied : fitted;
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

/** A value for `schema`, filled from `options.text` where it can be. */
export function sampleFromSchema(schema: unknown, options: SampleOptions = {}): unknown {
  const sampler = new Sampler(schema, options.text ?? "", options.known ?? {});
  return sampler.sample(schema ?? { type: "object" }, "", 0, 0);
}
