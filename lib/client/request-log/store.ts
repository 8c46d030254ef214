/**
 * The request log's memory: the last MAX_ENTRIES calls, newest last, with a subscribe API shaped
 * for React's useSyncExternalStore (an immutable snapshot that changes identity on every change).
 */
import type { HeaderList } from "./redact";

export const MAX_ENTRIES = 500;
/** Bodies longer than this (characters) are cut; the entry says so. */
export const MAX_BODY_CHARS = 64 * 1024;
/** Stream events kept per entry. */
export const MAX_EVENTS = 2000;

export interface SseEvent {
  event: string;
  data: string;
}

export interface MultipartPart {
  name: string;
  /** Present for file parts: only their name, type and size are kept, never their bytes. */
  filename?: string;
  contentType?: string;
  size?: number;
  /** Text fields (e.g. `purpose`). */
  value?: string;
}

export type LoggedBody =
  | { kind: "json"; text: string; truncated: boolean }
  | { kind: "text"; text: string; truncated: boolean }
  | { kind: "sse"; events: SseEvent[]; truncated: boolean; complete: boolean }
  | { kind: "multipart"; parts: MultipartPart[] }
  | { kind: "binary"; contentType: string; size: number | null };

export interface RequestLogEntry {
  id: number;
  /** Epoch milliseconds. */
  startedAt: number;
  method: string;
  /** Absolute URL, query included, secrets redacted. */
  url: string;
  /** Path and query below the proxy, e.g. `/threads/runs?api-version=…`. */
  path: string;
  connection: string | null;
  /** null while pending, or when the request never got a response. */
  status: number | null;
  statusText: string;
  /** Time to the response headers. */
  waitMs: number | null;
  /** Time to the end of the response body (streams: the last event). */
  durationMs: number | null;
  /** `cancelled`: the page gave up on the call (no view needed it any more), not a failure. */
  state: "pending" | "done" | "error" | "cancelled";
  error: string | null;
  requestHeaders: HeaderList;
  responseHeaders: HeaderList;
  requestBody: LoggedBody | null;
  responseBody: LoggedBody | null;
}

export interface RequestLog {
  subscribe(listener: () => void): () => void;
  getSnapshot(): readonly RequestLogEntry[];
  /** Adds an entry (its id is assigned here) and returns the id. */
  add(entry: Omit<RequestLogEntry, "id">): number;
  update(id: number, change: (entry: RequestLogEntry) => Partial<RequestLogEntry>): void;
  clear(): void;
}

export function createRequestLog(maxEntries = MAX_ENTRIES): RequestLog {
  let entries: readonly RequestLogEntry[] = [];
  let nextId = 1;
  const listeners = new Set<() => void>();
  const emit = () => listeners.forEach((l) => l());
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => entries,
    add(entry) {
      const id = nextId++;
      const next = [...entries, { ...entry, id }];
      entries = next.length > maxEntries ? next.slice(next.length - maxEntries) : next;
      emit();
      return id;
    },
    update(id, change) {
      const i = entries.findIndex((e) => e.id === id);
      const current = entries[i];
      if (!current) return;
      const next = [...entries];
      next[i] = { ...current, ...change(current) };
      entries = next;
      emit();
    },
    clear() {
      entries = [];
      emit();
    },
  };
}

/** The browser's one request log (every SDK client records into it). */
export const requestLog: RequestLog = createRequestLog();

/** Cuts text to MAX_BODY_CHARS. */
export function capText(text: string, max = MAX_BODY_CHARS): { text: string; truncated: boolean } {
  return text.length > max ? { text: text.slice(0, max), truncated: true } : { text, truncated: false };
}
