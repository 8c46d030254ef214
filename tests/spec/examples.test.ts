// The spec's own examples, run through the validator. They are abbreviated (they omit required fields
// such as a run's `required_action: null`): each one must either pass as it is, or fail for exactly the
// required fields it leaves out and pass once they are filled in, or be one of the few listed below
// whose own content contradicts the schema.
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectSpecResponse, SPEC_VERSIONS, specsDir, type SpecVersion } from "../helpers/spec";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** What a real response carries that the examples leave out, by object type; values are what the engine would send. */
const FILL_V2: Record<string, (o: Obj) => Obj> = {
  "thread.run": (o) => ({
    required_action: null,
    last_error: null,
    usage: o.status === "completed" ? { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 } : null,
    incomplete_details: null,
    max_prompt_tokens: null,
    max_completion_tokens: null,
    truncation_strategy: { type: "auto", last_messages: null },
    tool_choice: "auto",
    response_format: "auto",
  }),
  "thread.message": (o) => ({
    status: "completed",
    incomplete_details: null,
    completed_at: o.role === "assistant" ? o.created_at : null,
    incomplete_at: null,
    attachments: [],
  }),
  "thread.run.step": () => ({ metadata: {} }),
  thread: () => ({ tool_resources: {} }),
  vector_store: (o) => ({
    usage_bytes: 139920,
    status: "completed",
    last_active_at: o.created_at,
    name: "Support FAQ",
    file_counts: { in_progress: 0, completed: 3, failed: 0, cancelled: 0, total: 3 },
    metadata: {},
  }),
  "vector_store.file": () => ({ usage_bytes: 1234, status: "completed", last_error: null }),
};
const FILL_V1: Record<string, (o: Obj) => Obj> = {
  "thread.run": () => ({ required_action: null }),
  "thread.run.step": () => ({ metadata: {} }),
};

/** Fills in missing fields only (never overwrites one the example has) and returns what it added. */
function complete(body: unknown, version: SpecVersion): { completed: unknown; added: string[] } {
  const fills = version === "2024-02-15-preview" ? FILL_V1 : FILL_V2;
  const added = new Set<string>();
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObj(v)) return v;
    const out: Obj = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    const fill = typeof v.object === "string" ? fills[v.object] : undefined;
    if (fill) {
      for (const [k, x] of Object.entries(fill(v))) {
        if (k in out) continue;
        out[k] = x;
        added.add(k);
      }
    }
    return out;
  };
  return { completed: walk(body), added: [...added] };
}

/** Examples whose own values contradict their schema, with the violation that shows it. */
const CONTRADICTIONS: Record<string, string> = {
  // runObject.instructions is a non-null string (Azure and OpenAI); these examples put null.
  "list_runs.json": "/instructions: must be string — got null",
  "create_run.json": "/instructions: must be string — got null",
  "modify_run.json": "/instructions: must be string — got null",
  "submit_tool_outputs_to_run.json": "/instructions: must be string — got null",
  // The schema (and OpenAI, and the SDK) say vector_store.files_batch; the description and these examples say file_batch.
  "retrieve_vector_store_file_batch.json": 'got "vector_store.file_batch"',
  "cancel_vector_store_file_batch.json": 'got "vector_store.file_batch"',
};

interface Case {
  version: SpecVersion;
  file: string;
  method: string;
  path: string;
  status: number;
  body: unknown;
}

function casesFor(version: SpecVersion): Case[] {
  const dir = path.join(specsDir(), "azure-openai", version);
  const spec = JSON.parse(readFileSync(path.join(dir, "inference.json"), "utf8")) as {
    paths: Record<string, Record<string, { "x-ms-examples"?: Record<string, { $ref: string }> }>>;
  };
  const cases: Case[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    if (!/^\/(assistants|threads|vector_stores)/.test(template)) continue;
    for (const [method, op] of Object.entries(item)) {
      for (const { $ref } of Object.values(op["x-ms-examples"] ?? {})) {
        const file = path.join(dir, $ref);
        if (!existsSync(file)) continue;
        const example = JSON.parse(readFileSync(file, "utf8")) as {
          parameters?: Record<string, string>;
          responses?: Record<string, { body?: unknown }>;
        };
        const concrete = template.replace(
          /\{(\w+)\}/g,
          (_m, name: string) => example.parameters?.[name]?.trim() || `${name}_1`,
        );
        for (const [status, response] of Object.entries(example.responses ?? {})) {
          cases.push({
            version,
            file: path.basename(file),
            method: method.toUpperCase(),
            path: concrete,
            status: Number(status),
            body: response.body,
          });
        }
      }
    }
  }
  return cases;
}

const errorOf = (f: () => void): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "";
};

describe.each(SPEC_VERSIONS)("spec examples, %s", (version) => {
  const cases = casesFor(version);

  it("finds the examples of the Assistants operations", () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  it.each(cases.map((c) => [`${c.method} ${c.file}`, c] as const))("%s", (_name, c) => {
    if (c.body === undefined) {
      // create_vector_store_file_batch.json has a response with no body at all.
      expect(errorOf(() => expectSpecResponse(c.version, c.method, c.path, c.status, c.body))).toMatch(
        /must be object/,
      );
      return;
    }
    const asIs = errorOf(() => expectSpecResponse(c.version, c.method, c.path, c.status, c.body));
    const { completed, added } = complete(c.body, c.version);
    const afterFill = errorOf(() => expectSpecResponse(c.version, c.method, c.path, c.status, completed));
    const contradiction = CONTRADICTIONS[c.file];
    if (contradiction && c.version !== "2024-02-15-preview") {
      expect(afterFill).toContain(contradiction);
      return;
    }
    // Every field the fill adds is one the validator demanded.
    for (const key of added) expect(asIs).toContain(`must have required property '${key}'`);
    if (added.length === 0) expect(asIs).toBe("");
    expect(afterFill).toBe("");
  });
});

describe("completed examples named in the brief", () => {
  const load = (version: SpecVersion, file: string) =>
    (
      JSON.parse(readFileSync(path.join(specsDir(), "azure-openai", version, "examples", file), "utf8")) as {
        responses: { 200: { body: Obj } };
      }
    ).responses[200].body;

  it("get_run.json fails as published and passes with required_action, usage, … filled in", () => {
    const run = load("2024-05-01-preview", "get_run.json");
    const path = `/threads/${String(run.thread_id)}/runs/${String(run.id)}`;
    expect(() => expectSpecResponse("2024-05-01-preview", "GET", path, 200, run)).toThrow(
      /must have required property 'required_action'/,
    );
    const completed = { ...run, ...FILL_V2["thread.run"]!(run) };
    expect(() => expectSpecResponse("2024-05-01-preview", "GET", path, 200, completed)).not.toThrow();
  });

  it("list_messages.json fails without each message's status and passes with it", () => {
    const list = load("2024-07-01-preview", "list_messages.json") as { data: Obj[] };
    expect(() =>
      expectSpecResponse("2024-07-01-preview", "GET", "/threads/thread_abc123/messages", 200, list),
    ).toThrow(/\/data\/0: must have required property 'status'/);
    const completed = { ...list, data: list.data.map((m) => ({ ...m, ...FILL_V2["thread.message"]!(m) })) };
    expect(() =>
      expectSpecResponse("2024-07-01-preview", "GET", "/threads/thread_abc123/messages", 200, completed),
    ).not.toThrow();
    // Dropping any one required field again is caught.
    const withoutStatus = { ...completed.data[1] };
    delete withoutStatus.status;
    expect(() =>
      expectSpecResponse("2024-07-01-preview", "GET", "/threads/thread_abc123/messages", 200, {
        ...completed,
        data: [completed.data[0], withoutStatus],
      }),
    ).toThrow(/\/data\/1: must have required property 'status'/);
  });
});
