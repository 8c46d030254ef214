import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AzureSessionsSandbox,
  DYNAMIC_SESSIONS_SCOPE,
  boundUtf8,
  parsePythonTraceback,
  tokenProviderFromCredential,
  type AzureSessionsSandboxOptions,
} from "@/lib/engine/sandbox/azure-sessions";
import {
  FAKE_DELETE_API_VERSION,
  FAKE_PNG,
  startFakeSessionPool,
  type FakeSessionPool,
} from "./fake-session-pool";

const THREAD = "thread_abcdefghijklmnopqrstuvwx";

let pool: FakeSessionPool;
let dir: string;
const sandboxes: AzureSessionsSandbox[] = [];

beforeEach(async () => {
  pool = await startFakeSessionPool({ poolName: "pool-one", tokens: ["test-token"] });
  dir = await mkdtemp(join(tmpdir(), "azure-sessions-test-"));
});

afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((s) => s.close()));
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

function sandbox(options: Partial<AzureSessionsSandboxOptions> = {}): AzureSessionsSandbox {
  const s = new AzureSessionsSandbox({
    poolManagementEndpoint: pool.endpoint,
    getToken: async () => "test-token",
    ...options,
  });
  sandboxes.push(s);
  return s;
}

function requestsTo(path: string) {
  return pool.requests.filter((r) => r.path === path);
}

describe("AzureSessionsSandbox against the fake session pool", () => {
  it("runs code with the documented request: path, api-version, identifier, bearer token, body", async () => {
    const result = await sandbox().execute(THREAD, "print('hello')\nprint(42)");

    expect(result.error).toBeNull();
    expect(result.logs).toBe("hello\n42\n");
    expect(result.logsTruncated).toBe(false);
    const execute = requestsTo("code/execute");
    expect(execute).toHaveLength(1);
    expect(execute[0]!.method).toBe("POST");
    expect(execute[0]!.contentType).toMatch(/^application\/json/);
    expect(execute[0]!.json).toEqual({
      properties: {
        codeInputType: "inline",
        executionType: "synchronous",
        code: "print('hello')\nprint(42)",
      },
    });
    // Files listed before and after the code, every request authenticated and addressed the same way.
    expect(pool.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET files",
      "POST code/execute",
      "GET files",
    ]);
    for (const r of pool.requests) {
      expect(r.authorization).toBe("Bearer test-token");
      expect(r.query).toEqual({ "api-version": "2024-02-02-preview", identifier: THREAD });
    }
  });

  it("appends the execution's result value (the notebook's Out) to the logs", async () => {
    const result = await sandbox().execute(THREAD, "print('x')\n7");
    expect(result.logs).toBe("x\n7");
  });

  it("uploads an input file as multipart field 'file', and skips it next time when the size is unchanged", async () => {
    const path = join(dir, "blob-1");
    await writeFile(path, "a,b\n1,2\n");
    const s = sandbox();

    const first = await s.execute(THREAD, "print('one')", { files: [{ name: "data.csv", path }] });
    expect(first.error).toBeNull();
    const uploads = requestsTo("files/upload");
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(uploads[0]!.parts).toHaveLength(1);
    expect(uploads[0]!.parts![0]!.name).toBe("file");
    expect(uploads[0]!.parts![0]!.filename).toBe("data.csv");
    expect(uploads[0]!.parts![0]!.bytes.toString()).toBe("a,b\n1,2\n");
    expect(pool.sessions.get(THREAD)!.files.get("data.csv")!.bytes.toString()).toBe("a,b\n1,2\n");
    // The uploaded input is not an output of the execution.
    expect(first.files).toEqual([]);

    await s.execute(THREAD, "print('two')", { files: [{ name: "data.csv", path }] });
    expect(requestsTo("files/upload")).toHaveLength(1);

    await writeFile(path, "a,b\n1,2\n3,4\n");
    await s.execute(THREAD, "print('three')", { files: [{ name: "data.csv", path }] });
    expect(requestsTo("files/upload")).toHaveLength(2);
    expect(pool.sessions.get(THREAD)!.files.get("data.csv")!.bytes.toString()).toBe("a,b\n1,2\n3,4\n");
  });

  it("maps a raised exception to an exception error with the traceback's class and message", async () => {
    const result = await sandbox().execute(
      THREAD,
      "print('before')\nraise ValueError('bad value')\nprint('after')",
    );

    expect(result.error).toMatchObject({ kind: "exception", name: "ValueError", message: "bad value" });
    if (result.error?.kind !== "exception") throw new Error("expected an exception");
    expect(result.error.traceback).toContain("Traceback (most recent call last)");
    expect(result.error.traceback).toContain("raise ValueError('bad value')");
    expect(result.logs).toMatch(/^before\n/);
    expect(result.logs).toContain("ValueError: bad value");
    expect(result.logs).not.toContain("after");
  });

  it("returns the pool's image result as a PNG image, not as text in the logs", async () => {
    const result = await sandbox().execute(THREAD, "print('plotted')\n# fake:image");

    expect(result.error).toBeNull();
    expect(result.images).toHaveLength(1);
    expect(result.images[0]!.format).toBe("png");
    expect(Buffer.from(result.images[0]!.bytes).equals(FAKE_PNG)).toBe(true);
    expect(result.logs).toBe("plotted\n");
  });

  it("downloads files the code created or changed under /mnt/data, and only those", async () => {
    const s = sandbox();
    const first = await s.execute(THREAD, "# fake:write out.csv x,y\n# fake:write notes.txt hi");
    expect(first.files.map((f) => [f.name, Buffer.from(f.bytes).toString()]).sort()).toEqual([
      ["notes.txt", "hi"],
      ["out.csv", "x,y"],
    ]);
    expect(requestsTo("files/content/out.csv")).toHaveLength(1);
    expect(requestsTo("files/content/out.csv")[0]!.query.identifier).toBe(THREAD);

    const untouched = await s.execute(THREAD, "print('nothing written')");
    expect(untouched.files).toEqual([]);

    // Same size, new content: the changed lastModifiedTime is what tells.
    const rewritten = await s.execute(THREAD, "# fake:write out.csv p,q");
    expect(rewritten.files.map((f) => [f.name, Buffer.from(f.bytes).toString()])).toEqual([
      ["out.csv", "p,q"],
    ]);
  });

  it("keeps files per identifier: another thread's session does not see them", async () => {
    const s = sandbox();
    await s.execute(THREAD, "# fake:write mine.txt secret");
    const other = await s.execute("thread_zzzzzzzzzzzzzzzzzzzzzzzz", "# fake:write theirs.txt x");
    expect(other.files.map((f) => f.name)).toEqual(["theirs.txt"]);
    expect([...pool.sessions.get("thread_zzzzzzzzzzzzzzzzzzzzzzzz")!.files.keys()]).toEqual(["theirs.txt"]);
  });

  it("bounds the logs at 64 KB and says so", async () => {
    const result = await sandbox().execute(THREAD, "print('é' * 40000)");
    expect(result.logsTruncated).toBe(true);
    expect(Buffer.byteLength(result.logs, "utf8")).toBeLessThanOrEqual(64 * 1024);
    expect(result.logs).not.toContain("\uFFFD");
    expect(result.logs.length).toBeGreaterThan(30000);
  });

  it("maps a 401 to 'unavailable' with the status and the service's message, never the token or identifier", async () => {
    const result = await sandbox({ getToken: async () => "stale-token-value" }).execute(THREAD, "print(1)");

    expect(result.error?.kind).toBe("unavailable");
    expect(result.error?.message).toContain("401");
    expect(result.error?.message).toContain("The access token is missing, invalid or expired.");
    expect(result.error?.message).not.toContain("stale-token-value");
    expect(result.error?.message).not.toContain(THREAD);
    expect(requestsTo("code/execute")).toHaveLength(0);
  });

  it("redacts the identifier when the service echoes it in an error", async () => {
    pool.fail({
      path: "code/execute",
      status: 400,
      body: { error: { code: "Bad", message: `session ${THREAD} broke` } },
    });
    const result = await sandbox().execute(THREAD, "print(1)");
    expect(result.error?.kind).toBe("unavailable");
    expect(result.error?.message).toContain("400");
    expect(result.error?.message).toContain("session [redacted] broke");
    expect(result.error?.message).not.toContain(THREAD);
  });

  it("retries a 429 that carries Retry-After, a bounded number of times", async () => {
    pool.fail({ path: "code/execute", status: 429, retryAfter: "0", times: 2 });
    const ok = await sandbox().execute(THREAD, "print('eventually')");
    expect(ok.error).toBeNull();
    expect(ok.logs).toBe("eventually\n");
    expect(requestsTo("code/execute")).toHaveLength(3);
  });

  it("gives up on 429/503 after maxRetries, and does not retry one without Retry-After", async () => {
    pool.fail({ path: "code/execute", status: 503, retryAfter: "0", times: 3 });
    const result = await sandbox({ maxRetries: 2 }).execute(THREAD, "print(1)");
    expect(result.error?.kind).toBe("unavailable");
    expect(result.error?.message).toContain("503");
    expect(requestsTo("code/execute")).toHaveLength(3);

    pool.requests.length = 0;
    pool.fail({ path: "code/execute", status: 429 });
    const second = await sandbox().execute(THREAD, "print(1)");
    expect(second.error?.message).toContain("429");
    expect(requestsTo("code/execute")).toHaveLength(1);
  });

  it("cancels a running execution through the signal", async () => {
    const controller = new AbortController();
    const pending = sandbox().execute(THREAD, "# fake:sleep 20000\nprint('late')", {
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(requestsTo("code/execute")).toHaveLength(1));
    controller.abort();
    const result = await pending;
    expect(result.error?.kind).toBe("cancelled");
    expect(result.logs).toBe("");
  });

  it("cancels while the credential is still fetching a token", async () => {
    const controller = new AbortController();
    let asked = false;
    const s = sandbox({
      getToken: () => {
        asked = true;
        return new Promise<string>(() => {});
      },
    });
    const pending = s.execute(THREAD, "print(1)", { signal: controller.signal });
    await vi.waitFor(() => expect(asked).toBe(true));
    controller.abort();
    expect((await pending).error?.kind).toBe("cancelled");
    expect(pool.requests).toHaveLength(0);
  });

  it("returns 'cancelled' without any request when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await sandbox().execute(THREAD, "print(1)", { signal: controller.signal });
    expect(result.error?.kind).toBe("cancelled");
    expect(pool.requests).toHaveLength(0);
  });

  it("ends an execution that outlives its time limit with a 'timeout'", async () => {
    const result = await sandbox().execute(THREAD, "# fake:sleep 20000", { timeoutMs: 300 });
    expect(result.error?.kind).toBe("timeout");
    expect(result.error?.message).toContain("0.3 s");
  });

  it("after a timeout, deletes the session when a delete api-version is configured", async () => {
    const s = sandbox({ deleteApiVersion: FAKE_DELETE_API_VERSION });
    await s.execute(THREAD, "# fake:write keep.txt 1");
    pool.slow("session", 200);
    const result = await s.execute(THREAD, "# fake:sleep 20000", { timeoutMs: 300 });
    expect(result.error?.kind).toBe("timeout");
    // The next execution waits for the (slow) delete, so it lands in a fresh session that stays.
    const next = await s.execute(THREAD, "print('fresh')\n# fake:write after.txt 1");
    expect(next.logs).toBe("fresh\n");
    expect(pool.sessions.get(THREAD)!.files.has("after.txt")).toBe(true);
    const deletes = requestsTo("session");
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.method).toBe("DELETE");
    expect(deletes[0]!.query).toEqual({ "api-version": FAKE_DELETE_API_VERSION, identifier: THREAD });
    expect(pool.sessions.get(THREAD)!.files.has("keep.txt")).toBe(false);
  });

  it("closeSession forgets locally with the documented api-version, deletes with a newer one", async () => {
    const plain = sandbox();
    await plain.execute(THREAD, "print(1)");
    await plain.closeSession(THREAD);
    expect(requestsTo("session")).toHaveLength(0);

    const deleting = sandbox({ deleteApiVersion: FAKE_DELETE_API_VERSION });
    await deleting.closeSession(THREAD);
    expect(requestsTo("session")).toHaveLength(1);
    expect(pool.sessions.has(THREAD)).toBe(false);
    // A no-op on a session that is already gone (the pool answers 404).
    await expect(deleting.closeSession(THREAD)).resolves.toBeUndefined();
  });

  it("deletes a session left idle past idleExpiryMs", async () => {
    const s = sandbox({ deleteApiVersion: FAKE_DELETE_API_VERSION, idleExpiryMs: 50 });
    await s.execute(THREAD, "print(1)");
    await vi.waitFor(() => expect(requestsTo("session")).toHaveLength(1), { timeout: 5000 });
    expect(pool.sessions.has(THREAD)).toBe(false);
  });

  it("refuses an identifier outside 4–128 printable characters without calling the pool", async () => {
    const s = sandbox();
    for (const bad of ["abc", "x".repeat(129), "has space"]) {
      const result = await s.execute(bad, "print(1)");
      expect(result.error?.kind).toBe("unavailable");
      expect(result.error?.message).not.toContain(bad);
    }
    expect(pool.requests).toHaveLength(0);
  });

  it("sends a fresh token after the cached one expires", async () => {
    let now = 1_000_000;
    let issued = 0;
    const scopes: unknown[] = [];
    const credential = {
      getToken: async (scope: string | string[]) => {
        scopes.push(scope);
        issued++;
        return { token: `token-${issued}`, expiresOnTimestamp: now + 60 * 60_000 };
      },
    };
    pool.tokens.clear();
    pool.tokens.add("token-1");
    const s = sandbox({ getToken: tokenProviderFromCredential(credential, { now: () => now }) });

    await s.execute(THREAD, "print(1)");
    expect(issued).toBe(1);
    expect(scopes).toEqual([DYNAMIC_SESSIONS_SCOPE]);

    now += 60 * 60_000; // token-1 has expired; the pool no longer takes it
    pool.tokens.clear();
    pool.tokens.add("token-2");
    pool.requests.length = 0;
    const second = await s.execute(THREAD, "print(2)");
    expect(second.error).toBeNull();
    expect(issued).toBe(2);
    expect(pool.requests.length).toBeGreaterThan(0);
    for (const r of pool.requests) expect(r.authorization).toBe("Bearer token-2");
  });

  it("reports the pool by name in status()", () => {
    expect(sandbox().status()).toEqual({
      kind: "azure-sessions",
      available: true,
      description: "Azure Container Apps session pool pool-one",
    });
  });

  it("accepts https endpoints and plain http only on loopback", () => {
    const make = (endpoint: string) => () =>
      new AzureSessionsSandbox({ poolManagementEndpoint: endpoint, getToken: async () => "t" });
    expect(
      make("https://eastus.dynamicsessions.io/subscriptions/s/resourceGroups/r/sessionPools/p"),
    ).not.toThrow();
    expect(make("http://eastus.dynamicsessions.io/subscriptions/s/resourceGroups/r/sessionPools/p")).toThrow(
      /https/,
    );
    expect(make("https://eastus.dynamicsessions.io/sessionPools/p?x=1")).toThrow(/query/);
  });
});

describe("helpers", () => {
  it("parsePythonTraceback reads plain, IPython-coloured and qualified tracebacks", () => {
    expect(
      parsePythonTraceback("Traceback (most recent call last):\n  File \"<x>\", line 1\nKeyError: 'k'\n"),
    ).toEqual({
      name: "KeyError",
      message: "'k'",
    });
    expect(
      parsePythonTraceback(
        "\x1b[0;31m---------\x1b[0m\n\x1b[0;31mZeroDivisionError\x1b[0m    Traceback (most recent call last)\n\x1b[0;31mZeroDivisionError\x1b[0m: division by zero",
      ),
    ).toEqual({ name: "ZeroDivisionError", message: "division by zero" });
    expect(parsePythonTraceback("...\njson.decoder.JSONDecodeError: Expecting value")).toEqual({
      name: "JSONDecodeError",
      message: "Expecting value",
    });
    expect(parsePythonTraceback("Traceback (most recent call last):\nKeyboardInterrupt")).toEqual({
      name: "KeyboardInterrupt",
      message: "",
    });
    expect(parsePythonTraceback("just some output")).toBeNull();
  });

  it("boundUtf8 cuts on a character boundary", () => {
    expect(boundUtf8("aé", 2)).toEqual({ text: "a", truncated: true });
    expect(boundUtf8("aé", 3)).toEqual({ text: "aé", truncated: false });
  });
});
