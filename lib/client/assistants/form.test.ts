import { describe, expect, it } from "vitest";
import {
  countTools,
  emptyForm,
  formFromAssistant,
  parseFunction,
  toRequestBody,
  unsentSettings,
  validateForm,
  type AssistantFormValues,
  type AssistantLike,
} from "./form";
import { checkJsonSchema } from "./json-schema";

const V2 = "2024-05-01-preview";
const V1 = "2024-02-15-preview";
const LATEST = "2025-01-01-preview";
const form = (over: Partial<AssistantFormValues> = {}): AssistantFormValues => ({ ...emptyForm(), ...over });
const fn = (value: unknown) => ({
  key: "f1",
  json: typeof value === "string" ? value : JSON.stringify(value),
});

describe("validateForm", () => {
  it("accepts the empty form with a deployment", () => {
    expect(validateForm(form(), V2)).toEqual({});
  });

  it("enforces name, description, instructions per generation and model", () => {
    const e = validateForm(
      form({
        name: "n".repeat(257),
        description: "d".repeat(513),
        instructions: "i".repeat(32_769),
        model: " ",
      }),
      V1,
    );
    expect(e.name).toBe("Name is 257 characters; the limit is 256.");
    expect(e.description).toBe("Description is 513 characters; the limit is 512.");
    expect(e.instructions).toContain("the limit on v1 api-versions (2024-02-15-preview) is 32,768");
    expect(e.model).toContain("Deployment is required");
    expect(validateForm(form({ instructions: "i".repeat(32_769) }), V2).instructions).toBeUndefined();
    expect(validateForm(form({ instructions: "i".repeat(256_001) }), V2).instructions).toContain("256,000");
  });

  it("checks temperature and top_p ranges and number syntax", () => {
    expect(validateForm(form({ temperature: "2.5" }), V2).temperature).toBe(
      "Temperature must be between 0 and 2; 2.5 is out of range.",
    );
    expect(validateForm(form({ temperature: "abc" }), V2).temperature).toBe(
      "Temperature must be a number from 0 to 2.",
    );
    expect(validateForm(form({ topP: "-0.1" }), V2).topP).toContain("between 0 and 1");
    expect(validateForm(form({ temperature: "0.7", topP: "1" }), V2)).toEqual({});
  });

  it("checks metadata count, key and value lengths and duplicates", () => {
    const many = Array.from({ length: 17 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect(validateForm(form({ metadata: many }), V2).metadata).toBe(
      "Metadata holds at most 16 keys; there are 17.",
    );
    const e = validateForm(
      form({
        metadata: [
          { key: "k".repeat(65), value: "v".repeat(513) },
          { key: "a", value: "" },
          { key: "a", value: "" },
          { key: "", value: "x" },
        ],
      }),
      V2,
    );
    expect(e["metadata.0.key"]).toBe("Key is 65 characters; the limit is 64.");
    expect(e["metadata.0.value"]).toBe("Value is 513 characters; the limit is 512.");
    expect(e["metadata.2.key"]).toBe('Key "a" is used twice.');
    expect(e["metadata.3.key"]).toContain("Key is required");
  });

  it("checks functions: JSON, name pattern, parameters type, unique names, strict by version", () => {
    expect(validateForm(form({ functions: [fn("{ nope")] }), V2)["function.f1"]).toMatch(/^Not valid JSON/);
    expect(validateForm(form({ functions: [fn({ name: "get weather" })] }), V2)["function.f1"]).toContain(
      "is not allowed: use 1–64 letters, digits, _ or -",
    );
    expect(validateForm(form({ functions: [fn({ name: "a".repeat(65) })] }), V2)["function.f1"]).toContain(
      "not allowed",
    );
    expect(
      validateForm(form({ functions: [fn({ name: "f", parameters: [] })] }), V2)["function.f1"],
    ).toContain('"parameters" must be a JSON Schema object');
    expect(
      validateForm(form({ functions: [fn({ name: "f", parameters: { type: "string" } })] }), V2)[
        "function.f1"
      ],
    ).toContain("must describe an object");
    expect(validateForm(form({ functions: [fn({ name: "f", strict: true })] }), V2)["function.f1"]).toContain(
      '"strict" needs api-version 2024-08-01-preview or later',
    );
    const loose = {
      name: "f",
      strict: true,
      parameters: { type: "object", properties: { a: { type: "string" } } },
    };
    expect(validateForm(form({ functions: [fn(loose)] }), LATEST)["function.f1"]).toContain(
      '"additionalProperties": false',
    );
    const strict = {
      ...loose,
      parameters: { ...loose.parameters, required: ["a"], additionalProperties: false },
    };
    expect(validateForm(form({ functions: [fn(strict)] }), LATEST)).toEqual({});
    const dupe = validateForm(
      form({ functions: [fn({ name: "f" }), { key: "f2", json: '{"name":"f"}' }] }),
      V2,
    );
    expect(dupe["function.f2"]).toContain("already named");
  });

  it("limits tools to 128 and code interpreter files to 20, one vector store", () => {
    const functions = Array.from({ length: 128 }, (_, i) => ({
      key: `f${i}`,
      json: JSON.stringify({ name: `f${i}` }),
    }));
    expect(validateForm(form({ functions, codeInterpreter: true }), V2).tools).toBe(
      "An assistant has at most 128 tools; this one has 129.",
    );
    const ids = Array.from({ length: 21 }, (_, i) => `file-${i}`);
    expect(validateForm(form({ codeInterpreterFileIds: ids }), V2).codeInterpreterFileIds).toContain(
      "at most 20 files",
    );
    expect(validateForm(form({ codeInterpreterFileIds: ids }), V1).codeInterpreterFileIds).toContain(
      "file_ids",
    );
    expect(validateForm(form({ vectorStoreIds: ["vs_1", "vs_2"] }), V2).vectorStoreIds).toContain(
      "at most 1 vector store",
    );
  });

  it("checks json_schema: version, name, schema JSON and strict rules", () => {
    const base = {
      responseFormat: "json_schema" as const,
      jsonSchemaName: "answer",
      jsonSchema: '{"type":"object"}',
    };
    expect(validateForm(form(base), V2).responseFormat).toContain(
      "json_schema needs api-version 2024-08-01-preview",
    );
    expect(validateForm(form(base), LATEST)).toEqual({});
    expect(validateForm(form({ ...base, jsonSchemaName: "" }), LATEST).jsonSchemaName).toContain(
      "Schema name is required",
    );
    expect(validateForm(form({ ...base, jsonSchema: "[1]" }), LATEST).jsonSchema).toBe(
      "Schema must be a JSON object ({ … }).",
    );
    expect(validateForm(form({ ...base, jsonSchemaStrict: true }), LATEST).jsonSchema).toContain(
      "additionalProperties",
    );
  });
});

describe("JSON Schema check (draft-07 meta-schema, strict, no eval)", () => {
  it("rejects invalid schemas with the reason and accepts valid ones", async () => {
    expect(await checkJsonSchema({ type: "object", properties: { a: { type: "strin" } } })).toContain(
      "is not a valid JSON Schema",
    );
    expect(await checkJsonSchema({ type: "object", propertys: {} })).toContain(
      '"propertys" is not a JSON Schema keyword (did you mean "properties"?)',
    );
    expect(await checkJsonSchema({ type: "object", properties: { a: { type: "string" } } })).toBeNull();
    // Typos deep inside are found, with where they are.
    expect(
      await checkJsonSchema({
        type: "object",
        properties: { list: { type: "array", items: { type: "string", minLenght: 1 } } },
      }),
    ).toContain('• properties › list › items: "minLenght" is not a JSON Schema keyword');
    expect(await checkJsonSchema({ type: "object", required: "city" })).toContain("• required: ");
    expect(await checkJsonSchema([1, 2])).toBe("parameters must be a JSON Schema object.");
    // What the builder's examples and OpenAI's docs use stays valid.
    expect(
      await checkJsonSchema({
        type: "object",
        properties: {
          unit: { type: "string", enum: ["c", "f"], description: "Unit" },
          n: { type: ["integer", "null"] },
        },
        required: ["unit"],
        additionalProperties: false,
        $defs: { x: { anyOf: [{ type: "string" }, { const: 1 }] } },
      }),
    ).toBeNull();
  });

  it("never evaluates code: it works where eval is forbidden (the app's CSP)", async () => {
    const original = globalThis.Function;
    // Any `new Function(...)` / `Function(...)` during the check would throw.
    globalThis.Function = new Proxy(original, {
      construct() {
        throw new EvalError("eval forbidden by CSP");
      },
      apply() {
        throw new EvalError("eval forbidden by CSP");
      },
    });
    try {
      expect(await checkJsonSchema({ type: "object", properties: { a: { type: "strin" } } })).toContain(
        "properties › a › type",
      );
      expect(
        await checkJsonSchema({ type: "object", properties: { a: { type: "number", minimum: 0 } } }),
      ).toBeNull();
    } finally {
      globalThis.Function = original;
    }
  });
});

describe("request bodies per generation", () => {
  const values = form({
    name: "Tutor",
    instructions: "Be kind.",
    codeInterpreter: true,
    fileSearch: true,
    codeInterpreterFileIds: ["file-1"],
    vectorStoreIds: ["vs_1"],
    temperature: "0.5",
    functions: [fn({ name: "get_weather", parameters: { type: "object", properties: {} } })],
    metadata: [{ key: "team", value: "math" }],
  });

  it("builds a v2 body with tool_resources and sampling", () => {
    expect(toRequestBody(values, V2)).toEqual({
      model: "gpt-4o",
      name: "Tutor",
      description: null,
      instructions: "Be kind.",
      tools: [
        { type: "code_interpreter" },
        { type: "file_search" },
        {
          type: "function",
          function: { name: "get_weather", parameters: { type: "object", properties: {} } },
        },
      ],
      metadata: { team: "math" },
      tool_resources: {
        code_interpreter: { file_ids: ["file-1"] },
        file_search: { vector_store_ids: ["vs_1"] },
      },
      temperature: 0.5,
      top_p: 1,
      response_format: "auto",
    });
  });

  it("builds a v1 body with file_ids, file search as retrieval and no v2-only fields, and says what it keeps unsent", () => {
    const body = toRequestBody(values, V1);
    expect(body).toEqual({
      model: "gpt-4o",
      name: "Tutor",
      description: null,
      instructions: "Be kind.",
      tools: [
        { type: "code_interpreter" },
        { type: "retrieval" },
        {
          type: "function",
          function: { name: "get_weather", parameters: { type: "object", properties: {} } },
        },
      ],
      metadata: { team: "math" },
      file_ids: ["file-1"],
    });
    expect(unsentSettings(values, V1)).toEqual(["Vector store", "Temperature"]);
    expect(unsentSettings(values, V2)).toEqual([]);
  });

  it("offers retrieval on every v1 api-version: it counts as a tool, its v2 options stay unsent", () => {
    const retrieval = form({ fileSearch: true, fileSearchOptions: { max_num_results: 5 } });
    for (const v1 of [V1, "2024-03-01-preview", "2024-04-01-preview"]) {
      expect(toRequestBody(retrieval, v1).tools).toEqual([{ type: "retrieval" }]);
      expect(unsentSettings(retrieval, v1)).toEqual(["File search options"]);
    }
    expect(toRequestBody(retrieval, V2).tools).toEqual([
      { type: "file_search", file_search: { max_num_results: 5 } },
    ]);
    expect(countTools(retrieval)).toBe(1);
    expect(countTools(form({ fileSearch: false }))).toBe(0);
    // An assistant read back on v1 (tools: retrieval) opens with the switch on.
    expect(
      formFromAssistant({
        model: "gpt-4",
        tools: [{ type: "retrieval" }],
        file_ids: ["f"],
      } as unknown as AssistantLike).fileSearch,
    ).toBe(true);
  });

  it("round-trips an assistant through the form", () => {
    const assistant = {
      id: "asst_1",
      model: "gpt-4o-mini",
      name: "A",
      description: "d",
      instructions: "i",
      tools: [
        { type: "file_search", file_search: { max_num_results: 5 } },
        {
          type: "function",
          function: {
            name: "f",
            strict: true,
            parameters: { type: "object", properties: {}, required: [], additionalProperties: false },
          },
        },
      ],
      tool_resources: { file_search: { vector_store_ids: ["vs_9"] } },
      metadata: { a: "b" },
      temperature: 0.2,
      top_p: 1,
      response_format: {
        type: "json_schema",
        json_schema: { name: "out", schema: { type: "object" }, strict: false },
      },
    };
    const f = formFromAssistant(assistant as never);
    expect(f.temperature).toBe("0.2");
    expect(f.topP).toBe("");
    expect(f.responseFormat).toBe("json_schema");
    const body = toRequestBody(f, LATEST);
    expect(body.tools).toEqual(assistant.tools);
    expect(body.response_format).toEqual(assistant.response_format);
    expect(body.tool_resources).toEqual({ file_search: { vector_store_ids: ["vs_9"] } });
    // v1 assistants carry file_ids at the top level.
    expect(
      formFromAssistant({ model: "m", file_ids: ["file-a"], tools: [] } as never).codeInterpreterFileIds,
    ).toEqual(["file-a"]);
  });
});

describe("parseFunction", () => {
  it("rejects unknown keys and a non-boolean strict", () => {
    expect(parseFunction('{"name":"f","parms":{}}', V2)).toEqual({
      ok: false,
      error: 'Unknown key "parms": a function has name, description, parameters and strict.',
    });
    expect(parseFunction('{"name":"f","strict":"yes"}', LATEST)).toMatchObject({
      ok: false,
      error: '"strict" must be true or false.',
    });
  });
});
