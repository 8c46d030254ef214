/**
 * The remote sandbox backend: Azure Container Apps dynamic sessions (a code-interpreter session
 * pool). One pool session per thread, addressed by the thread id as the session `identifier`; the
 * pool keeps the Jupyter kernel and `/mnt/data` between executions and ends a session after its
 * cooldown. Spoken: the documented `2024-02-02-preview` data-plane API (`code/execute`,
 * `files/upload`, `files`, `files/content/{name}`); README.md in this folder has the wiring and the
 * differences from the local backend.
 *
 * The engine must not depend on `@azure/identity`: the caller passes `getToken()`, typically
 * `tokenProviderFromCredential(new DefaultAzureCredential())` built on the server side.
 */
import { openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import type {
  CodeSandbox,
  ExecuteOptions,
  ExecutionResult,
  SandboxError,
  SandboxImage,
  SandboxInputFile,
  SandboxOutputFile,
  SandboxStatus,
} from "./types";

export const AZURE_SESSIONS_API_VERSION = "2024-02-02-preview";
/** The token audience the pool accepts (Microsoft Entra, role "Azure ContainerApps Session Executor"). */
export const DYNAMIC_SESSIONS_SCOPE = "https://dynamicsessions.io/.default";
/** The service ends any execution at 220 s. */
export const AZURE_SESSIONS_MAX_EXECUTION_MS = 220_000;
/** Same bound as the local backend's logs. */
export const AZURE_SESSIONS_MAX_LOG_BYTES = 64 * 1024;
/** The pool refuses larger uploads (413). */
const MAX_UPLOAD_BYTES = 128 * 1024 * 1024;
const MAX_JSON_BYTES = 32 * 1024 * 1024;
const MAX_ERROR_BODY_BYTES = 8 * 1024;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface AzureSessionsSandboxOptions {
  /**
   * The pool's management endpoint,
   * `https://<region>.dynamicsessions.io/subscriptions/<sub>/resourceGroups/<rg>/sessionPools/<pool>`.
   * Plain http is accepted only on loopback (tests), so a token never travels unencrypted.
   */
  poolManagementEndpoint: string;
  /** A bearer token for `DYNAMIC_SESSIONS_SCOPE`; called before every request (cache inside it). */
  getToken: () => Promise<string>;
  /** Must speak the `2024-02-02-preview` paths. Default `AZURE_SESSIONS_API_VERSION`. */
  apiVersion?: string;
  /**
   * A newer api-version (from `2025-02-02-preview`, e.g. `2025-10-02-preview`) whose
   * `DELETE /session` ends a session now: on `closeSession`, idle expiry, `close`, and after a
   * timeout or cancel (so the interface's "state lost" holds). Unset: sessions end by the pool's
   * cooldown only.
   */
  deleteApiVersion?: string;
  /** Default wall-time limit of one execution; capped at `AZURE_SESSIONS_MAX_EXECUTION_MS`. Default 220 s. */
  timeoutMs?: number;
  /** Limit for each file request (list, upload, download, delete). Default 60 s. */
  requestTimeoutMs?: number;
  /** Local bookkeeping of a session is dropped after this long unused (and the session deleted when possible). Default 1 h. */
  idleExpiryMs?: number;
  /** How often a 429/503 answer carrying Retry-After is retried. Default 3. */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for. Default 20 s. */
  maxRetryDelayMs?: number;
  /** Output files larger than this are not downloaded (the logs say so). Default 128 MB. */
  maxOutputFileBytes?: number;
}

/** Structurally an `@azure/identity` `TokenCredential`; no import needed here. */
export interface TokenCredentialLike {
  getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/**
 * Turns a credential into `getToken()`: one token per scope, reused until `refreshMarginMs` before
 * it expires, one request in flight at a time.
 */
export function tokenProviderFromCredential(
  credential: TokenCredentialLike,
  options: { scope?: string; refreshMarginMs?: number; now?: () => number } = {},
): () => Promise<string> {
  const scope = options.scope ?? DYNAMIC_SESSIONS_SCOPE;
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  let cached: { token: string; expiresOnTimestamp: number } | null = null;
  let inFlight: Promise<string> | null = null;
  return () => {
    if (cached && now() < cached.expiresOnTimestamp - margin) return Promise.resolve(cached.token);
    inFlight ??= credential
      .getToken(scope)
      .then((token) => {
        if (!token?.token) throw new Error("the credential returned no token");
        cached = token;
        return token.token;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
}

/** The `ValueError: message` line of a Python or IPython traceback (ANSI colours ignored). */
export function parsePythonTraceback(text: string): { name: string; message: string } | null {
  const lines = stripAnsi(text).split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trimEnd();
    const match = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/.exec(line);
    if (!match) continue;
    const qualified = match[1]!;
    // A bare identifier line is an exception only when it looks like one (`KeyboardInterrupt`, `StopIteration`).
    if (match[2] === undefined && !/(Error|Exception|Interrupt|Exit|Iteration|Warning)$/.test(qualified))
      continue;
    return { name: qualified.slice(qualified.lastIndexOf(".") + 1), message: match[2] ?? "" };
  }
  return null;
}

function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
}

/** Cuts `text` to at most `maxBytes` of UTF-8, never inside a character. */
export function boundUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return { text, truncated: false };
  let cut = maxBytes;
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return { text: bytes.subarray(0, cut).toString("utf8"), truncated: true };
}

/** Why a request sequence stopped; becomes the result's `error`. */
class Stop extends Error {
  constructor(
    readonly kind: "timeout" | "cancelled" | "unavailable",
    message: string,
  ) {
    super(message);
  }
}

interface RemoteFile {
  size: number;
  lastModifiedTime: string;
}

interface SessionState {
  lastUsed: number;
  /** Executions in one session run one after another, as in one kernel. */
  tail: Promise<unknown>;
  busy: number;
}

interface RequestSpec {
  method: "GET" | "POST" | "DELETE";
  path: string;
  sessionId: string;
  apiVersion?: string;
  body?: BodyInit;
  contentType?: string;
  read: "json" | "bytes" | "none";
  maxBytes?: number;
  timeoutMs: number;
  /** What running out of time means: the code's limit (`timeout`) or a slow service (`unavailable`). */
  timeoutKind: "timeout" | "unavailable";
  timeoutMessage: string;
  signal?: AbortSignal;
}

export class AzureSessionsSandbox implements CodeSandbox {
  private readonly base: string;
  private readonly poolName: string;
  private readonly apiVersion: string;
  private readonly deleteApiVersion: string | undefined;
  private readonly timeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly idleExpiryMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxOutputFileBytes: number;
  private readonly getToken: () => Promise<string>;
  private readonly sessions = new Map<string, SessionState>();
  private readonly pending = new Set<Promise<unknown>>();
  private sweeper: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  constructor(options: AzureSessionsSandboxOptions) {
    const url = new URL(options.poolManagementEndpoint);
    const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
      throw new Error("poolManagementEndpoint must be an https URL (plain http only on loopback)");
    }
    if (url.search || url.hash) throw new Error("poolManagementEndpoint must have no query or fragment");
    const path = url.pathname.replace(/\/+$/, "");
    const segments = path.split("/").filter(Boolean);
    if (segments.length === 0) throw new Error("poolManagementEndpoint must end with the pool's path");
    this.base = url.origin + path;
    this.poolName = decodeURIComponent(segments[segments.length - 1]!);
    this.apiVersion = options.apiVersion ?? AZURE_SESSIONS_API_VERSION;
    this.deleteApiVersion = options.deleteApiVersion;
    this.timeoutMs = Math.min(
      options.timeoutMs ?? AZURE_SESSIONS_MAX_EXECUTION_MS,
      AZURE_SESSIONS_MAX_EXECUTION_MS,
    );
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.idleExpiryMs = options.idleExpiryMs ?? 60 * 60_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 20_000;
    this.maxOutputFileBytes = options.maxOutputFileBytes ?? MAX_UPLOAD_BYTES;
    this.getToken = options.getToken;
  }

  status(): SandboxStatus {
    return {
      kind: "azure-sessions",
      available: true,
      description: `Azure Container Apps session pool ${this.poolName}`,
    };
  }

  async execute(sessionId: string, code: string, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    if (!isValidIdentifier(sessionId)) {
      return failed(
        "unavailable",
        "the session identifier must be 4 to 128 printable ASCII characters without spaces",
      );
    }
    if (this.closed) return failed("unavailable", "the sandbox is closed");
    if (options.signal?.aborted) return failed("cancelled", "the execution was cancelled before it started");
    const session = this.session(sessionId);
    session.busy++;
    const run = session.tail.then(() => this.run(sessionId, code, options));
    // The next execution in this session waits for a delete started by a timeout or cancel, so it
    // never lands in the session being deleted.
    session.tail = run.then((outcome) => outcome.cleanup).catch(() => undefined);
    try {
      return (await run).result;
    } finally {
      session.busy--;
      session.lastUsed = Date.now();
    }
  }

  async closeSession(sessionId: string): Promise<void> {
    this.sessions.delete(sessionId);
    if (this.sessions.size === 0) this.stopSweeper();
    if (isValidIdentifier(sessionId)) await this.deleteRemote(sessionId);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopSweeper();
    const ids = [...this.sessions.keys()];
    this.sessions.clear();
    await Promise.all([...ids.map((id) => this.deleteRemote(id)), ...this.pending]);
  }

  private session(sessionId: string): SessionState {
    let state = this.sessions.get(sessionId);
    if (!state) {
      state = { lastUsed: Date.now(), tail: Promise.resolve(), busy: 0 };
      this.sessions.set(sessionId, state);
      this.startSweeper();
    }
    return state;
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(this.idleExpiryMs, 60_000)));
    this.sweeper.unref?.();
  }

  private stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, state] of this.sessions) {
      if (state.busy > 0 || now - state.lastUsed < this.idleExpiryMs) continue;
      this.sessions.delete(id);
      this.track(this.deleteRemote(id));
    }
    if (this.sessions.size === 0) this.stopSweeper();
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  /** Best effort: a failed delete leaves the session to the pool's cooldown. */
  private async deleteRemote(sessionId: string): Promise<void> {
    if (!this.deleteApiVersion) return;
    try {
      await this.request({
        method: "DELETE",
        path: "session",
        sessionId,
        apiVersion: this.deleteApiVersion,
        read: "none",
        timeoutMs: this.requestTimeoutMs,
        timeoutKind: "unavailable",
        timeoutMessage: "the session pool did not answer the session delete in time",
      });
    } catch {
      // Nothing to report to: the caller is ending the session either way.
    }
  }

  private async run(
    sessionId: string,
    code: string,
    options: ExecuteOptions,
  ): Promise<{ result: ExecutionResult; cleanup?: Promise<void> }> {
    const signal = options.signal;
    if (signal?.aborted)
      return { result: failed("cancelled", "the execution was cancelled before it started") };
    const timeoutMs = Math.min(options.timeoutMs ?? this.timeoutMs, AZURE_SESSIONS_MAX_EXECUTION_MS);
    const file = (what: string, path: string, extra: Partial<RequestSpec> = {}): RequestSpec => ({
      method: "GET",
      path,
      sessionId,
      read: "json",
      timeoutMs: this.requestTimeoutMs,
      timeoutKind: "unavailable",
      timeoutMessage: `the session pool did not answer ${what} within ${seconds(this.requestTimeoutMs)}`,
      signal,
      ...extra,
    });

    let before: Map<string, RemoteFile>;
    let answer: Record<string, unknown>;
    let startedAt = Date.now();
    let executing = false;
    try {
      const inputs = await checkInputs(options.files ?? []);
      before = parseListing(await this.request(file("the file list", "files")));
      let relist = false;
      for (const input of inputs) {
        if (before.get(input.name)?.size === input.size) continue;
        const form = new FormData();
        form.append("file", await openAsBlob(input.path), input.name);
        const uploaded = parseListing(
          await this.request(
            file(`the upload of ${input.name}`, "files/upload", { method: "POST", body: form }),
          ),
        ).get(input.name);
        if (uploaded) before.set(input.name, uploaded);
        else relist = true;
      }
      if (relist) before = parseListing(await this.request(file("the file list", "files")));

      startedAt = Date.now();
      executing = true;
      const body = JSON.stringify({
        properties: { codeInputType: "inline", executionType: "synchronous", code },
      });
      const response = await this.request({
        method: "POST",
        path: "code/execute",
        sessionId,
        body,
        contentType: "application/json",
        read: "json",
        maxBytes: MAX_JSON_BYTES,
        timeoutMs,
        timeoutKind: "timeout",
        timeoutMessage: this.deleteApiVersion
          ? `the code ran longer than ${seconds(timeoutMs)}; the session was ended`
          : `the code ran longer than ${seconds(timeoutMs)}; the pool may still be running it (it stops every execution at 220 s)`,
        signal,
      });
      answer = asRecord(asRecord(response).properties);
    } catch (error) {
      const stop = toStop(error);
      const result = failed(stop.kind, stop.message, executing ? Date.now() - startedAt : 0);
      // Code still running remotely after a timeout or cancel is ended with its session, when the
      // api-version allows it.
      if (!executing || stop.kind === "unavailable" || !this.deleteApiVersion) return { result };
      const cleanup = this.deleteRemote(sessionId);
      this.track(cleanup);
      return { result, cleanup };
    }
    const measuredMs = Date.now() - startedAt;

    const result = answer.result !== undefined ? answer.result : answer.executionResult;
    const images = imagesFrom(result);
    const stdout = text(answer.stdout);
    const stderr = text(answer.stderr);
    let logs = joinLines(joinLines(stdout, stderr), resultText(result));
    const error = errorFrom(answer, stderr, result);

    const files: SandboxOutputFile[] = [];
    let outputError: SandboxError | null = null;
    try {
      const after = parseListing(await this.request(file("the file list", "files")));
      for (const [name, meta] of after) {
        const old = before.get(name);
        if (old && old.size === meta.size && old.lastModifiedTime === meta.lastModifiedTime) continue;
        if (meta.size > this.maxOutputFileBytes) {
          logs = joinLines(logs, `[${name} not returned: ${meta.size} bytes is over the limit]`);
          continue;
        }
        const bytes = await this.request(
          file(`the download of ${name}`, `files/content/${encodePath(name)}`, {
            read: "bytes",
            maxBytes: this.maxOutputFileBytes,
          }),
        );
        files.push({ name, bytes: bytes as Uint8Array });
      }
    } catch (caught) {
      const stop = toStop(caught);
      // The code did run: its output stays; only the files are missing, and the logs say why.
      if (stop.kind === "cancelled") outputError = { kind: "cancelled", message: stop.message };
      else logs = joinLines(logs, `[output files not returned: ${stop.message}]`);
    }

    const bounded = boundUtf8(logs, AZURE_SESSIONS_MAX_LOG_BYTES);
    const serviceMs = answer.executionTimeInMilliseconds;
    return {
      result: {
        logs: bounded.text,
        logsTruncated: bounded.truncated,
        images,
        files,
        error: error ?? outputError,
        durationMs: typeof serviceMs === "number" && serviceMs >= 0 ? serviceMs : measuredMs,
      },
    };
  }

  /** One call to the pool with auth, bounded reading, timeout, cancel, and Retry-After retries. */
  private async request(spec: RequestSpec): Promise<unknown> {
    const query = new URLSearchParams({
      "api-version": spec.apiVersion ?? this.apiVersion,
      identifier: spec.sessionId,
    });
    const url = `${this.base}/${spec.path}?${query}`;
    for (let attempt = 0; ; attempt++) {
      if (spec.signal?.aborted) throw new Stop("cancelled", "the execution was cancelled");
      let token: string;
      try {
        token = await untilAborted(this.getToken(), spec.signal);
      } catch (error) {
        if (spec.signal?.aborted) throw new Stop("cancelled", "the execution was cancelled");
        throw new Stop(
          "unavailable",
          `could not get a token for the session pool: ${short(messageOf(error))}`,
        );
      }
      const controller = new AbortController();
      let reason: "timeout" | "cancelled" | null = null;
      const timer = setTimeout(() => {
        reason = "timeout";
        controller.abort();
      }, spec.timeoutMs);
      const onAbort = () => {
        reason ??= "cancelled";
        controller.abort();
      };
      spec.signal?.addEventListener("abort", onAbort);
      const scrub = (message: string) => redact(message, [token, spec.sessionId]);
      try {
        const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
        if (spec.contentType) headers["Content-Type"] = spec.contentType;
        const response = await fetch(url, {
          method: spec.method,
          headers,
          body: spec.body,
          signal: controller.signal,
        });
        if (response.status === 429 || response.status === 503) {
          const delay = retryAfterMs(response.headers.get("retry-after"));
          if (delay !== null && delay <= this.maxRetryDelayMs && attempt < this.maxRetries) {
            await response.body?.cancel();
            clearTimeout(timer);
            await sleep(delay, controller.signal);
            continue;
          }
        }
        if (!response.ok) {
          const detail = serviceMessage(await readBounded(response, MAX_ERROR_BODY_BYTES, true));
          const label = `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
          throw new Stop(
            "unavailable",
            scrub(
              `the session pool answered ${spec.method} ${spec.path.split("/").slice(0, 2).join("/")} with ${label}${detail ? `: ${short(detail)}` : ""}`,
            ),
          );
        }
        if (spec.read === "none") {
          await response.body?.cancel();
          return null;
        }
        const bytes = await readBounded(response, spec.maxBytes ?? MAX_JSON_BYTES, false);
        if (spec.read === "bytes") return bytes;
        try {
          return JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
        } catch {
          throw new Stop("unavailable", `the session pool's answer to ${spec.path} is not JSON`);
        }
      } catch (error) {
        if (error instanceof Stop) throw error;
        if (reason === "timeout") throw new Stop(spec.timeoutKind, spec.timeoutMessage);
        if (reason === "cancelled") throw new Stop("cancelled", "the execution was cancelled");
        throw new Stop(
          "unavailable",
          scrub(`could not reach the session pool: ${short(networkMessage(error))}`),
        );
      } finally {
        clearTimeout(timer);
        spec.signal?.removeEventListener("abort", onAbort);
      }
    }
  }
}

function failed(
  kind: "timeout" | "cancelled" | "unavailable",
  message: string,
  durationMs = 0,
): ExecutionResult {
  return { logs: "", logsTruncated: false, images: [], files: [], error: { kind, message }, durationMs };
}

function isValidIdentifier(id: string): boolean {
  // The data-plane spec's pattern: printable ASCII without spaces, 4 to 128 characters.
  return /^[\x21-\x7e]{4,128}$/.test(id);
}

async function checkInputs(files: SandboxInputFile[]): Promise<Array<SandboxInputFile & { size: number }>> {
  const out: Array<SandboxInputFile & { size: number }> = [];
  for (const input of files) {
    if (!input.name || input.name === "." || input.name === ".." || /[/\\\0]/.test(input.name)) {
      throw new Stop("unavailable", `input file name ${JSON.stringify(input.name)} is not a bare file name`);
    }
    let size: number;
    try {
      size = (await stat(input.path)).size;
    } catch {
      throw new Stop("unavailable", `input file ${input.name} could not be read`);
    }
    if (size > MAX_UPLOAD_BYTES) {
      throw new Stop(
        "unavailable",
        `input file ${input.name} is ${size} bytes; the session pool accepts at most 128 MB`,
      );
    }
    out.push({ ...input, size });
  }
  return out;
}

/** `{"value":[{"properties":{"filename","size","lastModifiedTime"}}]}` (list and upload answers). */
function parseListing(body: unknown): Map<string, RemoteFile> {
  const files = new Map<string, RemoteFile>();
  const value = asRecord(body).value;
  if (!Array.isArray(value)) return files;
  for (const entry of value) {
    const props = asRecord(asRecord(entry).properties);
    const name = props.filename;
    if (typeof name !== "string" || !name || props.type === "directory") continue;
    files.set(name, {
      size: typeof props.size === "number" ? props.size : -1,
      lastModifiedTime: typeof props.lastModifiedTime === "string" ? props.lastModifiedTime : "",
    });
  }
  return files;
}

/**
 * The pool returns a matplotlib figure (`plt.show()`) as the execution's result,
 * `{"type":"image","format":"png","base64_data":"…"}`; anything else in the result is text.
 */
function imagesFrom(result: unknown): SandboxImage[] {
  const candidates = Array.isArray(result) ? result : [result];
  const images: SandboxImage[] = [];
  for (const item of candidates) {
    if (!isImageResult(item)) continue;
    const bytes = new Uint8Array(Buffer.from(item.base64_data, "base64"));
    if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) images.push({ format: "png", bytes });
  }
  return images;
}

function isImageResult(value: unknown): value is { type: "image"; format?: string; base64_data: string } {
  const record = asRecord(value);
  return record.type === "image" && typeof record.base64_data === "string";
}

function resultText(result: unknown): string {
  if (result === undefined || result === null || result === "") return "";
  if (Array.isArray(result) ? result.some(isImageResult) : isImageResult(result)) return "";
  if (typeof result === "string") return result;
  if (typeof result === "number" || typeof result === "boolean") return String(result);
  return JSON.stringify(result);
}

function errorFrom(answer: Record<string, unknown>, stderr: string, result: unknown): SandboxError | null {
  const status = typeof answer.status === "string" ? answer.status : "";
  if (/^succe/i.test(status)) return null;
  const serviceError = serviceMessage(answer.error);
  const sources = [stderr, typeof result === "string" ? result : "", serviceError];
  for (const source of sources) {
    const parsed = source ? parsePythonTraceback(source) : null;
    if (parsed) return { kind: "exception", ...parsed, traceback: stripAnsi(source).trim() };
  }
  const first = sources.map((s) => stripAnsi(s).trim().split("\n")[0]).find(Boolean);
  return {
    kind: "exception",
    name: "Error",
    message: first ?? `the session pool reported status ${status || "unknown"}`,
    traceback: stripAnsi(stderr).trim(),
  };
}

function serviceMessage(body: unknown): string {
  if (typeof body === "string") {
    try {
      return serviceMessage(JSON.parse(body) as unknown);
    } catch {
      return body.trim();
    }
  }
  const record = asRecord(body);
  const inner = asRecord(record.error);
  for (const candidate of [inner.message, record.message, record.error, inner.code]) {
    if (typeof candidate === "string" && candidate.trim()) return candidate.trim();
  }
  return "";
}

async function readBounded(response: Response, maxBytes: number, lenient: true): Promise<string>;
async function readBounded(response: Response, maxBytes: number, lenient: false): Promise<Uint8Array>;
async function readBounded(
  response: Response,
  maxBytes: number,
  lenient: boolean,
): Promise<string | Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        if (lenient) break;
        throw new Stop("unavailable", `the session pool's answer is larger than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(Buffer.concat(chunks));
  return lenient ? Buffer.from(bytes).toString("utf8") : bytes;
}

/** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** A credential that hangs must not hold up a cancel. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error("aborted"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function toStop(error: unknown): Stop {
  return error instanceof Stop ? error : new Stop("unavailable", short(messageOf(error)));
}

function networkMessage(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === "string") return cause.code;
  return messageOf(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function redact(message: string, secrets: string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}

function short(message: string, max = 500): string {
  const flat = message.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function encodePath(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function joinLines(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return a.endsWith("\n") ? a + b : `${a}\n${b}`;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
