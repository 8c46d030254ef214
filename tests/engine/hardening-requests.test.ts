/**
 * Property tests of the engine's request validation: whatever JSON (or not-JSON) body is POSTed to
 * the create endpoints, the answer is never a 5xx, an error is always Azure-shaped (`error.code`,
 * `error.message`), and no answer is larger than the request can explain.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "@/lib/engine";

/** 200 per endpoint keeps the file a few seconds; PROPERTY_RUNS=5000 searches deeper. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const API_VERSIONS = ["2024-02-15-preview", "2024-05-01-preview", "2024-07-01-preview", "2025-01-01-preview"];
/** An error body names the problem; it has no reason to be long. */
const MAX_ERROR_BYTES = 4_096;
/** A success body may echo the request (instructions, metadata, schemas), and adds its own fields. */
const maxSuccessBytes = (requestBytes: number) => 2 * requestBytes + 16_384;

/** Stand-ins for the ids of real objects, replaced in each body once they exist. */
const FILE = "@file@";
const ASSISTANT = "@assistant@";

let dir: string;
let engine: Engine;
const real: { assistant: string; thread: string; file: string } = { assistant: "", thread: "", file: "" };

beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "engine-requests-"));
  engine = createEngine({ dataDir: dir, pollAfterMs: 5 });
  const post = async (p: string, body: unknown) => {
    const res = await send(p, "2024-05-01-preview", JSON.stringify(body));
    if (res.status !== 200) throw new Error(`setup: POST ${p} answered ${res.status} ${res.text}`);
    return JSON.parse(res.text) as { id: string };
  };
  real.assistant = (await post("/assistants", { model: "gpt-4o" })).id;
  real.thread = (await post("/threads", {})).id;
  const form = new FormData();
  form.set("purpose", "assistants");
  form.set("file", new Blob(["Property tests post arbitrary bodies."]), "notes.txt");
  const uploaded = await engine.fetch(
    new Request("http://engine.test/openai/files?api-version=2024-05-01-preview", {
      method: "POST",
      body: form,
    }),
  );
  real.file = ((await uploaded.json()) as { id: string }).id;
});
afterAll(async () => {
  await engine.close();
  await fs.promises.rm(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  text: string;
  contentType: string;
}

async function send(p: string, apiVersion: string, body: string): Promise<Answer> {
  const res = await engine.fetch(
    new Request(`http://engine.test/openai${p}?api-version=${apiVersion}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    }),
  );
  const contentType = res.headers.get("content-type") ?? "";
  if (contentType.includes("text/event-stream")) {
    // A run that streams: its first bytes say it started; the rest is the run's, not validation's.
    await res.body?.cancel();
    return { status: res.status, text: "", contentType };
  }
  return { status: res.status, text: await res.text(), contentType };
}

function expectWellFormed(answer: Answer, requestBytes: number, label: string): void {
  expect(answer.status, `${label} → ${answer.status} ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  if (answer.contentType.includes("text/event-stream")) return;
  if (answer.status >= 400) {
    expect(answer.text.length, `${label}: error body of ${answer.text.length} bytes`).toBeLessThanOrEqual(
      MAX_ERROR_BYTES,
    );
    const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, `${label}: ${answer.text}`).toBe("string");
    expect(typeof body.error?.message, `${label}: ${answer.text}`).toBe("string");
  } else {
    expect(answer.text.length, label).toBeLessThanOrEqual(maxSuccessBytes(requestBytes));
    JSON.parse(answer.text);
  }
}

// Values that reach deeper into the validators than random JSON would: the parameter names each
// endpoint knows, with values of every JSON type, and near-valid shapes of the nested objects.
const json = fc.jsonValue({ maxDepth: 3 });
const anyOf = (...arbs: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> => fc.oneof(...arbs, json);
const schema = fc.oneof(
  fc.constant({ type: "object", properties: { a: { type: "string", pattern: "^(a+)+$" } }, required: ["a"] }),
  fc.constant({ type: "array", minItems: 100_000_000 }),
  fc.record(
    { type: fc.constantFrom("object", "string", "array", "strin"), minItems: fc.integer() },
    { requiredKeys: [] },
  ),
  json,
);
const tool = anyOf(
  fc.record({ type: fc.constantFrom("code_interpreter", "file_search", "retrieval", "function", "bogus") }),
  fc.record(
    {
      type: fc.constant("function"),
      function: anyOf(
        fc.record(
          { name: anyOf(fc.constantFrom("f", "get_weather", "bad name", "")), parameters: schema },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: ["type"] },
  ),
  fc.record({
    type: fc.constant("file_search"),
    file_search: anyOf(fc.record({ max_num_results: json, ranking_options: json }, { requiredKeys: [] })),
  }),
);
const responseFormat = anyOf(
  fc.constantFrom("auto", "none", "text"),
  fc.record({ type: fc.constantFrom("text", "json_object", "json_schema", "bogus") }),
  fc.record({
    type: fc.constant("json_schema"),
    json_schema: anyOf(
      fc.record(
        { name: anyOf(fc.constantFrom("r", "bad name")), schema, strict: json, description: json },
        { requiredKeys: [] },
      ),
    ),
  }),
);
const metadata = anyOf(fc.dictionary(fc.string({ maxLength: 70 }), anyOf(fc.string({ maxLength: 600 }))));
const toolResources = anyOf(
  fc.record(
    {
      code_interpreter: anyOf(fc.record({ file_ids: anyOf(fc.array(fc.string()), fc.constant([FILE])) })),
      file_search: anyOf(
        fc.record(
          {
            vector_store_ids: anyOf(fc.array(fc.string())),
            vector_stores: anyOf(
              fc.array(
                anyOf(
                  fc.record(
                    { file_ids: anyOf(fc.array(fc.string())), chunking_strategy: json, metadata },
                    { requiredKeys: [] },
                  ),
                ),
              ),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
);
const content = anyOf(
  fc.string(),
  fc.array(
    anyOf(
      fc.record(
        {
          type: fc.constantFrom("text", "image_file", "image_url", "bogus"),
          text: json,
          image_file: json,
          image_url: json,
        },
        { requiredKeys: ["type"] },
      ),
    ),
  ),
);
const attachments = anyOf(
  fc.array(
    anyOf(
      fc.record(
        { file_id: anyOf(fc.constant(FILE), fc.string()), tools: anyOf(fc.array(tool)) },
        { requiredKeys: [] },
      ),
    ),
  ),
);
const message = anyOf(
  fc.record(
    {
      role: anyOf(fc.constantFrom("user", "assistant", "system")),
      content,
      attachments,
      metadata,
      file_ids: json,
    },
    { requiredKeys: [] },
  ),
);

type Params = Record<string, fc.Arbitrary<unknown>>;

/**
 * An object with a few of `params` (each endpoint's own names and `bogus`): random values for every
 * parameter at once would stop at the first bad one, and the validators behind it would never run.
 * `base` holds what the request needs to get that far (a model, a real assistant id).
 */
const paramsOf = (params: Params, base: Record<string, fc.Arbitrary<unknown>> = {}) =>
  fc
    .uniqueArray(fc.constantFrom(...Object.keys(params)), { maxLength: 3 })
    .chain((keys) =>
      fc.record({ ...base, ...Object.fromEntries(keys.map((k) => [k, params[k]!])) }, { requiredKeys: [] }),
    );

const assistantParams: Params = {
  model: anyOf(fc.constantFrom("gpt-4o", "")),
  name: json,
  description: json,
  instructions: json,
  tools: anyOf(fc.array(tool, { maxLength: 4 })),
  tool_resources: toolResources,
  file_ids: json,
  metadata,
  temperature: json,
  top_p: json,
  response_format: responseFormat,
  bogus: json,
};
const threadParams: Params = {
  messages: anyOf(fc.array(message, { maxLength: 3 })),
  tool_resources: toolResources,
  metadata,
  bogus: json,
};
const messageParams: Params = {
  role: anyOf(fc.constantFrom("user", "assistant", "system")),
  content,
  attachments,
  metadata,
  file_ids: json,
  bogus: json,
};
const runParams: Params = {
  assistant_id: anyOf(fc.constantFrom("asst_missing", "")),
  model: json,
  instructions: json,
  additional_instructions: json,
  additional_messages: anyOf(fc.array(message, { maxLength: 2 })),
  tools: anyOf(fc.array(tool, { maxLength: 3 })),
  metadata,
  temperature: json,
  top_p: json,
  stream: json,
  max_prompt_tokens: json,
  max_completion_tokens: json,
  truncation_strategy: anyOf(
    fc.record(
      { type: anyOf(fc.constantFrom("auto", "last_messages")), last_messages: json },
      { requiredKeys: [] },
    ),
  ),
  tool_choice: anyOf(
    fc.constantFrom("auto", "none", "required"),
    fc.record({ type: json, function: json }, { requiredKeys: [] }),
  ),
  parallel_tool_calls: json,
  response_format: responseFormat,
  bogus: json,
};
const vectorStoreParams: Params = {
  name: json,
  file_ids: anyOf(fc.array(anyOf(fc.constant(FILE), fc.string()))),
  expires_after: anyOf(fc.record({ anchor: json, days: json }, { requiredKeys: [] })),
  chunking_strategy: json,
  metadata,
  bogus: json,
};

/** A body: usually some of the endpoint's parameters, sometimes any JSON, sometimes not JSON at all. */
const bodyOf = (params: fc.Arbitrary<Record<string, unknown>>) =>
  fc.oneof(
    { weight: 8, arbitrary: params.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: json.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.string() },
  );

describe("POSTed bodies never produce a 5xx, and errors are Azure-shaped and small", () => {
  const newThread = async () => {
    const res = await send("/threads", "2024-05-01-preview", "{}");
    return (JSON.parse(res.text) as { id: string }).id;
  };
  const endpoints: [string, () => Promise<string>, fc.Arbitrary<string>][] = [
    [
      "/assistants",
      async () => "/assistants",
      bodyOf(paramsOf(assistantParams, { model: fc.constant("gpt-4o") })),
    ],
    ["/threads", async () => "/threads", bodyOf(paramsOf(threadParams))],
    [
      "/threads/{id}/messages",
      async () => `/threads/${real.thread}/messages`,
      bodyOf(paramsOf(messageParams)),
    ],
    [
      // A fresh thread each time: a run started by an earlier body would lock a shared one.
      "/threads/{id}/runs",
      async () => `/threads/${await newThread()}/runs`,
      bodyOf(paramsOf(runParams, { assistant_id: fc.constantFrom(ASSISTANT, ASSISTANT, "asst_missing") })),
    ],
    ["/vector_stores", async () => "/vector_stores", bodyOf(paramsOf(vectorStoreParams))],
  ];

  it.each(endpoints)("POST %s", async (_name, pathOf, bodies) => {
    await fc.assert(
      fc.asyncProperty(bodies, fc.constantFrom(...API_VERSIONS), async (body, apiVersion) => {
        const p = await pathOf();
        const sent = body.replaceAll(FILE, real.file).replaceAll(ASSISTANT, real.assistant);
        const answer = await send(p, apiVersion, sent);
        expectWellFormed(answer, sent.length, `POST ${p} (${apiVersion}) ${sent.slice(0, 300)}`);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("an error that echoes a long value stays small", () => {
  const big = "x".repeat(100_000);
  const rows: [string, string, Record<string, unknown>][] = [
    ["an unknown parameter's name", "/assistants", { model: "gpt-4o", [big]: 1 }],
    ["a tool type", "/assistants", { model: "gpt-4o", tools: [{ type: big }] }],
    [
      "a property name in function parameters",
      "/assistants",
      {
        model: "gpt-4o",
        tools: [
          { type: "function", function: { name: "f", parameters: { properties: { [big]: { type: 1 } } } } },
        ],
      },
    ],
    [
      "a file id",
      "/assistants",
      { model: "gpt-4o", tool_resources: { code_interpreter: { file_ids: [big] } } },
    ],
    [
      "an attachment's file id",
      "/threads",
      { messages: [{ role: "user", content: "x", attachments: [{ file_id: big }] }] },
    ],
    ["an assistant id", "/threads/{id}/runs", { assistant_id: big }],
    ["a vector store's file id", "/vector_stores", { file_ids: [big] }],
  ];
  it.each(rows)("%s", async (_name, template, body) => {
    const p = template.replace("{id}", real.thread);
    const answer = await send(p, "2024-05-01-preview", JSON.stringify(body));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expectWellFormed(answer, JSON.stringify(body).length, `POST ${template}`);
  });
});
