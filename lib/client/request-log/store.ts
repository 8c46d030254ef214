/**
 * The request log's memory: the last MAX_ENTRIES calls, newest last, with a subscribe API shaped
 * for React's useSyncExternalStore (an immutable snapshot that changes identity on every change).
 * In the browser it is kept for the tab's session (sessionStorage), so a reload keeps it; entries
 * are stored as logged, already redacted (./record.ts, ./redact.ts).
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
  /** Writes the log to its storage now (else it is written shortly after a change). */
  flush(): void;
}

/** The sessionStorage key of the browser's log. */
export const SESSION_KEY = "assistants-playground.request-log";
/**
 * Characters of stored log at most: sessionStorage holds about 5 MB per origin (shared with the rest
 * of the app), so the oldest entries that do not fit stay in memory only.
 */
export const MAX_STORED_CHARS = 2_000_000;
/** A burst of updates (a stream's events) is written once, this long after the last. */
const SAVE_DELAY_MS = 500;

export interface RequestLogPersistence {
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  key?: string;
  maxChars?: number;
}

/** What the stored log held: a call still open when the page went is marked as ended by the reload. */
function restore(persist: RequestLogPersistence | undefined): RequestLogEntry[] {
  if (!persist) return [];
  try {
    const text = persist.storage.getItem(persist.key ?? SESSION_KEY);
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!Array.isArray(parsed)) return [];
    return (parsed as RequestLogEntry[])
      .filter((e) => typeof e?.id === "number" && typeof e.url === "string")
      .map((e) =>
        e.state === "pending"
          ? { ...e, state: "cancelled" as const, error: "The page was reloaded before this call ended." }
          : e,
      );
  } catch {
    return [];
  }
}

/** Writes the newest entries that fit in `maxChars` (and in the storage's quota). */
function save(persist: RequestLogPersistence, entries: readonly RequestLogEntry[]) {
  const key = persist.key ?? SESSION_KEY;
  const max = persist.maxChars ?? MAX_STORED_CHARS;
  const texts = entries.map((e) => JSON.stringify(e));
  let from = texts.length;
  let size = 2;
  while (from > 0 && size + texts[from - 1]!.length + 1 <= max) size += texts[--from]!.length + 1;
  // Over the quota (other data in the origin's storage): keep halving what is stored.
  for (let count = texts.length - from; ; count = Math.floor(count / 2)) {
    try {
      if (count === 0) persist.storage.removeItem(key);
      else persist.storage.setItem(key, `[${texts.slice(texts.length - count).join(",")}]`);
      return;
    } catch {
      if (count === 0) return;
    }
  }
}

export function createRequestLog(maxEntries = MAX_ENTRIES, persist?: RequestLogPersistence): RequestLog {
  let entries: readonly RequestLogEntry[] = restore(persist).slice(-maxEntries);
  let nextId = entries.reduce((max, e) => Math.max(max, e.id), 0) + 1;
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (persist) save(persist, entries);
  };
  const emit = () => {
    listeners.forEach((l) => l());
    if (persist && timer === null) timer = setTimeout(flush, SAVE_DELAY_MS);
  };
  // A reload right after a call: what is pending a write is written as the page goes.
  if (persist && typeof window !== "undefined") window.addEventListener("pagehide", flush);
  return {
    flush,
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

function sessionStore(): Storage | undefined {
  try {
    return typeof window === "undefined" ? undefined : window.sessionStorage;
  } catch {
    // Storage refused (privacy settings): the log lives in memory only.
    return undefined;
  }
}

/** The browser's one request log (every SDK client records into it), kept for the tab's session. */
const storage = sessionStore();
export const requestLog: RequestLog = createRequestLog(MAX_ENTRIES, storage ? { storage } : undefined);

/** Cuts text to MAX_BODY_CHARS. */
export function capText(text: string, max = MAX_BODY_CHARS): { text: string; truncated: boolean } {
  return text.length > max ? { text: text.slice(0, max), truncated: true } : { text, truncated: false };
}
