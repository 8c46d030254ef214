/**
 * Bad input, table-driven: every row is refused with a clear
 * error — a status, a code and a message that says what is wrong — and leaves nothing behind:
 * - proxy rows reach no upstream at all (a recording fake Azure resource sees no request);
 * - engine rows (the local connection, in-process) leave the engine's lists exactly as they were;
 * - form rows are caught in the browser before anything is sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emptyForm, validateForm, type AssistantFormValues } from "@/lib/client/assistants/form";
import { checkFile } from "@/lib/client/files/file-types";
import { call, json, loadRoute, ORIGIN, SERVER_KEY, type Method, type RouteModule } from "../proxy/harness";
import { startFakeUpstream, type FakeUpstream } from "../proxy/fake-upstream";

const V = "api-version=2024-05-01-preview";
const JSON_HEADERS = { "content-type": "application/json", origin: ORIGIN };

interface Row {
  name: string;
  method: Method;
  path: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  status: number;
  /** A regex the error message must match: it says what is wrong. */
  message: RegExp;
}

function multipart(parts: string, boundary = "XyZ"): { headers: Record<string, string>; body: string } {
  return {
    headers: { "content-type": `multipart/form-data; boundary=${boundary}`, origin: ORIGIN },
    body: parts,
  };
}

let upstream: FakeUpstream;
let route: RouteModule;

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());

async function expectRefused(row: Row, extraHeaders: Record<string, string> = {}) {
  const res = await call(route, row.method, row.path, {
    headers: { ...(row.headers ?? {}), ...extraHeaders },
    ...(row.body !== undefined ? { body: row.body } : {}),
  });
  const body = (await json(res)) as { error?: { code?: unknown; message?: unknown } };
  expect(res.status, `${row.name}: ${JSON.stringify(body)}`).toBe(row.status);
  expect(typeof body.error?.code === "string" || body.error?.code === null).toBe(true);
  expect(String(body.error?.message)).toMatch(row.message);
  // No key or internal detail leaks into an error.
  expect(JSON.stringify(body)).not.toContain(SERVER_KEY);
}

describe("the proxy refuses bad requests before any upstream sees them", () => {
  beforeEach(async () => {
    ({ route } = await loadRoute({ AZURE_OPENAI_ENDPOINT: upstream.url, AZURE_OPENAI_API_KEY: SERVER_KEY }));
    upstream.requests.length = 0;
  });

  const rows: Row[] = [
    {
      name: "path traversal",
      method: "GET",
      path: `files/..%2F..%2Fetc%2Fpasswd/content?${V}`,
      status: 400,
      message: /path/i,
    },
    { name: "double slash", method: "GET", path: `threads//runs?${V}`, status: 400, message: /path/i },
    { name: "backslash", method: "GET", path: `files/a%5Cb?${V}`, status: 400, message: /path/i },
    {
      name: "unknown endpoint",
      method: "GET",
      path: `deployments?${V}`,
      status: 404,
      message: /not .*(allowed|forwarded|Assistants)/i,
    },
    {
      name: "admin-looking path",
      method: "POST",
      path: `fine_tuning/jobs?${V}`,
      status: 404,
      message: /not .*(allowed|forwarded|Assistants)/i,
    },
    { name: "wrong method", method: "PUT", path: `assistants?${V}`, status: 405, message: /method/i },
    {
      name: "DELETE on a list",
      method: "DELETE",
      path: `assistants?${V}`,
      status: 405,
      message: /method|DELETE/i,
    },
    {
      name: "malformed api-version",
      method: "GET",
      path: "assistants?api-version=latest",
      status: 400,
      message: /api-version/,
    },
    {
      name: "malformed JSON",
      method: "POST",
      path: `assistants?${V}`,
      headers: JSON_HEADERS,
      body: '{"model": "gpt-4o",',
      status: 400,
      message: /JSON/,
    },
    {
      name: "JSON that is not an object",
      method: "POST",
      path: `assistants?${V}`,
      headers: JSON_HEADERS,
      body: "[1,2,3]",
      status: 400,
      message: /object/i,
    },
    {
      name: "wrong content type for JSON",
      method: "POST",
      path: `assistants?${V}`,
      headers: { "content-type": "text/plain", origin: ORIGIN },
      body: "{}",
      status: 415,
      message: /application\/json|content-type/i,
    },
    {
      name: "JSON sent to the upload endpoint",
      method: "POST",
      path: `files?${V}`,
      headers: JSON_HEADERS,
      body: "{}",
      status: 415,
      message: /multipart/i,
    },
    {
      name: "non-UTF-8 JSON body",
      method: "POST",
      path: `assistants?${V}`,
      headers: JSON_HEADERS,
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      status: 400,
      message: /UTF-8|JSON/i,
    },
    {
      name: "oversize JSON body",
      method: "POST",
      path: `assistants?${V}`,
      headers: JSON_HEADERS,
      body: JSON.stringify({ model: "gpt-4o", instructions: "x".repeat(9 * 1024 * 1024) }),
      status: 413,
      message: /large|limit|bytes/i,
    },
    {
      name: "unknown connection",
      method: "GET",
      path: `assistants?${V}`,
      headers: { "x-playground-connection": "nope" },
      status: 400,
      message: /Unknown connection/,
    },
    {
      name: "cross-site request",
      method: "POST",
      path: `assistants?${V}`,
      headers: { ...JSON_HEADERS, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      body: "{}",
      status: 403,
      message: /origin/i,
    },
  ];

  it.each(rows.map((r) => [r.name, r] as const))("%s", async (_name, row) => {
    await expectRefused(row);
    expect(upstream.requests).toEqual([]);
  });
});

describe("the local engine refuses bad input and changes nothing", () => {
  const local = { "x-playground-connection": "local" };

  async function snapshot(): Promise<string> {
    const lists = await Promise.all(
      ["assistants?limit=100", "files", "vector_stores?limit=100"].map(async (p) => {
        const res = await call(route, "GET", `${p}${p.includes("?") ? "&" : "?"}${V}`, { headers: local });
        expect(res.status).toBe(200);
        return ((await json(res)) as { data: { id: string }[] }).data.map((o) => o.id).sort();
      }),
    );
    return JSON.stringify(lists);
  }

  let assistantId = "";
  let threadId = "";

  beforeAll(async () => {
    ({ route } = await loadRoute({}));
    const a = await call(route, "POST", `assistants?${V}`, {
      headers: { ...JSON_HEADERS, ...local },
      body: JSON.stringify({ model: "gpt-4o", name: "bad-input-target" }),
    });
    assistantId = ((await json(a)) as { id: string }).id;
    const t = await call(route, "POST", `threads?${V}`, {
      headers: { ...JSON_HEADERS, ...local },
      body: "{}",
    });
    threadId = ((await json(t)) as { id: string }).id;
  });

  const fn = (name: string, parameters: unknown = { type: "object", properties: {} }) => ({
    type: "function",
    function: { name, parameters },
  });
  const post = (path: string, body: unknown, status: number, message: RegExp, name: string): Row => ({
    name,
    method: "POST",
    path: `${path}?${V}`,
    headers: JSON_HEADERS,
    body: typeof body === "string" ? body : JSON.stringify(body),
    status,
    message,
  });

  const rows = (): Row[] => [
    post("assistants", {}, 400, /model/, "assistant without model"),
    post("assistants", { model: "" }, 400, /model/, "empty model"),
    post("assistants", { model: "gpt-4o", name: "n".repeat(257) }, 400, /name/, "name over 256 characters"),
    post(
      "assistants",
      { model: "gpt-4o", description: "d".repeat(513) },
      400,
      /description/,
      "description over 512 characters",
    ),
    post(
      "assistants",
      { model: "gpt-4o", instructions: "i".repeat(256_001) },
      400,
      /instructions/,
      "instructions over 256,000 characters",
    ),
    post(
      "assistants",
      { model: "gpt-4o", tools: Array.from({ length: 129 }, (_, i) => fn(`f${i}`)) },
      400,
      /128|tools/,
      "129 tools",
    ),
    post(
      "assistants",
      { model: "gpt-4o", tools: [{ type: "browser" }] },
      400,
      /tool|type/i,
      "unknown tool type",
    ),
    post(
      "assistants",
      { model: "gpt-4o", tools: [fn("bad name!")] },
      400,
      /name/,
      "function name with spaces",
    ),
    post(
      "assistants",
      { model: "gpt-4o", tools: [fn("f", "not a schema")] },
      400,
      /parameters|schema|object/i,
      "parameters that are not a schema",
    ),
    post(
      "assistants",
      { model: "gpt-4o", tools: [fn("f", { type: "strin" })] },
      400,
      /parameters|schema|type/i,
      "invalid JSON Schema type",
    ),
    post(
      "assistants",
      { model: "gpt-4o", metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) },
      400,
      /metadata|16/,
      "17 metadata keys",
    ),
    post(
      "assistants",
      { model: "gpt-4o", metadata: { ["k".repeat(65)]: "v" } },
      400,
      /metadata|64/,
      "metadata key over 64 characters",
    ),
    post(
      "assistants",
      { model: "gpt-4o", metadata: { k: "v".repeat(513) } },
      400,
      /metadata|512/,
      "metadata value over 512 characters",
    ),
    post(
      "assistants",
      { model: "gpt-4o", metadata: { k: 1 } },
      400,
      /metadata|string/,
      "metadata value not a string",
    ),
    post("assistants", { model: "gpt-4o", temperature: 3 }, 400, /temperature/, "temperature above 2"),
    post("assistants", { model: "gpt-4o", top_p: -0.1 }, 400, /top_p/, "top_p below 0"),
    post(
      "assistants",
      { model: "gpt-4o", response_format: { type: "xml" } },
      400,
      /response_format|type/,
      "unknown response format",
    ),
    post(
      "assistants",
      {
        model: "gpt-4o",
        tool_resources: { code_interpreter: { file_ids: Array.from({ length: 21 }, (_, i) => `file-${i}`) } },
      },
      400,
      /20|file_ids/,
      "21 code-interpreter files",
    ),
    post(
      "assistants",
      { model: "gpt-4o", tool_resources: { file_search: { vector_store_ids: ["vs_a", "vs_b"] } } },
      400,
      /vector_store|1/,
      "two vector stores",
    ),
    post("assistants", '{"model":', 400, /JSON/, "truncated JSON"),
    post(
      "threads",
      { messages: [{ role: "system", content: "hi" }] },
      400,
      /role/,
      "message with role system",
    ),
    post("threads", { messages: [{ role: "user" }] }, 400, /content/, "message without content"),
    post(
      "threads/runs",
      { assistant_id: "asst_doesnotexist" },
      404,
      /asst_doesnotexist|assistant/i,
      "run with an unknown assistant",
    ),
    post(
      "vector_stores",
      { name: "v", expires_after: { anchor: "last_active_at", days: 0 } },
      400,
      /days|expires_after/,
      "vector store expiring after 0 days",
    ),
    post(
      "vector_stores",
      {
        name: "v",
        chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 50, chunk_overlap_tokens: 0 } },
      },
      400,
      /chunk/,
      "chunks below 100 tokens",
    ),
    {
      name: "malformed assistant id",
      method: "GET",
      path: `assistants/not-an-id?${V}`,
      status: 404,
      message: /not-an-id|No assistant/i,
    },
    {
      name: "unknown file content",
      method: "GET",
      path: `files/file-doesnotexist/content?${V}`,
      status: 404,
      message: /file-doesnotexist|No file/i,
    },
    {
      name: "upload without the file part",
      method: "POST",
      path: `files?${V}`,
      ...multipart(
        '--XyZ\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n--XyZ--\r\n',
      ),
      status: 400,
      message: /file/i,
    },
    {
      name: "truncated multipart upload",
      method: "POST",
      path: `files?${V}`,
      ...multipart(
        '--XyZ\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello wor',
      ),
      status: 400,
      message: /could not be read|multipart|incomplete|truncated/i,
    },
    {
      name: "upload with an unsupported purpose",
      method: "POST",
      path: `files?${V}`,
      ...multipart(
        '--XyZ\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nfine-tune-me\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n',
      ),
      status: 400,
      message: /purpose/i,
    },
  ];

  it("has its table", () => {
    expect(rows().length).toBeGreaterThanOrEqual(30);
  });

  it.each(rows().map((r) => [r.name, r] as const))("%s", async (_name, row) => {
    const before = await snapshot();
    await expectRefused(row, local);
    expect(await snapshot()).toBe(before);
  });

  it("a message posted to a thread with a bad role adds nothing to the thread", async () => {
    const row = post(`threads/${threadId}/messages`, { role: "tool", content: "x" }, 400, /role/, "bad role");
    await expectRefused(row, local);
    const list = await call(route, "GET", `threads/${threadId}/messages?${V}`, { headers: local });
    expect(((await json(list)) as { data: unknown[] }).data).toEqual([]);
    expect(assistantId).toMatch(/^asst_/);
  });
});

describe("the browser's forms refuse bad input before sending", () => {
  const V2 = "2024-05-01-preview";
  const form = (over: Partial<AssistantFormValues>) => ({ ...emptyForm(), ...over });
  const fnDraft = (json: string) => ({ key: "f", json });
  const formRows: [string, Partial<AssistantFormValues>, string, RegExp][] = [
    ["empty deployment", { model: " " }, "model", /Deployment is required/],
    ["name over 256", { name: "n".repeat(257) }, "name", /limit is 256/],
    ["description over 512", { description: "d".repeat(513) }, "description", /limit is 512/],
    ["instructions over 256,000", { instructions: "i".repeat(256_001) }, "instructions", /256,000/],
    ["temperature not a number", { temperature: "hot" }, "temperature", /Temperature/],
    ["temperature above 2", { temperature: "2.5" }, "temperature", /Temperature/],
    ["top_p above 1", { topP: "1.5" }, "topP", /Top P/],
    ["function that is not JSON", { functions: [fnDraft("{name: f}")] }, "function.f", /JSON/],
    ["function without a name", { functions: [fnDraft('{"description":"x"}')] }, "function.f", /name/],
    ["function name with spaces", { functions: [fnDraft('{"name":"get weather"}')] }, "function.f", /name/],
    [
      "json_schema with a bad name",
      { responseFormat: "json_schema", jsonSchemaName: "bad name", jsonSchema: "{}" },
      "jsonSchemaName",
      /Schema name/,
    ],
    [
      "21 code-interpreter files",
      { codeInterpreter: true, codeInterpreterFileIds: Array.from({ length: 21 }, (_, i) => `file-${i}`) },
      "codeInterpreterFileIds",
      /at most 20/,
    ],
  ];
  it.each(formRows)("%s", (_name, over, field, message) => {
    const errors = validateForm(form(over), "2025-01-01-preview");
    expect(errors[field]).toMatch(message);
    expect(validateForm(form({}), V2)).toEqual({});
  });

  const fileRows: [string, { name: string; size: number }, RegExp][] = [
    ["an executable", { name: "tool.exe", size: 10 }, /\.exe files are not supported/],
    ["an empty file", { name: "empty.txt", size: 0 }, /is empty/],
    ["a file over 512 MB", { name: "huge.txt", size: 512 * 1024 * 1024 + 1 }, /too large/],
    ["a file without an extension", { name: "Makefile", size: 10 }, /without an extension/],
  ];
  it.each(fileRows)("%s", (_name, file, message) => {
    expect(checkFile(file)).toMatch(message);
  });
});
