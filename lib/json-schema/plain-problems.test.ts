import { describe, expect, it } from "vitest";
import { Validator } from "@cfworker/json-schema";
import meta from "ajv/dist/refs/json-schema-draft-07.json";
import { describeSchemaProblems, schemaProblems } from "./plain-problems";

const validator = new Validator(meta as object, "7", false);
const problems = (schema: unknown) =>
  schemaProblems(validator, schema).map((p) => `${p.path.join("/")}: ${p.message}`);

describe("schemaProblems", () => {
  it("names every problem at its place, in the schema's order, without the meta-schema's words", () => {
    const found = problems({
      type: "object",
      properties: { city: { type: "strin" }, days: { type: "integer", minimum: "1" } },
      required: "city",
    });
    expect(found).toEqual([
      'properties/city/type: "strin" is not a JSON type. Use one of string, number, integer, boolean, object, array or null.',
      'properties/days/minimum: must be a number, not the text "1".',
      'required: must be a list of property names, such as ["city"], not one name.',
    ]);
    expect(found.join("\n")).not.toMatch(/subschema|Instance/);
  });

  it("explains a misplaced schema, a wrong list, and bad entries of a type list", () => {
    expect(
      problems({
        type: "object",
        properties: { unit: "string", tags: { type: "array", items: 3 }, mode: { enum: "fast" } },
      }),
    ).toEqual([
      'properties/unit: must be a schema (an object such as {"type": "string"}), not the text "string".',
      'properties/tags/items: must be a schema (an object such as {"type": "string"}), not the number 3.',
      'properties/mode/enum: must be a list of the allowed values, such as ["c", "f"], not the text "fast".',
    ]);
    expect(problems({ type: ["string", "text", 4] })).toEqual([
      'type: "text", 4 are not JSON types. Use string, number, integer, boolean, object, array or null.',
    ]);
  });

  it("lists every unknown keyword, with the one meant when it is close", () => {
    expect(
      problems({
        type: "object",
        propertys: {},
        city: { type: "string" },
        properties: { list: { type: "array", items: { type: "string", minLenght: 1 } } },
      }),
    ).toEqual([
      ': "propertys" is not a JSON Schema keyword (did you mean "properties"?).',
      ': "city" is not a JSON Schema keyword. To describe a property named "city", put it under "properties".',
      'properties/list/items: "minLenght" is not a JSON Schema keyword (did you mean "minLength"?).',
    ]);
  });

  it("finds nothing in valid schemas", () => {
    expect(
      problems({
        type: "object",
        properties: {
          unit: { type: "string", enum: ["c", "f"], description: "Unit" },
          n: { type: ["integer", "null"], minimum: 0 },
          list: { type: "array", items: [{ type: "string" }], minItems: 1 },
        },
        required: ["unit"],
        additionalProperties: false,
        $defs: { x: { anyOf: [{ type: "string" }, { const: 1 }] } },
      }),
    ).toEqual([]);
  });

  it("reads out as a count and one line per problem", () => {
    const text = describeSchemaProblems(
      '"parameters"',
      schemaProblems(validator, { type: "object", properties: { a: { type: "strin" } }, required: "a" }),
    );
    expect(text?.split("\n")).toEqual([
      '"parameters" is not a valid JSON Schema (2 problems):',
      '• properties › a › type: "strin" is not a JSON type. Use one of string, number, integer, boolean, object, array or null.',
      '• required: must be a list of property names, such as ["a"], not one name.',
    ]);
    expect(describeSchemaProblems("x", [])).toBeNull();
  });
});
