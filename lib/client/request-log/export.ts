/**
 * The request log as files: the playground's own JSON, and HAR 1.2
 * (http://www.softwareishard.com/blog/har-12-spec/), which browsers' network panels and proxies
 * import. Entries are already redacted when recorded; exports re-apply the header redaction so
 * an entry can never carry a secret out even if one slipped in.
 */
import { REDACTED, isSecretHeader, looksLikeSecret, redactUrl, type HeaderList } from "./redact";
import type { LoggedBody, RequestLogEntry } from "./store";

export const EXPORT_FORMAT = "assistants-playground.request-log";

function safeHeaders(list: HeaderList): HeaderList {
  return list.map(([n, v]) => [n, isSecretHeader(n) || looksLikeSecret(v) ? REDACTED : v]);
}

function safeEntry(e: RequestLogEntry): RequestLogEntry {
  return {
    ...e,
    url: redactUrl(e.url),
    path: redactUrl(e.path),
    requestHeaders: safeHeaders(e.requestHeaders),
    responseHeaders: safeHeaders(e.responseHeaders),
  };
}

export function toJsonExport(entries: readonly RequestLogEntry[], now = new Date()) {
  return {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: now.toISOString(),
    entries: entries.map(safeEntry),
  };
}

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    postData?: {
      mimeType: string;
      text?: string;
      params?: { name: string; value?: string; fileName?: string; contentType?: string }[];
      comment?: string;
    };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    content: { size: number; mimeType: string; text?: string; comment?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
    comment?: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  comment?: string;
}

export interface Har {
  log: {
    version: "1.2";
    creator: { name: string; version: string };
    entries: HarEntry[];
    comment?: string;
  };
}

const nv = (list: HeaderList): HarNameValue[] => list.map(([name, value]) => ({ name, value }));

function header(list: HeaderList, name: string): string | undefined {
  return list.find(([n]) => n === name)?.[1];
}

/** An SSE body written back as the stream it was (`event:` / `data:` lines). */
export function sseText(events: { event: string; data: string }[]): string {
  return events
    .map(
      (e) =>
        `event: ${e.event}\n${e.data
          .split("\n")
          .map((d) => `data: ${d}`)
          .join("\n")}\n\n`,
    )
    .join("");
}

function bodyText(body: LoggedBody | null): { text?: string; size: number; comment?: string } {
  if (!body) return { size: 0 };
  switch (body.kind) {
    case "json":
    case "text":
      return {
        text: body.text,
        size: new TextEncoder().encode(body.text).byteLength,
        ...(body.truncated ? { comment: "Truncated by the playground's request log." } : {}),
      };
    case "sse": {
      const text = sseText(body.events);
      return {
        text,
        size: new TextEncoder().encode(text).byteLength,
        comment: `${body.events.length} server-sent events${body.truncated ? " (truncated)" : ""}${body.complete ? "" : "; the stream did not finish"}.`,
      };
    }
    case "multipart":
      return { size: body.parts.reduce((n, p) => n + (p.size ?? p.value?.length ?? 0), 0) };
    case "binary":
      return { size: body.size ?? -1, comment: "Binary content, not recorded." };
  }
}

function postData(e: RequestLogEntry): HarEntry["request"]["postData"] | undefined {
  const body = e.requestBody;
  if (!body) return undefined;
  const mimeType = header(e.requestHeaders, "content-type") ?? "application/octet-stream";
  if (body.kind === "multipart")
    return {
      mimeType,
      params: body.parts.map((p) =>
        p.filename !== undefined
          ? { name: p.name, fileName: p.filename, ...(p.contentType ? { contentType: p.contentType } : {}) }
          : { name: p.name, value: p.value ?? "" },
      ),
      comment: "File parts are summarised (name, type, size); their bytes are not recorded.",
    };
  const t = bodyText(body);
  return { mimeType, text: t.text ?? "", ...(t.comment ? { comment: t.comment } : {}) };
}

function queryString(url: string): HarNameValue[] {
  const q = url.indexOf("?");
  if (q < 0) return [];
  return [...new URLSearchParams(url.slice(q + 1))].map(([name, value]) => ({ name, value }));
}

export function toHarEntry(entry: RequestLogEntry): HarEntry {
  const e = safeEntry(entry);
  const wait = e.waitMs ?? 0;
  const time = e.durationMs ?? wait;
  const req = postData(e);
  const resBody = bodyText(e.responseBody);
  const mimeType = header(e.responseHeaders, "content-type") ?? "";
  const reqSize =
    e.requestBody?.kind === "multipart"
      ? -1
      : req?.text !== undefined
        ? new TextEncoder().encode(req.text).byteLength
        : e.requestBody
          ? -1
          : 0;
  return {
    startedDateTime: new Date(e.startedAt).toISOString(),
    time,
    request: {
      method: e.method,
      url: e.url,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: nv(e.requestHeaders),
      queryString: queryString(e.url),
      ...(req ? { postData: req } : {}),
      headersSize: -1,
      bodySize: reqSize,
    },
    response: {
      status: e.status ?? 0,
      statusText: e.statusText,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: nv(e.responseHeaders),
      content: {
        size: resBody.size,
        mimeType,
        ...(resBody.text !== undefined ? { text: resBody.text } : {}),
        ...(resBody.comment ? { comment: resBody.comment } : {}),
      },
      redirectURL: "",
      headersSize: -1,
      bodySize: e.responseBody?.kind === "binary" ? (e.responseBody.size ?? -1) : resBody.size,
      ...(e.error ? { comment: e.error } : {}),
    },
    cache: {},
    timings: { send: 0, wait, receive: Math.max(0, time - wait) },
    ...(e.connection ? { comment: `connection: ${e.connection}` } : {}),
  };
}

export function toHar(entries: readonly RequestLogEntry[], version = "0.1.0"): Har {
  return {
    log: {
      version: "1.2",
      creator: { name: "Assistants Playground", version },
      entries: entries.map(toHarEntry),
      comment: "Recorded in the browser; secrets (keys, tokens, cookies) were removed before recording.",
    },
  };
}
