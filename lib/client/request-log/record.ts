/**
 * Records every call this browser makes through the proxy (the request log): method, path,
 * status, timings, and the bodies both ways — JSON and text as text (cut when long), run streams
 * as their list of events, recorded while the SDK reads them (the stream passes through a
 * transform; nothing is buffered or read ahead), multipart uploads as a summary of their parts
 * (never the bytes), binary downloads as their size and type. Secrets are removed before anything
 * is stored (./redact.ts). Calls that do not go to the proxy (the SDK's own `data:` probe) pass
 * through unrecorded.
 */
import { mayNeedRedaction, redactHeaders, redactJson, redactText, redactUrl } from "./redact";
import { createRechunker } from "./sse-chunks";
import {
  capText,
  MAX_EVENTS,
  requestLog,
  type LoggedBody,
  type MultipartPart,
  type RequestLog,
  type SseEvent,
} from "./store";

const PROXY_MARKER = "/api/openai";
const CONNECTION_HEADER = "x-playground-connection";
/** How often a live stream's new events are published to subscribers. */
const STREAM_PUBLISH_MS = 100;

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

function textBody(text: string, contentType: string | null): LoggedBody {
  if (contentType === null || /json/i.test(contentType)) {
    try {
      const parsed: unknown = JSON.parse(text);
      return { kind: "json", ...capText(JSON.stringify(redactJson(parsed), null, 2)) };
    } catch {
      // Not JSON after all: kept as text.
    }
  }
  return { kind: "text", ...capText(redactText(text)) };
}

/** What the log keeps of a request body: never a file's bytes. */
export function describeRequestBody(
  body: BodyInit | null | undefined,
  contentType: string | null,
): LoggedBody | null {
  if (body === null || body === undefined) return null;
  if (typeof body === "string") return textBody(body, contentType);
  if (typeof FormData !== "undefined" && body instanceof FormData) {
    const parts: MultipartPart[] = [];
    body.forEach((value, name) => {
      if (typeof value === "string") parts.push({ name, value: capText(redactText(value), 1024).text });
      else
        parts.push({
          name,
          filename: value.name,
          contentType: value.type || "application/octet-stream",
          size: value.size,
        });
    });
    return { kind: "multipart", parts };
  }
  if (body instanceof URLSearchParams)
    return { kind: "text", ...capText(redactUrl(`?${body.toString()}`).slice(1)) };
  if (typeof Blob !== "undefined" && body instanceof Blob)
    return {
      kind: "binary",
      contentType: body.type || contentType || "application/octet-stream",
      size: body.size,
    };
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body))
    return { kind: "binary", contentType: contentType ?? "application/octet-stream", size: body.byteLength };
  return { kind: "binary", contentType: contentType ?? "application/octet-stream", size: null };
}

/** Incremental `text/event-stream` parser (the WHATWG rules the SDK follows); linear in the bytes it reads. */
export class SseRecorder {
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private readonly decoder = new TextDecoder();

  constructor(private readonly onEvent: (e: SseEvent) => void) {}

  push(chunk: Uint8Array): void {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    this.drain();
  }

  end(): void {
    this.buffer += this.decoder.decode();
    if (this.buffer) this.buffer += "\n";
    this.drain();
    this.dispatch();
  }

  private drain(): void {
    const buffer = this.buffer;
    let from = 0;
    // The next \n and \r at or after `from`, searched again only once passed: a chunk without any
    // \r is scanned for one once, not once per line (which made a many-event chunk quadratic).
    let n = -2;
    let r = -2;
    for (;;) {
      if (n !== -1 && n < from) n = buffer.indexOf("\n", from);
      if (r !== -1 && r < from) r = buffer.indexOf("\r", from);
      const at = n < 0 ? r : r < 0 ? n : Math.min(n, r);
      if (at < 0) break;
      let next = at + 1;
      if (buffer[at] === "\r") {
        // A lone \r at the end may be the first half of \r\n: wait for more.
        if (at === buffer.length - 1) break;
        if (buffer[at + 1] === "\n") next = at + 2;
      }
      this.line(buffer.slice(from, at));
      from = next;
    }
    this.buffer = from === 0 ? buffer : buffer.slice(from);
  }

  private line(line: string): void {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
  }

  private dispatch(): void {
    if (this.data.length === 0 && !this.event) return;
    this.onEvent({ event: this.event || "message", data: this.data.join("\n") });
    this.event = "";
    this.data = [];
  }
}

/** An event's data with secrets removed; data that cannot hold one is kept as it came (most events: text deltas). */
export function redactEventData(data: string): string {
  if (!mayNeedRedaction(data)) return data;
  try {
    return JSON.stringify(redactJson(JSON.parse(data)));
  } catch {
    return redactText(data);
  }
}

/** The longest the log's reading of a stream waits for the page to be idle. */
const LOG_IDLE_WAIT_MS = 1000;

/** Runs `task` after `delay` ms, at the next idle moment (or LOG_IDLE_WAIT_MS later at most). Returns a cancel. */
function whenIdle(task: () => void, delay: number): () => void {
  let idle: number | null = null;
  const timer = setTimeout(() => {
    if (typeof requestIdleCallback === "function")
      idle = requestIdleCallback(task, { timeout: LOG_IDLE_WAIT_MS });
    else task();
  }, delay);
  return () => {
    clearTimeout(timer);
    if (idle !== null) cancelIdleCallback(idle);
  };
}

/**
 * Wraps a response body so every chunk the reader takes is also handed to `onChunk` (as it came).
 * `rewrite` may hand the reader something else in its place (./sse-chunks: the same events).
 */
function observe(
  body: ReadableStream<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
  onEnd: (error: unknown) => void,
  rewrite?: (chunk: Uint8Array) => Uint8Array[],
): ReadableStream<Uint8Array> {
  let ended = false;
  const finish = (error: unknown) => {
    if (ended) return;
    ended = true;
    onEnd(error);
  };
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          finish(null);
          controller.close();
          return;
        }
        onChunk(value);
        if (rewrite) for (const part of rewrite(value)) controller.enqueue(part);
        else controller.enqueue(value);
      } catch (err) {
        finish(err);
        controller.error(err);
      }
    },
    async cancel(reason) {
      finish("cancelled");
      await reader.cancel(reason);
    },
  });
}

function rebuild(response: Response, body: ReadableStream<Uint8Array>): Response {
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * How a call ended, for its entry: `err` null is done; the reader stopping early ("cancelled") or
 * a call the page aborted is cancelled; anything else is an error.
 */
function ending(err: unknown, aborted: boolean) {
  if (err === null) return { state: "done", error: null } as const;
  if (err === "cancelled") return { state: "cancelled", error: errorText(err) } as const;
  if (aborted) return { state: "cancelled", error: errorText("aborted") } as const;
  return { state: "error", error: errorText(err) } as const;
}

function errorText(err: unknown): string {
  if (err === "cancelled")
    return "The page stopped reading before the end of the body (it no longer needed it).";
  if (err === "aborted")
    return "Cancelled before the answer came (the person or the page no longer needed it).";
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** A call as it starts: what was asked (redacted), nothing answered yet. `at`: where PROXY_MARKER is in `url`. */
function pendingEntry(
  method: string,
  url: string,
  at: number,
  headers: Headers,
  body: BodyInit | null | undefined,
) {
  return {
    startedAt: Date.now(),
    method,
    url,
    path: at < 0 ? url : url.slice(at + PROXY_MARKER.length) || "/",
    connection: headers.get(CONNECTION_HEADER),
    status: null,
    statusText: "",
    waitMs: null,
    durationMs: null,
    state: "pending" as const,
    error: null,
    requestHeaders: redactHeaders(headers),
    responseHeaders: [],
    requestBody: describeRequestBody(body, headers.get("content-type")),
    responseBody: null,
  };
}

/** `withRequestLog(next)` with the log to write to (tests pass their own). */
export function recordInto(log: RequestLog, next: typeof fetch): typeof fetch {
  return async (input, init) => {
    const rawUrl = urlOf(input);
    if (!rawUrl.includes(PROXY_MARKER)) return next(input, init);

    const request = input instanceof Request ? input : null;
    const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    const headers = new Headers(init?.headers ?? request?.headers);
    const url = redactUrl(rawUrl);
    const at = url.indexOf(PROXY_MARKER);
    const started = performance.now();
    const id = log.add(pendingEntry(method, url, at, headers, init?.body));
    const elapsed = () => Math.round(performance.now() - started);
    // Whether the page itself gave up on the call (React Query cancels what no view needs any more,
    // the chat stops following a run): not a failure of the connection, and not shown as one.
    const ended = (err: unknown) => ending(err, Boolean(init?.signal?.aborted || request?.signal.aborted));

    let response: Response;
    try {
      response = await next(input, init);
    } catch (err) {
      log.update(id, () => ({ ...ended(err), durationMs: elapsed() }));
      throw err;
    }

    const contentType = response.headers.get("content-type") ?? "";
    const waitMs = elapsed();
    log.update(id, () => ({
      status: response.status,
      statusText: response.statusText,
      waitMs,
      responseHeaders: redactHeaders(response.headers),
    }));

    if (!response.body) {
      log.update(id, () => ({ state: "done", durationMs: waitMs }));
      return response;
    }

    if (/text\/event-stream/i.test(contentType)) {
      const pending: SseEvent[] = [];
      let kept = 0;
      let truncated = false;
      let cancelPublish: (() => void) | null = null;
      // Chunks are read for the log when the log is published, not as they pass: the reader (the
      // SDK, then the chat) gets each chunk without waiting for the log's parse and redaction,
      // which waits for a moment the page is idle (or at most LOG_IDLE_WAIT_MS).
      const unread: Uint8Array[] = [];
      const readUnread = () => {
        for (const chunk of unread.splice(0)) parser.push(chunk);
      };
      const publish = () => {
        cancelPublish = null;
        readUnread();
        const batch = pending.splice(0);
        log.update(id, (e) => {
          const events = e.responseBody?.kind === "sse" ? e.responseBody.events : [];
          return { responseBody: { kind: "sse", events: [...events, ...batch], truncated, complete: false } };
        });
      };
      log.update(id, () => ({
        responseBody: { kind: "sse", events: [], truncated: false, complete: false },
      }));
      const parser = new SseRecorder((event) => {
        if (kept >= MAX_EVENTS) {
          truncated = true;
          return;
        }
        kept++;
        pending.push({ event: event.event, data: capText(redactEventData(event.data)).text });
      });
      const body = observe(
        response.body,
        (chunk) => {
          unread.push(chunk);
          cancelPublish ??= whenIdle(publish, STREAM_PUBLISH_MS);
        },
        (err) => {
          cancelPublish?.();
          readUnread();
          if (err === null) parser.end();
          publish();
          log.update(id, (e) => ({
            ...ended(err),
            durationMs: elapsed(),
            responseBody:
              e.responseBody?.kind === "sse"
                ? { ...e.responseBody, truncated, complete: err === null }
                : e.responseBody,
          }));
        },
        createRechunker(),
      );
      return rebuild(response, body);
    }

    if (/json|^text\//i.test(contentType) || contentType === "") {
      // A copy for the log; the SDK reads the original.
      response
        .clone()
        .text()
        .then(
          (text) =>
            log.update(id, () => ({
              state: "done",
              durationMs: elapsed(),
              responseBody: text ? textBody(text, contentType || null) : null,
            })),
          (err: unknown) => log.update(id, () => ({ ...ended(err), durationMs: elapsed() })),
        );
      return response;
    }

    // Binary (file content): counted as it passes, never kept.
    const declared = Number(response.headers.get("content-length"));
    let size = 0;
    const body = observe(
      response.body,
      (chunk) => {
        size += chunk.byteLength;
      },
      (err) =>
        log.update(id, () => ({
          state: err === null || err === "cancelled" ? "done" : "error",
          error: err === null || err === "cancelled" ? null : errorText(err),
          durationMs: elapsed(),
          responseBody: {
            kind: "binary",
            contentType,
            size: Number.isFinite(declared) && declared > 0 ? declared : err === null ? size : null,
          },
        })),
    );
    log.update(id, () => ({
      responseBody: {
        kind: "binary",
        contentType,
        size: Number.isFinite(declared) && declared > 0 ? declared : null,
      },
    }));
    return rebuild(response, body);
  };
}

/** Wraps the SDK's fetch so every call through the proxy lands in the browser's request log. */
export function withRequestLog(next: typeof fetch): typeof fetch {
  return recordInto(requestLog, next);
}

/**
 * For calls that cannot go through the SDK's fetch (XMLHttpRequest uploads, which need progress
 * events): records one call by hand. Returns what to call when it ends.
 */
export function recordManually(
  request: { method: string; url: string; headers?: HeadersInit; body?: BodyInit | null },
  log: RequestLog = requestLog,
): {
  done(response: { status: number; statusText?: string; headers?: HeadersInit; body?: string | null }): void;
  failed(error: unknown): void;
  /** The person or the page gave up on the call: shown as cancelled, not failed. */
  cancelled(): void;
} {
  const started = performance.now();
  const headers = new Headers(request.headers);
  const url = redactUrl(
    new URL(request.url, typeof location === "undefined" ? "http://localhost" : location.href).href,
  );
  const at = url.indexOf(PROXY_MARKER);
  const id = log.add(pendingEntry(request.method.toUpperCase(), url, at, headers, request.body));
  const elapsed = () => Math.round(performance.now() - started);
  return {
    done(response) {
      const resHeaders = new Headers(response.headers);
      const ms = elapsed();
      log.update(id, () => ({
        state: "done",
        status: response.status,
        statusText: response.statusText ?? "",
        waitMs: ms,
        durationMs: ms,
        responseHeaders: redactHeaders(resHeaders),
        responseBody: response.body ? textBody(response.body, resHeaders.get("content-type")) : null,
      }));
    },
    failed(error) {
      log.update(id, () => ({ ...ending(error, false), durationMs: elapsed() }));
    },
    cancelled() {
      log.update(id, () => ({ ...ending("aborted", true), durationMs: elapsed() }));
    },
  };
}
