import { AzureOpenAI, NotFoundError, RateLimitError, APIError, toFile } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadRoute, ORIGIN, routeFetch, SERVER_KEY, type RouteModule } from "./harness";
import { startFakeUpstream, type FakeUpstream } from "./fake-upstream";

let upstream: FakeUpstream;
let route: RouteModule;

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());
beforeEach(async () => {
  ({ route } = await loadRoute({ AZURE_OPENAI_ENDPOINT: upstream.url, AZURE_OPENAI_API_KEY: SERVER_KEY }));
  upstream.requests.length = 0;
});

const API_VERSION = "2024-05-01-preview";

function client() {
  return new AzureOpenAI({
    baseURL: `${ORIGIN}/api/openai`,
    apiKey: "unused",
    apiVersion: API_VERSION,
    maxRetries: 0,
    fetch: routeFetch(route),
  });
}

const assistant = {
  id: "asst_1",
  object: "assistant",
  created_at: 1700000000,
  name: "Helper",
  description: null,
  model: "gpt-4o",
  instructions: "Be brief.",
  tools: [],
  tool_resources: {},
  metadata: {},
  temperature: 1,
  top_p: 1,
  response_format: "auto",
};

describe("the official SDK through the proxy route, unchanged", () => {
  it("creates an assistant: Azure URL, server key, body as sent", async () => {
    upstream.respond((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(assistant));
    });
    const created = await client().beta.assistants.create({
      model: "gpt-4o",
      name: "Helper",
      instructions: "Be brief.",
    });
    expect(created).toEqual(assistant);
    const seen = upstream.requests[0]!;
    expect(seen.method).toBe("POST");
    expect(seen.url).toBe(`/openai/assistants?api-version=${API_VERSION}`);
    expect(seen.headers["api-key"]).toBe(SERVER_KEY);
    expect(JSON.parse(seen.body.toString())).toEqual({
      model: "gpt-4o",
      name: "Helper",
      instructions: "Be brief.",
    });
  });

  it("streams a run: events arrive, the final run is parsed", async () => {
    const message = {
      id: "msg_1",
      object: "thread.message",
      created_at: 1,
      thread_id: "thread_1",
      role: "assistant",
      content: [],
      status: "in_progress",
      assistant_id: "asst_1",
      run_id: "run_1",
      attachments: [],
      metadata: {},
    };
    const run = (status: string) => ({
      id: "run_1",
      object: "thread.run",
      thread_id: "thread_1",
      assistant_id: "asst_1",
      status,
    });
    upstream.respond((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`event: thread.run.created\ndata: ${JSON.stringify(run("queued"))}\n\n`);
      res.write(`event: thread.message.created\ndata: ${JSON.stringify(message)}\n\n`);
      res.write(
        `event: thread.message.delta\ndata: ${JSON.stringify({ id: "msg_1", object: "thread.message.delta", delta: { content: [{ index: 0, type: "text", text: { value: "Hello" } }] } })}\n\n`,
      );
      res.write(`event: thread.run.completed\ndata: ${JSON.stringify(run("completed"))}\n\n`);
      res.end("event: done\ndata: [DONE]\n\n");
    });
    const stream = client().beta.threads.runs.stream("thread_1", { assistant_id: "asst_1" });
    const events: string[] = [];
    for await (const event of stream) events.push(event.event);
    expect(events).toEqual([
      "thread.run.created",
      "thread.message.created",
      "thread.message.delta",
      "thread.run.completed",
    ]);
    expect((await stream.finalRun()).status).toBe("completed");
    const [final] = await stream.finalMessages();
    expect(final?.content[0]).toMatchObject({ type: "text", text: { value: "Hello" } });
    expect(upstream.requests[0]!.url).toBe(`/openai/threads/thread_1/runs?api-version=${API_VERSION}`);
    expect(JSON.parse(upstream.requests[0]!.body.toString())).toEqual({
      assistant_id: "asst_1",
      stream: true,
    });
  });

  it("uploads a file as multipart", async () => {
    upstream.respond((_req, res, recorded) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "assistant-f1",
          object: "file",
          bytes: recorded.bytes,
          created_at: 1,
          filename: "data.csv",
          purpose: "assistants",
          status: "processed",
        }),
      );
    });
    const file = await client().files.create({
      file: await toFile(Buffer.from("a,b\n1,2\n"), "data.csv"),
      purpose: "assistants",
    });
    expect(file.id).toBe("assistant-f1");
    const seen = upstream.requests[0]!;
    expect(seen.url).toBe(`/openai/files?api-version=${API_VERSION}`);
    expect(seen.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.body.toString()).toContain('filename="data.csv"');
    expect(seen.body.toString()).toContain("a,b\n1,2\n");
  });

  it("upstream errors become the SDK's typed errors", async () => {
    upstream.respond((req, res) => {
      if (req.url?.includes("asst_gone")) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            error: {
              message: "No assistant found with id 'asst_gone'.",
              type: "invalid_request_error",
              param: null,
              code: null,
            },
          }),
        );
      } else {
        res.writeHead(429, { "content-type": "application/json", "retry-after": "3" });
        res.end(JSON.stringify({ error: { code: "429", message: "Rate limit is exceeded." } }));
      }
    });
    const c = client();
    const notFound = await c.beta.assistants.retrieve("asst_gone").catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect((notFound as NotFoundError).message).toContain("No assistant found with id 'asst_gone'.");
    const limited = await c.beta.assistants.list().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers.get("retry-after")).toBe("3");
  });

  it("a refused endpoint is an APIError with the proxy's code, and nothing is sent upstream", async () => {
    const err = await client()
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as APIError).code).toBe("endpoint_not_allowed");
    expect(upstream.requests).toEqual([]);
  });
});
