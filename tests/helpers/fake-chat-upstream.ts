// A recording fake chat-completions upstream on 127.0.0.1 (node:http): every request is recorded
// (method, URL, headers, JSON body), and answered from a script — streamed text in chunks, tool
// calls, usage, HTTP errors with retry-after, a request that hangs until the client gives up.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: ChatRequestBody;
  /** Set when the client closed the connection before the answer ended (abort, timeout). */
  aborted: boolean;
}

export interface ChatRequestBody {
  model?: string;
  messages: {
    role: string;
    content?: string | null | { type: string; text?: string; image_url?: { url: string; detail?: string } }[];
    tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
    tool_call_id?: string;
  }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: {
    type: string;
    function: { name: string; description?: string; parameters?: unknown; strict?: boolean };
  }[];
  tool_choice?: unknown;
  parallel_tool_calls?: boolean;
  temperature?: number;
  top_p?: number;
  response_format?: unknown;
  max_tokens?: number;
  max_completion_tokens?: number;
  [key: string]: unknown;
}

export type FakeReply =
  | {
      /** Streamed as one content delta per string. */
      text?: string | string[];
      toolCalls?: { name: string; arguments: string; id?: string }[];
      usage?: { prompt_tokens: number; completion_tokens: number } | null;
      finish?: string;
      /** Milliseconds between chunks. */
      delayMs?: number;
      /** Answer with one JSON completion instead of a stream. */
      json?: boolean;
    }
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { hang: true };

export type Responder = (req: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeChatUpstream {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  requests: RecordedRequest[];
  /** Replies used in order; when empty, `fallback` answers (default: "ok" with usage). */
  script: FakeReply[];
  reply(...replies: FakeReply[]): void;
  fallback: Responder;
  close(): Promise<void>;
}

function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: 0,
    model: "fake",
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

export async function startFakeChatUpstream(
  opts: { port?: number; fallback?: Responder; onRequest?: (req: RecordedRequest) => void } = {},
): Promise<FakeChatUpstream> {
  const requests: RecordedRequest[] = [];
  const script: FakeReply[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const upstream: FakeChatUpstream = {
    origin: "",
    requests,
    script,
    reply: (...r) => void script.push(...r),
    fallback: opts.fallback ?? (() => ({ text: "ok", usage: { prompt_tokens: 1, completion_tokens: 1 } })),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const server = http.createServer(async (req, res) => {
    const url = req.url ?? "/";
    if (url === "/_fake/health") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      return;
    }
    if (url === "/_fake/requests" && req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(requests));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: ChatRequestBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatRequestBody;
    } catch {
      res
        .writeHead(400, { "content-type": "application/json" })
        .end('{"error":{"code":"bad_json","message":"not JSON"}}');
      return;
    }
    const record: RecordedRequest = {
      method: req.method ?? "",
      url,
      headers: req.headers,
      body,
      aborted: false,
    };
    requests.push(record);
    opts.onRequest?.(record);
    let finished = false;
    res.on("close", () => {
      if (!finished) record.aborted = true;
    });
    const reply = script.shift() ?? (await upstream.fallback(record));
    if ("hang" in reply) return; // never answers; the client's abort or timeout ends it
    if ("status" in reply) {
      finished = true;
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(
        JSON.stringify(
          reply.body ?? { error: { code: String(reply.status), message: `fake error ${reply.status}` } },
        ),
      );
      return;
    }
    const texts = reply.text === undefined ? [] : Array.isArray(reply.text) ? reply.text : [reply.text];
    const calls = (reply.toolCalls ?? []).map((c, i) => ({
      ...c,
      id: c.id ?? `call_fake${requests.length}_${i}`,
    }));
    const finish = reply.finish ?? (calls.length ? "tool_calls" : "stop");
    const usage = reply.usage === undefined ? { prompt_tokens: 11, completion_tokens: 7 } : reply.usage;
    if (reply.json) {
      finished = true;
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: "chatcmpl-fake",
          object: "chat.completion",
          choices: [
            {
              index: 0,
              message: {
                role: "assistant",
                content: texts.join("") || null,
                ...(calls.length
                  ? {
                      tool_calls: calls.map((c) => ({
                        id: c.id,
                        type: "function",
                        function: { name: c.name, arguments: c.arguments },
                      })),
                    }
                  : {}),
              },
              finish_reason: finish,
            },
          ],
          ...(usage
            ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }
            : {}),
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const send = async (data: unknown) => {
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
    };
    await send(chunk({ role: "assistant", content: "" }));
    for (const t of texts) await send(chunk({ content: t }));
    for (const [index, c] of calls.entries()) {
      await send(
        chunk({
          tool_calls: [{ index, id: c.id, type: "function", function: { name: c.name, arguments: "" } }],
        }),
      );
      // Arguments arrive in two pieces, as real servers split them.
      const half = Math.ceil(c.arguments.length / 2);
      await send(chunk({ tool_calls: [{ index, function: { arguments: c.arguments.slice(0, half) } }] }));
      await send(chunk({ tool_calls: [{ index, function: { arguments: c.arguments.slice(half) } }] }));
    }
    await send(chunk({}, finish));
    if (usage && body.stream_options?.include_usage)
      await send({
        id: "chatcmpl-fake",
        object: "chat.completion.chunk",
        choices: [],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      });
    await send("[DONE]");
    finished = true;
    res.end();
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  upstream.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return upstream;
}

/** The text of a recorded message's content (string or parts). */
export function contentText(content: ChatRequestBody["messages"][number]["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.map((p) => p.text ?? "").join("");
}
