import { afterEach, describe, expect, it, vi } from "vitest";
import { AzureOpenAI } from "openai";
import { recordInto } from "./record";
import { createRequestLog, SESSION_KEY, type RequestLogEntry } from "./store";

afterEach(() => {
  vi.useRealTimers();
});

function memoryStorage(quota = Infinity) {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (v.length > quota) throw new DOMException("quota", "QuotaExceededError");
      data.set(k, v);
    },
    removeItem: (k: string) => void data.delete(k),
  };
}

const entry = (path: string, over: Partial<RequestLogEntry> = {}): Omit<RequestLogEntry, "id"> => ({
  startedAt: 1,
  method: "GET",
  url: `http://app.test/api/openai${path}`,
  path,
  connection: "local",
  status: 200,
  statusText: "OK",
  waitMs: 1,
  durationMs: 2,
  state: "done",
  error: null,
  requestHeaders: [],
  responseHeaders: [],
  requestBody: null,
  responseBody: { kind: "json", text: "{}", truncated: false },
  ...over,
});

describe("the request log kept for the session", () => {
  it("survives a reload: a new log on the same storage has the entries, a pending call marked as cut off", () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    const before = createRequestLog(500, { storage });
    before.add(entry("/assistants"));
    const pending = before.add(entry("/threads/runs", { state: "pending", status: null }));
    // Written shortly after the change, not on every update.
    expect(storage.data.size).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(storage.data.has(SESSION_KEY)).toBe(true);

    const after = createRequestLog(500, { storage });
    const restored = after.getSnapshot();
    expect(restored.map((e) => [e.path, e.state])).toEqual([
      ["/assistants", "done"],
      ["/threads/runs", "cancelled"],
    ]);
    expect(restored[1]!.error).toBe("The page was reloaded before this call ended.");
    // New calls carry on numbering after the restored ones.
    expect(after.add(entry("/files"))).toBe(pending + 1);
    after.clear();
    after.flush();
    expect(storage.data.has(SESSION_KEY)).toBe(false);
  });

  it("stores the newest entries that fit, and copes with a full storage", () => {
    const storage = memoryStorage();
    const log = createRequestLog(500, { storage, maxChars: 2000 });
    for (let i = 0; i < 20; i++) log.add(entry(`/files/file-${i}`));
    log.flush();
    const kept = (JSON.parse(storage.data.get(SESSION_KEY)!) as RequestLogEntry[]).map((e) => e.path);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(20);
    expect(kept.at(-1)).toBe("/files/file-19");
    expect(storage.data.get(SESSION_KEY)!.length).toBeLessThanOrEqual(2000);

    const tight = memoryStorage(900);
    const small = createRequestLog(500, { storage: tight });
    for (let i = 0; i < 20; i++) small.add(entry(`/files/file-${i}`));
    expect(() => small.flush()).not.toThrow();
    expect(tight.data.get(SESSION_KEY)!.length).toBeLessThanOrEqual(900);
    expect(small.getSnapshot()).toHaveLength(20);
    // Unreadable storage starts an empty log.
    const broken = memoryStorage();
    broken.data.set(SESSION_KEY, "{not json");
    expect(createRequestLog(500, { storage: broken }).getSnapshot()).toEqual([]);
  });

  it("stores what the log shows: redacted, no key, no user key, no cookie", async () => {
    const SECRET = "sk-live-0123456789abcdefghijklmnop";
    const storage = memoryStorage();
    const log = createRequestLog(500, { storage });
    const client = new AzureOpenAI({
      baseURL: "http://app.test/api/openai",
      apiKey: SECRET,
      apiVersion: "2024-05-01-preview",
      dangerouslyAllowBrowser: true,
      defaultHeaders: { "x-playground-user-key": "user-typed-key-123", cookie: "session=abc" },
      maxRetries: 0,
      fetch: recordInto(log, async () =>
        Response.json({ object: "list", data: [], first_id: null, last_id: null, has_more: false }),
      ),
    });
    await client.beta.assistants.list({ limit: 1 });
    await vi.waitFor(() => expect(log.getSnapshot()[0]?.state).toBe("done"));
    log.flush();
    const stored = storage.data.get(SESSION_KEY)!;
    expect(stored).toContain("/assistants");
    for (const secret of [SECRET, "user-typed-key-123", "session=abc"]) expect(stored).not.toContain(secret);
  });
});
