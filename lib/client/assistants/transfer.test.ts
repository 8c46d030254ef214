import { describe, expect, it } from "vitest";
import { EXPORT_FORMAT, buildExport, exportFileName } from "./transfer";
import { ImportError, planImport } from "./import-plan";
import { diffBodies } from "./diff";

const assistant = {
  id: "asst_abc",
  object: "assistant",
  created_at: 1,
  name: "Weather bot",
  description: null,
  model: "gpt-4o",
  instructions: "Say the weather.",
  tools: [
    { type: "code_interpreter" },
    {
      type: "function",
      function: { name: "get_weather", description: "", parameters: { type: "object", properties: {} } },
    },
  ],
  tool_resources: { code_interpreter: { file_ids: ["file-1"] } },
  metadata: { team: "a" },
  temperature: 1,
  top_p: 1,
  response_format: "auto",
};

describe("export", () => {
  it("keeps the configuration and the source id, drops server fields", () => {
    const file = buildExport(
      [assistant],
      { connection: "local", apiVersion: "2024-05-01-preview" },
      new Date(0),
    );
    expect(file).toMatchObject({
      format: EXPORT_FORMAT,
      version: 1,
      connection: "local",
      exportedAt: "1970-01-01T00:00:00.000Z",
    });
    expect(file.assistants[0]).not.toHaveProperty("object");
    expect(file.assistants[0]).not.toHaveProperty("created_at");
    expect(file.assistants[0]).toMatchObject({ id: "asst_abc", name: "Weather bot", tools: assistant.tools });
    expect(exportFileName("local", [assistant])).toBe("assistant-weather-bot.json");
    expect(exportFileName("My Azure", [assistant, assistant])).toBe("assistants-my-azure-2.json");
  });
});

describe("import", () => {
  const text = JSON.stringify(
    buildExport([assistant, { ...assistant, id: "asst_2", name: "Second" }], {
      connection: "local",
      apiVersion: "2024-05-01-preview",
    }),
  );

  it("plans one creation per assistant, leaving out references unless kept", () => {
    const plan = planImport(text, "2024-05-01-preview", { keepReferences: false });
    expect(plan.source).toEqual({ connection: "local", apiVersion: "2024-05-01-preview" });
    expect(plan.items.map((i) => [i.name, i.sourceId, i.problems])).toEqual([
      ["Weather bot", "asst_abc", []],
      ["Second", "asst_2", []],
    ]);
    expect(plan.items[0]?.references).toEqual(["file-1"]);
    expect(plan.items[0]?.body?.tool_resources).toEqual({ code_interpreter: { file_ids: [] } });
    const kept = planImport(text, "2024-05-01-preview", { keepReferences: true });
    expect(kept.items[0]?.body?.tool_resources).toEqual({ code_interpreter: { file_ids: ["file-1"] } });
  });

  it("converts to the target generation (v1 gets file_ids)", () => {
    const plan = planImport(text, "2024-02-15-preview", { keepReferences: true });
    expect(plan.items[0]?.body).toMatchObject({ file_ids: ["file-1"] });
    expect(plan.items[0]?.body).not.toHaveProperty("tool_resources");
  });

  it("accepts a bare assistant object, an array and an API list page", () => {
    expect(
      planImport(JSON.stringify(assistant), "2024-05-01-preview", { keepReferences: false }).items,
    ).toHaveLength(1);
    expect(
      planImport(JSON.stringify([assistant, assistant]), "2024-05-01-preview", { keepReferences: false })
        .items,
    ).toHaveLength(2);
    expect(
      planImport(JSON.stringify({ object: "list", data: [assistant] }), "2024-05-01-preview", {
        keepReferences: false,
      }).items,
    ).toHaveLength(1);
  });

  it("reports items that cannot be created, and files that are not exports", () => {
    const plan = planImport(
      JSON.stringify([{ name: "no model" }, { ...assistant, name: "x".repeat(300) }]),
      "2024-05-01-preview",
      { keepReferences: false },
    );
    expect(plan.items[0]?.body).toBeNull();
    expect(plan.items[0]?.problems[0]).toContain("model");
    expect(plan.items[1]?.problems).toEqual(["Name is 300 characters; the limit is 256."]);
    expect(() => planImport("{nope", "2024-05-01-preview", { keepReferences: false })).toThrow(ImportError);
    expect(() =>
      planImport(JSON.stringify({ format: "other", assistants: [] }), "2024-05-01-preview", {
        keepReferences: false,
      }),
    ).toThrow(/not an assistants export/);
    expect(() => planImport("[]", "2024-05-01-preview", { keepReferences: false })).toThrow(
      "The file holds no assistants.",
    );
  });
});

describe("diffBodies", () => {
  it("names what changed, tools by name", () => {
    const before = {
      name: "A",
      instructions: "x",
      tools: [{ type: "code_interpreter" }, { type: "function", function: { name: "f" } }],
      temperature: 1,
    };
    const after = {
      name: "B",
      instructions: "x",
      tools: [{ type: "file_search" }, { type: "function", function: { name: "f", strict: true } }],
      temperature: 0.5,
    };
    expect(diffBodies(before, after)).toEqual([
      { field: "Name", before: "A", after: "B" },
      { field: "Temperature", before: "1", after: "0.5" },
      { field: "File search", before: "(off)", after: "on" },
      {
        field: "Function f",
        before: '{"type":"function","function":{"name":"f"}}',
        after: '{"type":"function","function":{"name":"f","strict":true}}',
      },
      { field: "Code interpreter", before: "on", after: "(off)" },
    ]);
    expect(diffBodies(before, before)).toEqual([]);
  });
});
