/**
 * One streamed chat-completions call: POST with a bounded retry that honours `retry-after`, then
 * the SSE body parsed into chunks. Aborts with the run's signal; a request that sends nothing for
 * too long is abandoned. Error messages carry the upstream's status, code and message, never a key.
 */

export interface UpstreamOptions {
  fetch: typeof fetch;
  /** Retries after the first attempt (429, 408, 5xx, network errors, timeouts). */
  maxRetries: number;
  /** A `retry-after` longer than this is not waited for: the call fails at once with the upstream's message. */
  maxRetryDelayMs: number;
  /** Until the response headers arrive. */
  requestTimeoutMs: number;
  /** Between two chunks of the streamed body. */
  idleTimeoutMs: number;
  /** Strings that must never appear in an error message (keys, tokens). */
  secrets: () => string[];
}

export class UpstreamError extends Error {
  override name = "UpstreamError";
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: "server_error" | "rate_limit_exceeded" | "invalid_prompt",
  ) {
    super(message);
  }
}

/** A chunk of a streamed chat completion (the fields the driver reads). */
export interface ChatChunk {
  choices?: {
    index?: number;
    delta?: {
      content?: string | null;
      refusal?: string | null;
      tool_calls?: {
        index?: number;
        id?: string;
        type?: string;
        function?: { name?: string; arguments?: string };
      }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: unknown;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Milliseconds the upstream asks to wait: `retry-after-ms`, else `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers): number | null {
  const ms = Number(headers.get("retry-after-ms"));
  if (headers.get("retry-after-ms") !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = headers.get("retry-after");
  if (ra === null) return null;
  const seconds = Number(ra);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("***");
  return out.replace(/(bearer\s+)[\w.~+/=-]{8,}/gi, "$1***");
}

/** The upstream's own error message: OpenAI/Azure `{error:{code,message}}`, Ollama `{error:"…"}`, or text. */
export function describeErrorBody(text: string): { code: string | null; message: string } {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const e = body.error;
    if (typeof e === "string") return { code: null, message: e };
    if (e && typeof e === "object") {
      const { code, message } = e as { code?: unknown; message?: unknown };
      return {
        code: code === undefined || code === null ? null : String(code),
        message: typeof message === "string" ? message : JSON.stringify(e),
      };
    }
    if (typeof body.message === "string") return { code: null, message: body.message };
  } catch {
    // not JSON
  }
  return { code: null, message: text.trim() || "(no message)" };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Node's fetch says only "fetch failed"; the cause has the system error (ECONNREFUSED, ENOTFOUND…). */
function networkReason(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return `${e.message ?? String(err)}${cause ? ` (${cause})` : ""}`;
}

function clip(text: string, max = 600): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * POSTs `body` to `url` and yields the parsed SSE chunks. Retries only before the body starts to
 * stream, so nothing is ever shown twice. Throws UpstreamError; returns quietly when `signal` fires.
 */
export async function* streamChatCompletion(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal,
  options: UpstreamOptions,
): AsyncGenerator<ChatChunk> {
  const where = `The model endpoint (${new URL(url).host})`;
  const fail = (message: string, status: number | null, code: UpstreamError["code"] = "server_error") =>
    new UpstreamError(redact(message, options.secrets()), status, code);
  let response: Response | null = null;
  let attempt = 0;
  for (;;) {
    attempt++;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), options.requestTimeoutMs);
    let retryIn: number | null = null;
    let lastError: UpstreamError;
    try {
      const r = await options.fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, timeout.signal]),
      });
      clearTimeout(timer);
      if (r.ok) {
        response = r;
        break;
      }
      const text = await r.text().catch(() => "");
      const { code, message } = describeErrorBody(text);
      const tries = attempt > 1 ? ` (after ${attempt} attempts)` : "";
      lastError = fail(
        `${where} answered ${r.status}${code ? ` ${code}` : ""}: ${clip(message)}${tries}`,
        r.status,
        r.status === 429
          ? "rate_limit_exceeded"
          : r.status === 400 && /content_filter|ResponsibleAI/i.test(text)
            ? "invalid_prompt"
            : "server_error",
      );
      if (!RETRY_STATUSES.has(r.status)) throw lastError;
      retryIn = retryAfterMs(r.headers);
    } catch (err) {
      clearTimeout(timer);
      if (signal.aborted) return;
      if (err instanceof UpstreamError) throw err;
      const tries = attempt > 1 ? ` (after ${attempt} attempts)` : "";
      lastError = timeout.signal.aborted
        ? fail(
            `${where} did not answer within ${Math.round(options.requestTimeoutMs / 1000)} s${tries}.`,
            null,
          )
        : fail(`${where} could not be reached: ${networkReason(err)}${tries}.`, null);
    }
    if (attempt > options.maxRetries) throw lastError;
    const delay = retryIn ?? Math.min(8000, options.maxRetryDelayMs, 500 * 2 ** (attempt - 1));
    if (retryIn !== null && delay > options.maxRetryDelayMs)
      throw fail(
        `${lastError.message} It asked to retry after ${Math.ceil(delay / 1000)} s, longer than this engine waits.`,
        lastError.status,
        lastError.code,
      );
    await sleep(delay, signal);
    if (signal.aborted) return;
  }

  if (!response.body) throw fail(`${where} answered without a body.`, response.status);
  const contentType = response.headers.get("content-type") ?? "";
  if (!contentType.includes("text/event-stream")) {
    // A server that ignores `stream: true` answers with one JSON completion.
    const text = await response.text();
    let json: {
      choices?: { message?: { content?: string | null; tool_calls?: unknown[] }; finish_reason?: string }[];
      usage?: ChatChunk["usage"];
    };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      throw fail(
        `${where} answered ${response.status} with something that is not a chat completion: ${clip(text, 200)}`,
        response.status,
      );
    }
    const choice = json.choices?.[0];
    yield {
      choices: [
        {
          delta: {
            content: choice?.message?.content ?? null,
            tool_calls: (choice?.message?.tool_calls ?? []).map((tc, index) => ({
              index,
              ...(tc as object),
            })),
          },
          finish_reason: choice?.finish_reason ?? "stop",
        },
      ],
      usage: json.usage ?? null,
    };
    return;
  }

  const idle = new AbortController();
  let idleTimer = setTimeout(() => idle.abort(), options.idleTimeoutMs);
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  signal.addEventListener("abort", stop, { once: true });
  idle.signal.addEventListener("abort", stop, { once: true });
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (err) {
        if (signal.aborted) return;
        if (idle.signal.aborted) break;
        throw fail(`${where} broke off the stream: ${(err as Error).message}.`, null);
      }
      if (signal.aborted) return;
      if (idle.signal.aborted) break;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => idle.abort(), options.idleTimeoutMs);
      if (read.done) buffer += decoder.decode();
      else buffer += decoder.decode(read.value, { stream: true });
      buffer = buffer.replace(/\r\n/g, "\n");
      let cut: number;
      while (
        (cut = buffer.indexOf("\n\n")) >= 0 ||
        (read.done && buffer.trim() && (cut = buffer.length) >= 0)
      ) {
        const event = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = event
          .split("\n")
          .filter((l) => l.startsWith("data:"))
          .map((l) => l.slice(5).trimStart())
          .join("\n");
        if (!data) continue;
        if (data === "[DONE]") return;
        let chunk: ChatChunk;
        try {
          chunk = JSON.parse(data) as ChatChunk;
        } catch {
          throw fail(`${where} sent an event that is not JSON: ${clip(data, 200)}`, null);
        }
        if (chunk.error) {
          const { code, message } = describeErrorBody(JSON.stringify({ error: chunk.error }));
          throw fail(
            `${where} reported an error mid-stream${code ? ` (${code})` : ""}: ${clip(message)}`,
            null,
          );
        }
        yield chunk;
      }
      if (read.done) return;
    }
    throw fail(
      `${where} stopped sending for ${Math.round(options.idleTimeoutMs / 1000)} s in the middle of its answer.`,
      null,
    );
  } finally {
    clearTimeout(idleTimer);
    signal.removeEventListener("abort", stop);
    stop();
  }
}
