import type { LoggedBody, RequestLogEntry } from "./store";

export type StatusFilter = "all" | "2xx" | "4xx" | "5xx" | "failed" | "pending";

export interface RequestLogFilter {
  /** Matched, case-insensitive, against method, path, status and the bodies. */
  text: string;
  /** "" for any. */
  method: string;
  status: StatusFilter;
}

export const EMPTY_FILTER: RequestLogFilter = { text: "", method: "", status: "all" };

function bodySearchText(body: LoggedBody | null): string {
  if (!body) return "";
  switch (body.kind) {
    case "json":
    case "text":
      return body.text;
    case "sse":
      return body.events.map((e) => `${e.event} ${e.data}`).join("\n");
    case "multipart":
      return body.parts.map((p) => `${p.name} ${p.filename ?? ""} ${p.value ?? ""}`).join("\n");
    case "binary":
      return body.contentType;
  }
}

export function statusMatches(entry: RequestLogEntry, status: StatusFilter): boolean {
  const s = entry.status;
  switch (status) {
    case "all":
      return true;
    case "pending":
      return entry.state === "pending";
    case "failed":
      return entry.state === "error" || (s !== null && s >= 400);
    case "2xx":
      return s !== null && s >= 200 && s < 300;
    case "4xx":
      return s !== null && s >= 400 && s < 500;
    case "5xx":
      return s !== null && s >= 500;
  }
}

export function filterEntries(entries: readonly RequestLogEntry[], f: RequestLogFilter): RequestLogEntry[] {
  const q = f.text.trim().toLowerCase();
  return entries.filter((e) => {
    if (f.method && e.method !== f.method) return false;
    if (!statusMatches(e, f.status)) return false;
    if (!q) return true;
    const head = `${e.method} ${e.path} ${e.status ?? ""}`.toLowerCase();
    if (head.includes(q)) return true;
    return (
      bodySearchText(e.requestBody).toLowerCase().includes(q) ||
      bodySearchText(e.responseBody).toLowerCase().includes(q)
    );
  });
}
