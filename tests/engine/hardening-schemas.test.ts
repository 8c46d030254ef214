// Hostile JSON Schemas: the scripted model must not hang, exhaust memory or crash on a user's schema
// (catastrophic `pattern`s, huge `minItems`/`minLength`/`{n}`), and the engine must refuse a bad
// response_format schema with a 400 naming the parameter. What could hang runs in a child process
// (./hardening-child.ts) with a small heap and a deadline, so a regression fails instead of hanging.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { BadRequestError } from "openai";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { specCheckedClient } from "../helpers/sdk";
import type { ChildReply, ChildRequest } from "./hardening-child";
import { makeHarness, V2, type Harness } from "./harness";

/** A stuck or dead child fails the case after this long; a healthy case takes milliseconds. */
const CASE_DEADLINE_MS = 5_000;
/** The liveness bound the engine promises while it samples a hostile schema. */
const LIVENESS_MS = 1_000;
/** The child's V8 heap: a regression that allocates without bound dies here, not on the machine. */
const CHILD_HEAP_MB = 256;

type Payload<R> = R extends unknown ? Omit<R, "id"> : never;

class Child {
  private proc: ChildProcess | undefined;
  private pending = new Map<number, { resolve: (r: ChildReply) => void; reject: (e: Error) => void }>();
  private next = 1;

  private spawn(): ChildProcess {
    const proc = fork(path.join(__dirname, "hardening-child.ts"), [], {
      execArgv: ["--import", "tsx", `--max-old-space-size=${CHILD_HEAP_MB}`],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    // Each process has its own requests, so a killed one cannot fail its successor's.
    const pending = new Map<number, { resolve: (r: ChildReply) => void; reject: (e: Error) => void }>();
    let stderr = "";
    proc.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    proc.on("message", (m: unknown) => {
      const reply = m as ChildReply;
      pending.get(reply.id)?.resolve(reply);
      pending.delete(reply.id);
    });
    proc.on("exit", (code, signal) => {
      for (const p of pending.values())
        p.reject(new Error(`the child process died (${signal ?? `exit ${code}`}): ${stderr.slice(-400)}`));
      pending.clear();
      if (this.proc === proc) this.proc = undefined;
    });
    this.proc = proc;
    this.pending = pending;
    return proc;
  }

  /** Sends one request; a reply later than `deadlineMs` kills the child and rejects. */
  ask<R extends Payload<ChildRequest>>(request: R, deadlineMs = CASE_DEADLINE_MS): Promise<ChildReply> {
    const proc = this.proc ?? this.spawn();
    const pending = this.pending;
    const id = this.next++;
    return new Promise<ChildReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        proc.kill("SIGKILL");
        // The next request starts a new process rather than waiting for this one's exit event.
        if (this.proc === proc) this.proc = undefined;
        reject(new Error(`no answer within ${deadlineMs} ms (the child was stuck)`));
      }, deadlineMs);
      pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      proc.send({ ...request, id });
    });
  }

  stop(): void {
    this.proc?.kill("SIGKILL");
    this.proc = undefined;
  }
}

const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv);

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: "object",
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...extra,
});
const nestedArrays = (levels: number, leaf: unknown): unknown =>
  levels === 0 ? leaf : { type: "array", minItems: 64, items: nestedArrays(levels - 1, leaf) };

type Expect = "valid" | "refused" | "either";
const sampleCases: [string, unknown, string, Expect][] = [
  // A user pattern against a long word of the message: exponential backtracking without a bound.
  [
    "catastrophic pattern, long word",
    obj({ code: { type: "string", pattern: "^(a+)+$" } }),
    `${"a".repeat(5000)}!`,
    "valid",
  ],
  [
    "catastrophic pattern, short word",
    obj({ code: { type: "string", pattern: "^(a+)+$" } }),
    `${"a".repeat(40)}!`,
    "valid",
  ],
  [
    "overlapping alternation",
    obj({ code: { type: "string", pattern: "^(a|aa)+$" } }),
    `${"a".repeat(60)}b`,
    "valid",
  ],
  [
    "polynomial pattern",
    obj({ n: { type: "string", pattern: "^\\d*\\d*\\d*\\d*\\d*x$" } }),
    `${"1".repeat(250)}`,
    "valid",
  ],
  [
    "200 catastrophic patterns",
    obj(
      Object.fromEntries(
        Array.from({ length: 200 }, (_, i) => [`p${i}`, { type: "string", pattern: "^(a+)+$" }]),
      ),
    ),
    `${"a".repeat(35)}! `.repeat(20),
    "either",
  ],
  // Sizes: each would allocate without bound.
  ["minItems 100,000,000", { type: "array", minItems: 100_000_000 }, "", "refused"],
  ["minLength 100,000,000", { type: "string", minLength: 100_000_000 }, "", "refused"],
  ["pattern a{99999999}", { type: "string", pattern: "^a{99999999}$" }, "", "refused"],
  [
    "nested quantifiers (a{1000}){1000}",
    { type: "string", pattern: "^((a{1000}){1000}){1000}$" },
    "",
    "refused",
  ],
  ["64-wide arrays nested 6 deep", nestedArrays(6, { type: "string" }), "", "refused"],
  ["a large const repeated 4,096 times", nestedArrays(2, { const: "x".repeat(100_000) }), "", "refused"],
  [
    "prefixItems longer than the cap",
    { type: "array", prefixItems: Array.from({ length: 100 }, () => ({ type: "integer" })) },
    "",
    "refused",
  ],
  // What the sampler cannot meet: it says so instead of returning an invalid value.
  [
    "unique items from a two-value enum",
    { type: "array", minItems: 10, uniqueItems: true, items: { enum: ["a", "b"] } },
    "",
    "refused",
  ],
  ["required self-reference", obj({ child: { $ref: "#" } }), "", "refused"],
  ["pattern against minLength", { type: "string", pattern: "^[0-9]{3}$", minLength: 10 }, "", "refused"],
  ["minimum above maximum", { type: "integer", minimum: 10, maximum: 1 }, "", "refused"],
  // Ordinary schemas still work under the limits.
  [
    "64 items (the cap)",
    { type: "array", minItems: 64, uniqueItems: true, items: { type: "string" } },
    "",
    "valid",
  ],
  ["1,000 characters (the cap)", { type: "string", minLength: 1000 }, "", "valid"],
  ["a{1000}", { type: "string", pattern: "^a{1000}$" }, "", "valid"],
];

describe("the scripted model's schema sampler on hostile schemas (in a child process)", () => {
  const child = new Child();
  afterAll(() => child.stop());

  it.each(sampleCases)("%s", async (_name, schema, text, expected) => {
    const reply = await child.ask({ kind: "sample", schema, text });
    if (reply.kind !== "sample") throw new Error("unexpected reply");
    expect(reply.ms).toBeLessThan(LIVENESS_MS);
    expect(reply.bytes).toBeLessThan(1_000_000);
    if (reply.error) {
      expect(reply.error.name, reply.error.message).toBe("SchemaSampleError");
      expect(reply.error.message).toMatch(/^The scripted model cannot produce a value for this schema: /);
      expect(expected, `refused: ${reply.error.message}`).not.toBe("valid");
    } else {
      const value: unknown = JSON.parse(reply.json!);
      const validate = ajv.compile(schema as object);
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
      expect(expected, `sampled: ${reply.json!.slice(0, 200)}`).not.toBe("refused");
    }
  });
});

describe("response_format json_schema is validated like function parameters", () => {
  let h: Harness;
  beforeEach(async () => (h = await makeHarness()));
  afterEach(async () => h.cleanup());

  const rf = (json_schema: unknown) => ({ type: "json_schema", json_schema });
  const schema = { type: "object", properties: { a: { type: "string" } } };
  const badFormats: [string, unknown, string, RegExp][] = [
    ["no json_schema", { type: "json_schema" }, "response_format.json_schema", /Missing required parameter/],
    ["json_schema not an object", rf("x"), "response_format.json_schema", /expected an object/],
    ["no name", rf({ schema }), "response_format.json_schema.name", /Missing required parameter/],
    [
      "a name with a space",
      rf({ name: "my schema", schema }),
      "response_format.json_schema.name",
      /\^\[a-zA-Z0-9_-\]\{1,64\}\$/,
    ],
    ["a 65-character name", rf({ name: "n".repeat(65), schema }), "response_format.json_schema.name", /1,64/],
    [
      "description not a string",
      rf({ name: "r", description: 1, schema }),
      "response_format.json_schema.description",
      /string/,
    ],
    [
      "strict not a boolean",
      rf({ name: "r", strict: "yes", schema }),
      "response_format.json_schema.strict",
      /boolean/,
    ],
    [
      "schema an array",
      rf({ name: "r", schema: [] }),
      "response_format.json_schema.schema",
      /expected an object/,
    ],
    [
      "schema with an unknown type",
      rf({ name: "r", schema: { type: "strin" } }),
      "response_format.json_schema.schema",
      /Invalid schema for response_format 'r': \/type/,
    ],
    [
      "schema with a pattern that is not a regular expression",
      rf({ name: "r", schema: { type: "string", pattern: "((" } }),
      "response_format.json_schema.schema",
      /\/pattern: .*regex/,
    ],
    [
      "schema with minItems below 0",
      rf({ name: "r", schema: { type: "array", minItems: -1 } }),
      "response_format.json_schema.schema",
      /\/minItems/,
    ],
  ];

  it.each(badFormats)(
    "%s → 400 on create assistant, update assistant and create run",
    async (_n, format, param, message) => {
      const c = h.v2.client;
      const create = await c.beta.assistants
        .create({ model: "gpt-4o", response_format: format } as never)
        .catch((e: unknown) => e);
      expect(create).toBeInstanceOf(BadRequestError);
      expect((create as BadRequestError).param).toBe(param);
      expect((create as BadRequestError).message).toMatch(message);
      expect((create as BadRequestError).error).toMatchObject({ type: "invalid_request_error" });

      const a = await c.beta.assistants.create({ model: "gpt-4o" });
      const update = await c.beta.assistants
        .update(a.id, { response_format: format } as never)
        .catch((e: unknown) => e);
      expect((update as BadRequestError).param).toBe(param);
      const t = await c.beta.threads.create();
      const run = await c.beta.threads.runs
        .create(t.id, { assistant_id: a.id, response_format: format } as never)
        .catch((e: unknown) => e);
      expect(run).toBeInstanceOf(BadRequestError);
      expect((run as BadRequestError).param).toBe(param);
      // Nothing was created by the refused run.
      expect((await c.beta.threads.runs.list(t.id)).data).toEqual([]);
    },
  );

  it("accepts a good json_schema (name, description, schema, strict) and stores it as sent", async () => {
    const format = rf({
      name: "reply-1",
      description: "A reply",
      schema: obj({ a: { type: "string" } }),
      strict: true,
    });
    // The 2024-07-01-preview spec predates json_schema, so this client does not check shapes.
    const c = specCheckedClient((r) => h.engine.fetch(r), {
      apiVersion: "2025-01-01-preview",
      validate: false,
    }).client;
    const a = await c.beta.assistants.create({ model: "gpt-4o", response_format: format } as never);
    expect(a.response_format).toEqual(format);
  });

  // Too deep for a recursive validator: these used to overflow the stack (a 500).
  const deep = (n: number) => `${'{"items":'.repeat(n)}{}${"}".repeat(n)}`;
  const deepBodies: [string, string, string, string][] = [
    [
      "a response_format schema",
      "/openai/assistants",
      `{"model":"gpt-4o","response_format":{"type":"json_schema","json_schema":{"name":"r","schema":${deep(50_000)}}}}`,
      "response_format.json_schema.schema",
    ],
    [
      "function parameters",
      "/openai/assistants",
      `{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"f","parameters":${deep(50_000)}}}]}`,
      "tools[0].function.parameters",
    ],
  ];
  it.each(deepBodies)("%s nested 50,000 deep → 400", async (_n, url, body, param) => {
    const res = await h.engine.fetch(
      new Request(`http://engine.test${url}?api-version=${V2}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      }),
    );
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { param: string; message: string } };
    expect(json.error.param).toBe(param);
    expect(json.error.message).toMatch(/nested more than \d+ levels deep/);
  });
});

describe("runs with hostile schemas, through the SDK against an engine in a child process", () => {
  // Each case gets its own engine process, so one stuck by a regression cannot fail the next.
  let child: Child;
  let dir: string;
  let url: string;
  let baselineRss: number;
  beforeEach(async () => {
    child = new Child();
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "engine-hardening-"));
    const reply = await child.ask({ kind: "serve", dataDir: dir }, 20_000);
    if (reply.kind !== "serve") throw new Error("unexpected reply");
    url = reply.url;
    // The database opens with the first request.
    await fetch(`${url}/_engine/health`);
    const rss = await child.ask({ kind: "rss" }, 5_000);
    if (rss.kind !== "rss") throw new Error("unexpected reply");
    baselineRss = rss.rss;
  });
  afterEach(async () => {
    child.stop();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  const forward = (r: Request) => {
    const u = new URL(r.url);
    // A stuck engine fails the request instead of hanging the test.
    return fetch(new Request(`${url}${u.pathname}${u.search}`, r), { signal: AbortSignal.timeout(5_000) });
  };

  /**
   * Memory the engine process may add, over what it holds once serving (the embedded database alone
   * takes a few hundred MB), while it runs these; a healthy engine stays far below.
   */
  const RSS_HEADROOM = 300 * 1024 * 1024;

  const runs: [string, Record<string, unknown>, string, "requires_action" | "completed" | "failed"][] = [
    [
      "a function whose parameter has a catastrophic pattern",
      {
        tools: [
          {
            type: "function",
            function: { name: "get_code", parameters: obj({ code: { type: "string", pattern: "^(a+)+$" } }) },
          },
        ],
      },
      `get_code ${"a".repeat(5000)}! and ${"a".repeat(40)}!`,
      "requires_action",
    ],
    [
      "a response_format asking for 100,000,000 items",
      {
        response_format: {
          type: "json_schema",
          json_schema: { name: "big", schema: obj({ items: { type: "array", minItems: 100_000_000 } }) },
        },
      },
      "list everything",
      "failed",
    ],
    [
      "a response_format with a{99999999}",
      {
        response_format: {
          type: "json_schema",
          json_schema: { name: "long", schema: obj({ s: { type: "string", pattern: "^a{99999999}$" } }) },
        },
      },
      "a long string please",
      "failed",
    ],
    [
      "a response_format with a catastrophic pattern",
      {
        response_format: {
          type: "json_schema",
          json_schema: { name: "re", schema: obj({ code: { type: "string", pattern: "^(a|aa)+$" } }) },
        },
      },
      `${"a".repeat(60)}b`,
      "completed",
    ],
  ];

  it.each(runs)(
    "%s: the run ends and assistants.list answers within 1 s throughout",
    async (_n, assistant, text, ending) => {
      // json_schema postdates the specs in specs/, so responses carrying one are not shape-checked.
      const sdk = specCheckedClient(forward, { apiVersion: "2025-01-01-preview", validate: false });
      const c = sdk.client;
      const a = await c.beta.assistants.create({ model: "gpt-4o", ...assistant } as never);
      const t = await c.beta.threads.create({ messages: [{ role: "user", content: text }] });
      let run = await c.beta.threads.runs.create(t.id, { assistant_id: a.id });
      const deadline = Date.now() + 15_000;
      let listings = 0;
      while (Date.now() < deadline) {
        const start = performance.now();
        const page = await Promise.race([
          c.beta.assistants.list({ limit: 1 }),
          new Promise<never>((_, reject) =>
            setTimeout(
              () => reject(new Error(`assistants.list took longer than ${LIVENESS_MS} ms`)),
              LIVENESS_MS,
            ),
          ),
        ]);
        expect(page.data.length).toBe(1);
        expect(performance.now() - start).toBeLessThan(LIVENESS_MS);
        listings++;
        const rss = await child.ask({ kind: "rss" }, LIVENESS_MS);
        if (rss.kind === "rss") expect(rss.rss).toBeLessThan(baselineRss + RSS_HEADROOM);
        run = await c.beta.threads.runs.retrieve(run.id, { thread_id: t.id });
        if (!["queued", "in_progress"].includes(run.status)) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(listings).toBeGreaterThan(0);
      expect(run.status, JSON.stringify(run.last_error)).toBe(ending);
      if (ending === "failed")
        expect(run.last_error?.message).toMatch(/cannot produce a value for this schema: .+/);
      if (ending === "requires_action") {
        const call = run.required_action!.submit_tool_outputs.tool_calls[0]!;
        expect(JSON.parse(call.function.arguments)).toEqual({ code: "a" });
      }
      if (ending === "completed") {
        const [msg] = (await c.beta.threads.messages.list(t.id, { limit: 1 })).data;
        const content = msg!.content[0]!;
        expect(content.type === "text" && JSON.parse(content.text.value)).toEqual({ code: "a" });
      }
    },
  );
});
