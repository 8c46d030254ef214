import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { MAX_PATTERN_STRING, stringForPattern } from "./pattern-sample";
import { MAX_ITEMS, SchemaSampleError, sampleFromSchema } from "./schema-sample";

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

function expectValid(schema: Record<string, unknown>, value: unknown) {
  const validate = ajv.compile(schema);
  const ok = validate(value);
  expect(validate.errors ?? [], JSON.stringify(value)).toEqual([]);
  expect(ok).toBe(true);
}

const weather = {
  type: "object",
  properties: {
    city: { type: "string", description: "City name" },
    unit: { type: "string", enum: ["celsius", "fahrenheit"] },
    days: { type: "integer", minimum: 1, maximum: 7 },
  },
  required: ["city", "unit"],
  additionalProperties: false,
};

const order = {
  type: "object",
  properties: {
    customer: {
      type: "object",
      properties: {
        name: { type: "string", minLength: 2, maxLength: 40 },
        email: { type: "string", format: "email" },
        vip: { type: "boolean" },
      },
      required: ["name", "email", "vip"],
      additionalProperties: false,
    },
    items: {
      type: "array",
      minItems: 2,
      maxItems: 5,
      uniqueItems: true,
      items: {
        type: "object",
        properties: {
          sku: { type: "string", pattern: "^[A-Za-z0-9_-]+$" },
          quantity: { type: "integer", minimum: 1, maximum: 10 },
          size: { type: "string", enum: ["S", "M", "L"] },
          price: { type: "number", exclusiveMinimum: 0, multipleOf: 0.01 },
        },
        required: ["sku", "quantity", "size", "price"],
        additionalProperties: false,
      },
    },
    delivery: { type: "string", format: "date" },
    when: { type: "string", format: "date-time" },
    site: { type: "string", format: "uri" },
    id: { type: "string", format: "uuid" },
    priority: { type: ["integer", "null"], minimum: -3, maximum: -1 },
    tags: { type: "array", items: { type: "string" }, minItems: 3, uniqueItems: true },
  },
  required: ["customer", "items", "delivery", "when", "site", "id", "priority", "tags"],
  additionalProperties: false,
};

describe("sampleFromSchema", () => {
  it("fills a flat schema from the message: place, enum value, number near its key", () => {
    const v = sampleFromSchema(weather, {
      text: "What's the weather in Paris for the next 3 days, in Fahrenheit?",
    });
    expectValid(weather, v);
    expect(v).toEqual({ city: "Paris", unit: "fahrenheit", days: 3 });
  });

  it("uses sensible defaults when the message says nothing usable", () => {
    const v = sampleFromSchema(weather, { text: "weather please" }) as Record<string, unknown>;
    expectValid(weather, v);
    expect(typeof v.city).toBe("string");
    expect(v.unit).toBe("celsius");
  });

  it("validates nested objects, arrays of objects, enums, integer bounds and formats", () => {
    for (const text of [
      "",
      'Order for "Ada Lovelace" ada@example.org on 2025-03-14, quantity 4',
      "quantity 99 and price -5",
    ]) {
      const v = sampleFromSchema(order, { text }) as {
        customer: { name: string; email: string };
        items: { quantity: number }[];
        delivery: string;
      };
      expectValid(order, v);
      if (text.includes("Ada")) {
        expect(v.customer.name).toBe("Ada Lovelace");
        expect(v.customer.email).toBe("ada@example.org");
        expect(v.delivery).toBe("2025-03-14");
        expect(v.items[0]!.quantity).toBe(4);
      }
    }
  });

  it("clamps numbers from the message into the schema's bounds", () => {
    const schema = {
      type: "object",
      properties: { n: { type: "integer", minimum: 1, maximum: 10 } },
      required: ["n"],
    };
    expect(sampleFromSchema(schema, { text: "give me 500" })).toEqual({ n: 10 });
    expect(sampleFromSchema(schema, { text: "give me 0" })).toEqual({ n: 1 });
  });

  it("resolves $ref / $defs, allOf, anyOf and const", () => {
    const schema = {
      $defs: {
        point: {
          type: "object",
          properties: { x: { type: "number" }, y: { type: "number" } },
          required: ["x", "y"],
          additionalProperties: false,
        },
      },
      type: "object",
      properties: {
        from: { $ref: "#/$defs/point" },
        path: { type: "array", items: { $ref: "#/$defs/point" }, minItems: 1 },
        mode: { const: "fast" },
        meta: {
          allOf: [
            { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
            { properties: { b: { type: "integer", minimum: 5 } }, required: ["b"] },
          ],
        },
        either: { anyOf: [{ type: "null" }, { type: "string", minLength: 3 }] },
      },
      required: ["from", "path", "mode", "meta", "either"],
      additionalProperties: false,
    };
    const v = sampleFromSchema(schema, { text: "from 2 and 5" }) as {
      from: { x: number; y: number };
      mode: string;
    };
    expectValid(schema, v);
    expect(v.from).toEqual({ x: 2, y: 5 });
    expect(v.mode).toBe("fast");
  });

  it("includes optional properties the message mentions and skips the rest", () => {
    const schema = {
      type: "object",
      properties: { query: { type: "string" }, limit: { type: "integer" }, verbose: { type: "boolean" } },
      required: ["query"],
    };
    const v = sampleFromSchema(schema, { text: "search the docs, limit 5, verbose output" });
    expectValid(schema, v);
    expect(v).toEqual({ query: "search the docs, limit 5, verbose output", limit: 5, verbose: true });
    expect(sampleFromSchema(schema, { text: "search" })).toEqual({ query: "search" });
  });

  it("meets string patterns: a fitting word of the message first, else a string built from the pattern", () => {
    const schema = {
      type: "object",
      properties: {
        city: { type: "string", pattern: "^[A-Za-z ]+$" },
        from: { type: "string", pattern: "^[A-Z]{3}$" },
        to: { type: "string", pattern: "^[A-Z]{3}$" },
        zip: { type: "string", pattern: "^\\d{5}(-\\d{4})?$" },
        ref: { type: "string", pattern: "^ORD-\\d{6}$" },
        codes: {
          type: "array",
          items: { type: "string", pattern: "^#[0-9a-f]{6}$" },
          minItems: 3,
          uniqueItems: true,
        },
      },
      required: ["city", "from", "to", "zip", "ref", "codes"],
      additionalProperties: false,
    };
    const v = sampleFromSchema(schema, { text: "Convert 100 USD to EUR for zip 90210 in Boston" }) as Record<
      string,
      unknown
    >;
    expectValid(schema, v);
    expect(v).toMatchObject({ city: "Boston", from: "USD", to: "EUR", zip: "90210", ref: "ORD-000000" });
  });

  it("builds strings for simple regular expressions and gives up on the rest", () => {
    for (const p of [
      "^\\+?[0-9]{7,15}$",
      "^(foo|bar)-[0-9]{2}$",
      "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$",
      "^[a-z0-9_-]+$",
    ]) {
      const s = stringForPattern(p);
      expect(s !== undefined && new RegExp(p, "u").test(s), `${p} → ${s}`).toBe(true);
      expect(stringForPattern(p, 1)).not.toBe(s);
    }
    expect(stringForPattern("(?<=x)y")).toBeUndefined();
  });

  it("is deterministic", () => {
    const text = "Order for Bob bob@example.com";
    expect(JSON.stringify(sampleFromSchema(order, { text }))).toBe(
      JSON.stringify(sampleFromSchema(order, { text })),
    );
  });

  it("builds pattern strings up to the cap and no longer; nested repeats stop early", () => {
    expect(stringForPattern(`^a{${MAX_PATTERN_STRING}}$`)).toBe("a".repeat(MAX_PATTERN_STRING));
    expect(stringForPattern(`^a{${MAX_PATTERN_STRING + 1}}$`)).toBeUndefined();
    expect(stringForPattern("^(ab){600}$")).toBeUndefined();
    // 2^30 empty repeats: a step budget, not the output length, ends it.
    const start = performance.now();
    expect(stringForPattern(`^${"(".repeat(30)}a{0}${"){2}".repeat(30)}$`)).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(1_000);
  });

  it("reads draft-07 tuples (items as an array, additionalItems)", () => {
    const schema = { type: "array", items: [{ type: "integer" }, { type: "string", format: "date" }] };
    // (ajv's 2020 dialect, used above, no longer accepts this form; the sampler's own check does.)
    expect(sampleFromSchema(schema, { text: "on 2025-03-14" })).toEqual([1, "2025-03-14"]);
  });

  it("refuses, saying why, what it cannot make valid within its limits", () => {
    const refusals: [unknown, RegExp][] = [
      [{ type: "array", minItems: MAX_ITEMS + 1 }, /^\/: it asks for 65 items; .* at most 64\.$/],
      [
        { type: "object", properties: { s: { type: "string", minLength: 5000 } }, required: ["s"] },
        /^\/s: .*5,000 characters/,
      ],
      [
        { type: "string", pattern: "^[0-9]{3}$", maxLength: 2 },
        /matches the pattern "\^\[0-9\]\{3\}\$" with maxLength 2\.$/,
      ],
      [{ type: "number", minimum: 5, exclusiveMaximum: 5 }, /does not validate \(\/: /],
      [{ not: {} }, /does not validate/],
    ];
    for (const [schema, reason] of refusals) {
      let error: unknown;
      try {
        sampleFromSchema(schema);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(schema)).toBeInstanceOf(SchemaSampleError);
      const message = (error as Error).message;
      expect(message.startsWith("The scripted model cannot produce a value for this schema: ")).toBe(true);
      expect(message.slice(message.indexOf(": ") + 2), JSON.stringify(schema)).toMatch(reason);
    }
  });
});
