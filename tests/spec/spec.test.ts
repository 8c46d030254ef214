import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  expectSpecEvent,
  expectSpecResponse,
  expectSpecSchema,
  findOperation,
  specEventNames,
  specsDir,
  specVersionFor,
  type SpecVersion,
} from "../helpers/spec";
import * as fx from "./fixtures";

const V1: SpecVersion = "2024-02-15-preview";
const V2: SpecVersion = "2024-05-01-preview";
const V27: SpecVersion = "2024-07-01-preview";

/** The unpatched schema as published, to show each patch is needed. */
function rawSchema(
  version: SpecVersion,
  name: string,
): { properties: Record<string, { enum?: string[]; nullable?: boolean }>; required: string[] } {
  const spec = JSON.parse(
    readFileSync(path.join(specsDir(), "azure-openai", version, "inference.json"), "utf8"),
  ) as {
    components: {
      schemas: Record<
        string,
        { properties: Record<string, { enum?: string[]; nullable?: boolean }>; required: string[] }
      >;
    };
  };
  return spec.components.schemas[name]!;
}

const violation = (f: () => void): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a violation, got none");
};

describe("specVersionFor", () => {
  it.each([
    ["2024-02-15-preview", V1],
    ["2024-03-01-preview", V1],
    ["2024-04-01-preview", V1],
    ["2024-05-01-preview", V2],
    ["2024-07-01-preview", V27],
    ["2024-10-01-preview", V27],
    ["2025-04-01-preview", V27],
  ])("%s → %s", (apiVersion, expected) => {
    expect(specVersionFor(apiVersion)).toBe(expected);
  });

  it.each(["2024-02-01", "2024-06-01", "2023-12-01-preview", "v1", ""])(
    "refuses %j, which has no Assistants",
    (apiVersion) => {
      expect(() => specVersionFor(apiVersion)).toThrow(/api-version/);
    },
  );
});

describe("specsDir", () => {
  it("finds the repository's vendored specs/, byte-identical to the checksums in its SOURCES.md", () => {
    const dir = specsDir();
    expect(dir).toBe(path.resolve("specs"));
    const sources = readFileSync(path.join(dir, "SOURCES.md"), "utf8");
    const sums = [...sources.matchAll(/^([0-9a-f]{64})  (\S+)$/gm)];
    expect(sums.length).toBe(6);
    for (const [, sum, file] of sums) {
      expect(
        createHash("sha256")
          .update(readFileSync(path.join(dir, file!)))
          .digest("hex"),
        file,
      ).toBe(sum);
    }
  });

  it("refuses a wrong ASSISTANTS_SPECS_DIR", () => {
    const saved = process.env.ASSISTANTS_SPECS_DIR;
    process.env.ASSISTANTS_SPECS_DIR = path.join(specsDir(), "no-such-dir");
    try {
      expect(() => specsDir()).toThrow(/no-such-dir has no azure-openai/);
    } finally {
      if (saved === undefined) delete process.env.ASSISTANTS_SPECS_DIR;
      else process.env.ASSISTANTS_SPECS_DIR = saved;
    }
  });
});

describe("the three known spec typos, patched", () => {
  it("a run with status incomplete passes only thanks to the patch", () => {
    expect(rawSchema(V2, "runObject").properties.status!.enum).not.toContain("incomplete");
    const incomplete = {
      ...fx.run(),
      status: "incomplete",
      incomplete_details: { reason: "max_completion_tokens" },
      expires_at: null,
    };
    for (const v of [V2, V27]) expect(() => expectSpecSchema(v, "runObject", incomplete)).not.toThrow();
    expect(violation(() => expectSpecSchema(V2, "runObject", { ...fx.run(), status: "paused" }))).toContain(
      '/status: must be equal to one of the allowed values ["queued", "in_progress", "requires_action", "cancelling", "cancelled", "failed", "completed", "expired", "incomplete"] — got "paused"',
    );
  });

  it("a run step's object is thread.run.step, not the spec's assistant.run.step", () => {
    for (const v of [V1, V2, V27])
      expect(rawSchema(v, "runStepObject").properties.object!.enum).toEqual(["assistant.run.step"]);
    expect(() => expectSpecSchema(V2, "runStepObject", fx.step())).not.toThrow();
    expect(
      violation(() => expectSpecSchema(V2, "runStepObject", { ...fx.step(), object: "assistant.run.step" })),
    ).toContain('/object: must be equal to one of the allowed values ["thread.run.step"]');
  });

  it("a vector store needs usage_bytes, not bytes", () => {
    expect(rawSchema(V2, "vectorStoreObject").required).toContain("bytes");
    for (const v of [V2, V27])
      expect(() =>
        expectSpecResponse(v, "GET", "/vector_stores/vs_abc123", 200, fx.vectorStore()),
      ).not.toThrow();
    expect(
      violation(() =>
        expectSpecSchema(V2, "vectorStoreObject", {
          ...fx.omit(fx.vectorStore(), "usage_bytes"),
          bytes: 139920,
        }),
      ),
    ).toContain("must have required property 'usage_bytes'");
  });

  it("a finished run's expires_at may be null (the spec's own get_run example), but not a string", () => {
    expect(rawSchema(V2, "runObject").properties.expires_at!.nullable).toBeUndefined();
    expect(() =>
      expectSpecSchema(V2, "runObject", { ...fx.run(), status: "completed", expires_at: null }),
    ).not.toThrow();
    expect(violation(() => expectSpecSchema(V2, "runObject", { ...fx.run(), expires_at: "soon" }))).toContain(
      "/expires_at: must be integer",
    );
  });
});

describe("schemas", () => {
  it("accepts complete v2 objects", () => {
    expect(() => expectSpecSchema(V2, "runObject", fx.run())).not.toThrow();
    expect(() => expectSpecSchema(V2, "messageObject", fx.message())).not.toThrow();
    expect(() => expectSpecSchema(V2, "threadObject", fx.thread())).not.toThrow();
    expect(() => expectSpecSchema(V27, "runStepObject", fx.step())).not.toThrow();
  });

  it("reports a wrong type with where, what and what was there", () => {
    const message = violation(() =>
      expectSpecSchema(V2, "runObject", { ...fx.run(), created_at: "1699063290" }),
    );
    expect(message).toContain("runObject does not match 2024-05-01-preview: 1 violation(s)");
    expect(message).toContain('/created_at: must be integer — got "1699063290"');
  });

  it("lists every violation, not only the first", () => {
    const message = violation(() =>
      expectSpecSchema(V2, "runObject", {
        ...fx.omit(fx.run(), "status"),
        created_at: 1.5,
        tools: [{ type: "browser" }],
      }),
    );
    expect(message).toContain("3 violation(s)");
    expect(message).toContain("(root): must have required property 'status'");
    expect(message).toContain("/created_at: must be integer — got 1.5");
    expect(message).toContain('/tools/0: type "browser" matches no member of the tagged union');
  });

  it("honours nullable exactly", () => {
    const ok = {
      ...fx.run(),
      required_action: null,
      last_error: null,
      started_at: null,
      tool_choice: null,
      truncation_strategy: null,
      metadata: null,
    };
    expect(() => expectSpecSchema(V2, "runObject", ok)).not.toThrow();
    expect(violation(() => expectSpecSchema(V2, "runObject", { ...fx.run(), model: null }))).toContain(
      "/model: must be string — got null",
    );
    expect(violation(() => expectSpecSchema(V2, "runObject", { ...fx.run(), created_at: null }))).toContain(
      "/created_at: must be integer — got null",
    );
    expect(violation(() => expectSpecSchema(V2, "runObject", { ...fx.run(), tool_choice: 5 }))).toContain(
      "/tool_choice",
    );
    expect(
      violation(() => expectSpecSchema(V2, "messageObject", { ...fx.message(), status: null })),
    ).toContain("/status: must be string — got null");
  });

  it("checks inside tagged unions: the matching member's errors, not every member's", () => {
    const bad = fx.step();
    (bad.step_details.tool_calls[1] as { function: { arguments: unknown } }).function.arguments = {
      city: "Paris",
    };
    const message = violation(() => expectSpecSchema(V2, "runStepObject", bad));
    expect(message).toContain(
      '/step_details/tool_calls/1/function/arguments: must be string — got {"city":"Paris"}',
    );
    expect(message).toContain("1 violation(s)");
  });

  it("validates a v1 message with file_ids against 2024-02-15-preview, and not against v2", () => {
    expect(() => expectSpecSchema(V1, "messageObject", fx.messageV1())).not.toThrow();
    expect(() =>
      expectSpecResponse(V1, "GET", "/threads/thread_abc123/messages/msg_abc123", 200, fx.messageV1()),
    ).not.toThrow();
    expect(violation(() => expectSpecSchema(V2, "messageObject", fx.messageV1()))).toContain(
      "must have required property 'status'",
    );
    expect(
      violation(() => expectSpecSchema(V1, "messageObject", fx.omit(fx.messageV1(), "file_ids"))),
    ).toContain("must have required property 'file_ids'");
  });

  it("throws for a schema the spec does not have", () => {
    expect(() => expectSpecSchema(V2, "runObjekt", {})).toThrow(
      'No schema "runObjekt" in the 2024-05-01-preview spec.',
    );
  });
});

describe("responses by operation", () => {
  it("tells POST /threads/runs (a run) from POST /threads/{thread_id} (a thread)", () => {
    expect(findOperation(V2, "POST", "/threads/runs")?.template).toBe("/threads/runs");
    expect(findOperation(V2, "post", "/threads/thread_1")?.template).toBe("/threads/{thread_id}");
    expect(() => expectSpecResponse(V2, "POST", "/threads/runs", 200, fx.run())).not.toThrow();
    expect(violation(() => expectSpecResponse(V2, "POST", "/threads/runs", 200, fx.thread()))).toContain(
      "(runObject)",
    );
    expect(() => expectSpecResponse(V2, "POST", "/threads/thread_1", 200, fx.thread())).not.toThrow();
  });

  it("ignores the query and a leading /openai", () => {
    expect(() =>
      expectSpecResponse(
        V2,
        "GET",
        "/openai/threads/thread_1/runs/run_2?api-version=2024-05-01-preview",
        200,
        fx.run(),
      ),
    ).not.toThrow();
    expect(() =>
      expectSpecResponse(
        V2,
        "GET",
        "http://engine.test/openai/threads/thread_1/runs/run_2?api-version=2024-05-01-preview",
        200,
        fx.run(),
      ),
    ).not.toThrow();
  });

  it("checks list envelopes and their items", () => {
    const list = {
      object: "list",
      data: [fx.run()],
      first_id: "run_abc123",
      last_id: "run_abc123",
      has_more: false,
    };
    expect(() => expectSpecResponse(V2, "GET", "/threads/thread_1/runs", 200, list)).not.toThrow();
    expect(
      violation(() =>
        expectSpecResponse(V2, "GET", "/threads/thread_1/runs", 200, { ...list, has_more: "no" }),
      ),
    ).toContain("/has_more: must be boolean");
    expect(
      violation(() =>
        expectSpecResponse(V2, "GET", "/threads/thread_1/runs", 200, {
          ...list,
          data: [{ ...fx.run(), status: "done" }],
        }),
      ),
    ).toContain("/data/0/status");
  });

  it("knows the endpoints inference.json leaves out: DELETE message (v2), /files, and listing threads", () => {
    expect(() =>
      expectSpecResponse(V2, "DELETE", "/threads/t/messages/m", 200, {
        id: "m",
        object: "thread.message.deleted",
        deleted: true,
      }),
    ).not.toThrow();
    expect(() =>
      expectSpecResponse(V1, "DELETE", "/threads/t/messages/m", 200, {
        id: "m",
        object: "thread.message.deleted",
        deleted: true,
      }),
    ).toThrow(/no such operation/);
    for (const v of [V1, V2, V27]) {
      expect(() => expectSpecResponse(v, "GET", "/files/assistant-abc", 200, fx.file())).not.toThrow();
      expect(() =>
        expectSpecResponse(v, "GET", "/files", 200, { object: "list", data: [fx.file()] }),
      ).not.toThrow();
      expect(() =>
        expectSpecResponse(v, "DELETE", "/files/assistant-abc", 200, {
          id: "assistant-abc",
          object: "file",
          deleted: true,
        }),
      ).not.toThrow();
    }
    expect(() =>
      expectSpecResponse(V2, "GET", "/threads", 200, {
        object: "list",
        data: [fx.thread()],
        first_id: "thread_abc123",
        last_id: "thread_abc123",
        has_more: false,
      }),
    ).not.toThrow();
  });

  it("checks file objects against the TypeSpec definitions (v1 has fewer purposes)", () => {
    const message = violation(() =>
      expectSpecResponse(V2, "POST", "/files", 200, { ...fx.file(), bytes: "1234", purpose: "assistant" }),
    );
    expect(message).toContain('/bytes: must be integer — got "1234"');
    expect(message).toContain(
      '/purpose: must be equal to one of the allowed values ["fine-tune", "fine-tune-results", "assistants", "assistants_output", "batch", "batch_output", "vision"]',
    );
    expect(() =>
      expectSpecResponse(V2, "POST", "/files", 200, { ...fx.file(), purpose: "vision" }),
    ).not.toThrow();
    expect(
      violation(() => expectSpecResponse(V1, "POST", "/files", 200, { ...fx.file(), purpose: "vision" })),
    ).toContain("/purpose");
  });

  it("accepts raw bytes from /files/{id}/content and nothing else", () => {
    expect(() =>
      expectSpecResponse(V2, "GET", "/files/assistant-abc/content", 200, new Uint8Array([137, 80, 78, 71])),
    ).not.toThrow();
    expect(() =>
      expectSpecResponse(V2, "GET", "/files/assistant-abc/content", 200, { object: "file" }),
    ).toThrow(/returns raw bytes/);
  });

  it("throws for an unknown operation or an undocumented status", () => {
    expect(() => expectSpecResponse(V2, "GET", "/deployments/gpt-4o/chat/completions", 200, {})).toThrow(
      "no such operation in the 2024-05-01-preview spec",
    );
    expect(() => expectSpecResponse(V2, "PATCH", "/assistants/asst_1", 200, {})).toThrow(/no such operation/);
    expect(() => expectSpecResponse(V1, "GET", "/vector_stores", 200, {})).toThrow(/no such operation/);
    expect(() => expectSpecResponse(V2, "POST", "/threads/runs", 201, fx.run())).toThrow(
      "status 201 is not documented for POST /threads/runs (documented: 200)",
    );
  });
});

describe("error bodies", () => {
  it.each([
    ["Azure gateway style", { error: { code: "404", message: "Resource not found" } }],
    [
      "OpenAI object style, with nulls",
      {
        error: {
          message: "No assistant found with id 'asst_1'.",
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      },
    ],
    [
      "Azure with everything",
      { error: { code: "rate_limit_exceeded", message: "Slow down", param: "model", type: "requests" } },
    ],
  ])("accepts %s", (_name, body) => {
    for (const v of [V1, V2, V27])
      expect(() => expectSpecResponse(v, "GET", "/assistants/asst_1", 404, body)).not.toThrow();
  });

  it("checks error bodies even on routes the spec does not have", () => {
    expect(() =>
      expectSpecResponse(V2, "GET", "/deployments", 404, {
        error: { code: "404", message: "Resource not found" },
      }),
    ).not.toThrow();
  });

  it.each([
    ["no error wrapper", { message: "Not found" }, "must have required property 'error'"],
    ["error as a string", { error: "Not found" }, "/error: must be object"],
    ["no message", { error: { code: "404" } }, "must have required property 'message'"],
    [
      "a numeric code",
      { error: { code: 404, message: "Not found" } },
      "/error/code: must be string — got 404",
    ],
  ])("rejects %s", (_name, body, expected) => {
    expect(violation(() => expectSpecResponse(V2, "GET", "/assistants/asst_1", 404, body))).toContain(
      expected,
    );
  });
});

describe("stream events", () => {
  const delta = {
    id: "msg_abc123",
    object: "thread.message.delta",
    delta: {
      role: "assistant",
      content: [{ index: 0, type: "text", text: { value: "Hel", annotations: [] } }],
    },
  };
  const stepDelta = {
    id: "step_abc123",
    object: "thread.run.step.delta",
    delta: {
      step_details: {
        type: "tool_calls",
        tool_calls: [
          {
            index: 0,
            id: "call_1",
            type: "function",
            function: { name: "get_weather", arguments: '{"ci', output: null },
          },
        ],
      },
    },
  };
  const good: [string, unknown][] = [
    ["thread.created", fx.thread()],
    ["thread.run.created", fx.run()],
    [
      "thread.run.incomplete",
      { ...fx.run(), status: "incomplete", incomplete_details: { reason: "max_prompt_tokens" } },
    ],
    ["thread.run.step.created", fx.step()],
    ["thread.run.step.delta", stepDelta],
    ["thread.message.created", { ...fx.message(), status: "in_progress", content: [], completed_at: null }],
    ["thread.message.delta", delta],
    ["thread.message.completed", fx.message()],
    [
      "error",
      {
        error: {
          message: "The server had an error",
          type: "server_error",
          code: "server_error",
          param: null,
        },
      },
    ],
    ["error", { code: "server_error", message: "The server had an error" }],
    ["done", "[DONE]"],
  ];
  it.each(good)("accepts %s", (event, data) => {
    for (const v of [V2, V27]) expect(() => expectSpecEvent(v, event, data)).not.toThrow();
  });

  const bad: [string, unknown, string][] = [
    [
      "thread.created",
      { ...fx.thread(), object: "thread.run" },
      '/object: must be equal to one of the allowed values ["thread"]',
    ],
    ["thread.run.completed", { ...fx.run(), usage: { prompt_tokens: "ten" } }, "/usage"],
    ["thread.run.step.completed", fx.run(), "(runStepObject)"],
    [
      "thread.run.step.delta",
      { ...stepDelta, object: "thread.run.step" },
      '/object: must be equal to one of the allowed values ["thread.run.step.delta"]',
    ],
    [
      "thread.message.delta",
      { ...delta, delta: { content: [{ index: 0, type: "text", text: { value: 42 } }] } },
      "/delta/content/0/text/value: must be string — got 42",
    ],
    [
      "thread.message.delta",
      { id: "msg_1", object: "thread.message.delta" },
      "must have required property 'delta'",
    ],
    ["thread.message.completed", { ...fx.message(), status: "done" }, "/status"],
    ["error", { error: { code: 500 } }, "must have required property 'message'"],
    ["done", "DONE", '(root): must be equal to one of the allowed values ["[DONE]"]'],
  ];
  it.each(bad)("rejects a malformed %s", (event, data, expected) => {
    expect(violation(() => expectSpecEvent(V2, event, data))).toContain(expected);
  });

  it("knows the spec's event catalogue, plus thread.run.incomplete", () => {
    const names = specEventNames(V2);
    expect(names).toEqual(
      expect.arrayContaining([
        "thread.created",
        "thread.run.expired",
        "thread.run.step.delta",
        "thread.message.incomplete",
        "thread.run.incomplete",
        "error",
        "done",
      ]),
    );
    expect(() => expectSpecEvent(V2, "thread.run.paused", fx.run())).toThrow(
      /not in the 2024-05-01-preview event catalogue/,
    );
  });

  it("has no streaming in v1", () => {
    expect(specEventNames(V1)).toEqual([]);
    expect(() => expectSpecEvent(V1, "thread.run.created", fx.run())).toThrow(/has no streaming/);
  });
});
