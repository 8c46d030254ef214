/**
 * A small in-memory stand-in for the playground's server, as a `fetch` function, for component
 * tests: the real SDK client talks to it, so request shapes and SSE parsing are exercised for real.
 * Only what the shell uses is implemented.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

export interface FakeOptions {
  /** SSE events (event name and data) a run streams; `{id}` placeholders are not needed: ids are fixed. */
  runEvents?: (threadId: string, assistantId: string) => Array<{ event: string; data: unknown }>;
  /** Status to answer a run creation with instead of streaming (e.g. 500, 429). */
  runStatus?: number;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const list = (data: unknown[]) =>
  json({ object: "list", data, first_id: null, last_id: null, has_more: false });

const notFound = (what: string, id: string) =>
  json(
    {
      error: {
        code: "not_found",
        message: `No ${what} found with id '${id}'.`,
        type: "invalid_request_error",
        param: null,
      },
    },
    404,
  );

export function createFakeAssistantsFetch(options: FakeOptions = {}) {
  const requests: RecordedRequest[] = [];
  const assistants: Array<Record<string, unknown>> = [];
  const threads = new Map<string, Array<Record<string, unknown>>>();
  let seq = 0;
  const nextId = (prefix: string) => `${prefix}_${++seq}`;

  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
      "http://app.test",
    );
    const method = (init?.method ?? "GET").toUpperCase();
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    requests.push({ method, path: url.pathname, query: url.searchParams, headers, body });
    const parts = url.pathname.replace(/^\/api\/openai\//, "").split("/");
    const b = (body ?? {}) as Record<string, unknown>;

    if (url.pathname === "/api/playground/connections") {
      return json({
        connections: [
          {
            name: "local",
            kind: "local",
            label: "Local engine — scripted model",
            description: "built in",
            apiVersion: "2024-05-01-preview",
            apiVersions: ["2024-05-01-preview"],
            default: true,
          },
        ],
      });
    }
    if (parts[0] === "assistants" && parts.length === 1) {
      if (method === "GET") {
        // Cursor pages (limit, after, order) as the API has them; without a limit, everything.
        const ordered = url.searchParams.get("order") === "asc" ? [...assistants] : [...assistants].reverse();
        const after = url.searchParams.get("after");
        const from = after ? ordered.findIndex((a) => a.id === after) + 1 : 0;
        const limit = Number(url.searchParams.get("limit") ?? ordered.length);
        const data = ordered.slice(from, from + limit);
        return json({
          object: "list",
          data,
          first_id: data[0]?.id ?? null,
          last_id: data.at(-1)?.id ?? null,
          has_more: from + limit < ordered.length,
        });
      }
      const assistant = {
        id: nextId("asst"),
        object: "assistant",
        created_at: 1,
        description: null,
        metadata: {},
        tool_resources: {},
        ...b,
        tools: b.tools ?? [],
      };
      assistants.push(assistant);
      return json(assistant);
    }
    if (parts[0] === "assistants" && parts[1] && method === "GET") {
      const found = assistants.find((a) => a.id === parts[1]);
      return found ? json(found) : notFound("assistant", parts[1]);
    }
    if (parts[0] === "assistants" && parts[1] && method === "POST") {
      const found = assistants.find((a) => a.id === parts[1]);
      if (!found) return notFound("assistant", parts[1]);
      Object.assign(found, b);
      return json(found);
    }
    if (parts[0] === "threads" && parts.length === 1 && method === "POST") {
      const id = nextId("thread");
      threads.set(id, []);
      return json({ id, object: "thread", created_at: 1700000000, metadata: {}, tool_resources: {} });
    }
    const threadId = parts[0] === "threads" ? parts[1] : undefined;
    if (threadId !== undefined) {
      const messages = threads.get(threadId);
      if (!messages) return notFound("thread", threadId);
      if (parts[2] === "messages" && method === "GET") return list([...messages].reverse());
      if (parts[2] === "messages" && method === "POST") {
        const message = {
          id: nextId("msg"),
          object: "thread.message",
          thread_id: threadId,
          role: "user",
          status: "completed",
          content: [{ type: "text", text: { value: String(b.content), annotations: [] } }],
          created_at: 1,
          attachments: [],
          metadata: {},
        };
        messages.push(message);
        return json(message);
      }
      if (parts[2] === "runs" && parts.length === 3 && method === "GET") return list([]);
      if (parts[2] === "runs" && parts[4] === "steps") return list([]);
      if (parts[2] === "runs" && parts.length === 3 && method === "POST") {
        if (options.runStatus) {
          return json(
            {
              error: {
                code: "server_error",
                message: "The upstream failed.",
                type: "server_error",
                param: null,
              },
            },
            options.runStatus,
          );
        }
        const events = options.runEvents?.(threadId, String(b.assistant_id)) ?? [];
        for (const e of events) {
          if (e.event === "thread.message.completed") messages.push(e.data as Record<string, unknown>);
        }
        const sse =
          events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join("") +
          "event: done\ndata: [DONE]\n\n";
        return new Response(sse, { status: 200, headers: { "content-type": "text/event-stream" } });
      }
    }
    return json({ error: { code: "404", message: "Resource not found" } }, 404);
  };

  return { fetch: fetchImpl as typeof fetch, requests, assistants, threads };
}

/** The SSE events of a plain completed run whose answer is `chunks` joined. */
export function scriptedRunEvents(threadId: string, assistantId: string, chunks: string[]) {
  const run = (status: string) => ({
    id: "run_1",
    object: "thread.run",
    thread_id: threadId,
    assistant_id: assistantId,
    status,
    model: "gpt-4o",
    created_at: 1,
    last_error: null,
    usage: null,
  });
  const message = (status: string, value: string) => ({
    id: "msg_answer",
    object: "thread.message",
    thread_id: threadId,
    role: "assistant",
    status,
    created_at: 2,
    attachments: [],
    metadata: {},
    content: value ? [{ type: "text", text: { value, annotations: [] } }] : [],
  });
  return [
    { event: "thread.run.created", data: run("queued") },
    { event: "thread.run.in_progress", data: run("in_progress") },
    { event: "thread.message.created", data: message("in_progress", "") },
    ...chunks.map((value) => ({
      event: "thread.message.delta",
      data: {
        id: "msg_answer",
        object: "thread.message.delta",
        delta: { content: [{ index: 0, type: "text", text: { value } }] },
      },
    })),
    { event: "thread.message.completed", data: message("completed", chunks.join("")) },
    { event: "thread.run.completed", data: run("completed") },
  ];
}
