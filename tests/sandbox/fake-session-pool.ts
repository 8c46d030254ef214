/**
 * A FAKE Azure Container Apps code-interpreter session pool on loopback, built from the documented
 * `2024-02-02-preview` data-plane API (Microsoft Learn, "Serverless code interpreter sessions"):
 * `POST code/execute`, `POST files/upload` (multipart field `file`), `GET files`,
 * `GET files/content/{name}`, plus `DELETE session` of `2025-10-02-preview`. It checks the bearer
 * token and the api-version on every request, keeps state per `identifier`, and records requests.
 *
 * It does NOT run Python. It interprets a tiny subset, line by line, deterministically:
 *   print(<literal>)             a string ('…' or "…", optionally `* <int>`), number, True/False/None → stdout
 *   raise Name('message')        stops; status "Failure" and an IPython-style traceback on stderr
 *   <number literal> (last line) the execution's `result`, like a notebook's Out
 *   # fake:image                 `result` = {"type":"image","format":"png","base64_data":<1×1 PNG>}
 *   # fake:write <name> <text>   writes /mnt/data/<name> (text after the name, verbatim)
 *   # fake:sleep <ms>            waits before answering (stops early when the client goes away)
 *   other `#` lines and blanks   ignored
 * Anything else answers status "Failure" with a NotImplementedError saying the fake cannot run it.
 * The answer shape ("result", "$id" keys) follows what the service returns for this api-version.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const FAKE_API_VERSION = "2024-02-02-preview";
export const FAKE_DELETE_API_VERSION = "2025-10-02-preview";
/** A valid 1×1 PNG, what `# fake:image` returns. */
export const FAKE_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

export interface RecordedRequest {
  method: string;
  /** Path after the pool's endpoint, e.g. `code/execute`, `files/content/out.csv`. */
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  contentType: string | undefined;
  /** The parsed JSON body of code/execute. */
  json?: unknown;
  /** The parts of a multipart upload. */
  parts?: Array<{ name: string; filename: string | undefined; bytes: Buffer }>;
}

export interface FakeFile {
  bytes: Buffer;
  lastModifiedTime: string;
}

export interface FakeSession {
  files: Map<string, FakeFile>;
  executions: number;
}

export interface InjectedFailure {
  /** Only requests whose path starts with this; all when absent. */
  path?: string;
  status: number;
  retryAfter?: string;
  body?: unknown;
  /** How many requests it answers; default 1. */
  times?: number;
}

export interface FakeSessionPool {
  /** The pool management endpoint, `http://127.0.0.1:<port>/subscriptions/…/sessionPools/<pool>`. */
  endpoint: string;
  poolName: string;
  /** Bearer tokens it accepts; tests add and remove. */
  tokens: Set<string>;
  requests: RecordedRequest[];
  sessions: Map<string, FakeSession>;
  fail(failure: InjectedFailure): void;
  /** Delays the `DELETE session` requests by `ms` before they take effect. */
  slow(path: string, ms: number): void;
  close(): Promise<void>;
}

const POOL_PATH = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test/sessionPools";

export async function startFakeSessionPool(
  options: { poolName?: string; tokens?: string[] } = {},
): Promise<FakeSessionPool> {
  const poolName = options.poolName ?? "fake-pool";
  const prefix = `${POOL_PATH}/${poolName}/`;
  const tokens = new Set(options.tokens ?? ["test-token"]);
  const requests: RecordedRequest[] = [];
  const sessions = new Map<string, FakeSession>();
  const failures: Array<InjectedFailure & { left: number }> = [];
  const delays = new Map<string, number>();
  let clock = Date.parse("2024-05-02T07:21:07.000Z");
  // Strictly increasing, so a rewrite within one millisecond still changes lastModifiedTime.
  const tick = () => new Date((clock += 1000)).toISOString();

  const session = (id: string): FakeSession => {
    let s = sessions.get(id);
    if (!s) sessions.set(id, (s = { files: new Map(), executions: 0 }));
    return s;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const body = await readBody(req);
    if (!url.pathname.startsWith(prefix))
      return send(res, 404, { error: { code: "NotFound", message: "no such pool" } });
    const path = decodeURIComponent(url.pathname.slice(prefix.length));
    const recorded: RecordedRequest = {
      method: req.method ?? "",
      path,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      contentType: req.headers["content-type"],
    };
    requests.push(recorded);

    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    if (!auth || !tokens.has(auth[1]!)) {
      return send(res, 401, {
        error: { code: "Unauthorized", message: "The access token is missing, invalid or expired." },
      });
    }
    const injected = failures.find((f) => f.left > 0 && (!f.path || path.startsWith(f.path)));
    if (injected) {
      injected.left--;
      if (injected.retryAfter !== undefined) res.setHeader("Retry-After", injected.retryAfter);
      return send(
        res,
        injected.status,
        injected.body ?? { error: { code: "TooManyRequests", message: "Slow down." } },
      );
    }

    const isDelete = req.method === "DELETE" && path === "session";
    const wanted = isDelete ? FAKE_DELETE_API_VERSION : FAKE_API_VERSION;
    if (url.searchParams.get("api-version") !== wanted) {
      return send(res, 400, {
        error: { code: "InvalidApiVersion", message: `api-version must be ${wanted}` },
      });
    }
    const identifier = url.searchParams.get("identifier") ?? "";
    if (!/^[\x21-\x7e]{4,128}$/.test(identifier)) {
      return send(res, 400, {
        error: { code: "InvalidIdentifier", message: "identifier must be 4-128 characters" },
      });
    }

    if (isDelete) {
      const delay = [...delays].find(([p]) => path.startsWith(p))?.[1];
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const existed = sessions.delete(identifier);
      if (!existed) return send(res, 404, { error: { code: "NotFound", message: "no session" } });
      res.writeHead(204).end();
      return;
    }
    const s = session(identifier);

    if (req.method === "GET" && path === "files") {
      return send(res, 200, listing([...s.files].map(([name, f]) => meta(name, f))));
    }
    if (req.method === "GET" && path.startsWith("files/content/")) {
      const file = s.files.get(path.slice("files/content/".length));
      if (!file) return send(res, 404, { error: { code: "NotFound", message: "file not found" } });
      res.writeHead(200, { "Content-Type": "application/octet-stream" }).end(file.bytes);
      return;
    }
    if (req.method === "POST" && path === "files/upload") {
      const parts = parseMultipart(req.headers["content-type"] ?? "", body);
      recorded.parts = parts;
      const part = parts.find((p) => p.name === "file" && p.filename);
      if (!part) return send(res, 400, { error: { code: "BadRequest", message: "no file part" } });
      const file = { bytes: part.bytes, lastModifiedTime: tick() };
      s.files.set(part.filename!, file);
      return send(res, 200, listing([meta(part.filename!, file)]));
    }
    if (req.method === "POST" && path === "code/execute") {
      let json: unknown;
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch {
        return send(res, 400, { error: { code: "BadRequest", message: "body is not JSON" } });
      }
      recorded.json = json;
      const props = (json as { properties?: Record<string, unknown> }).properties ?? {};
      if (
        props.codeInputType !== "inline" ||
        props.executionType !== "synchronous" ||
        typeof props.code !== "string"
      ) {
        return send(res, 400, { error: { code: "BadRequest", message: "unsupported execution request" } });
      }
      s.executions++;
      const gone = new Promise<void>((resolve) => res.on("close", () => resolve()));
      const started = Date.now();
      const outcome = await interpret(props.code, s, tick, gone, s.executions);
      if (res.destroyed) return;
      return send(res, 200, {
        $id: "1",
        properties: {
          $id: "2",
          status: outcome.failed ? "Failure" : "Success",
          stdout: outcome.stdout,
          stderr: outcome.stderr,
          result: outcome.result,
          executionTimeInMilliseconds: Date.now() - started,
        },
      });
    }
    return send(res, 404, { error: { code: "NotFound", message: "unknown operation" } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: { code: "InternalError", message: "fake failed" } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}${POOL_PATH}/${poolName}`,
    poolName,
    tokens,
    requests,
    sessions,
    fail: (failure) => failures.push({ ...failure, left: failure.times ?? 1 }),
    slow: (path, ms) => delays.set(path, ms),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function meta(name: string, file: FakeFile) {
  return { filename: name, size: file.bytes.length, lastModifiedTime: file.lastModifiedTime };
}

function listing(files: Array<ReturnType<typeof meta>>) {
  let id = 1;
  return {
    $id: String(id++),
    value: files.map((f) => ({ $id: String(id++), properties: { $id: String(id++), ...f } })),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseMultipart(contentType: string, body: Buffer) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const parts: Array<{ name: string; filename: string | undefined; bytes: Buffer }> = [];
  if (!boundary) return parts;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // CRLF after the delimiter, CRLF before the next
    const split = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, split).toString("utf8");
    const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? "";
    parts.push({
      name: /\bname="([^"]*)"/.exec(disposition)?.[1] ?? "",
      filename: /\bfilename="([^"]*)"/.exec(disposition)?.[1],
      bytes: Buffer.from(part.subarray(split + 4)),
    });
    at = next;
  }
  return parts;
}

interface Outcome {
  stdout: string;
  stderr: string;
  result: unknown;
  failed: boolean;
}

async function interpret(
  code: string,
  session: FakeSession,
  tick: () => string,
  gone: Promise<void>,
  cell: number,
): Promise<Outcome> {
  const out: Outcome = { stdout: "", stderr: "", result: "", failed: false };
  const lines = code.split("\n");
  const last = lines.map((l) => l.trim()).findLastIndex((l) => l !== "");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const directive = /^# fake:(\w+)(?: (.*))?$/.exec(line);
    if (directive) {
      const [, verb, rest = ""] = directive;
      if (verb === "image")
        out.result = { type: "image", format: "png", base64_data: FAKE_PNG.toString("base64") };
      else if (verb === "write") {
        const [, name = "", text = ""] = /^(\S+) ?(.*)$/.exec(rest) ?? [];
        session.files.set(name, { bytes: Buffer.from(text, "utf8"), lastModifiedTime: tick() });
      } else if (verb === "sleep")
        await Promise.race([new Promise((r) => setTimeout(r, Number(rest))), gone]);
      continue;
    }
    if (line === "" || line.startsWith("#")) continue;
    const print = /^print\((.*)\)$/.exec(line);
    const value = print ? literal(print[1]!) : undefined;
    if (print && value !== undefined) {
      out.stdout += `${pythonStr(value)}\n`;
      continue;
    }
    const raise = /^raise ([A-Za-z_]\w*)(?:\((.*)\))?$/.exec(line);
    if (raise) {
      const message = raise[2] ? literal(raise[2]) : "";
      return fail(
        out,
        lines,
        i,
        cell,
        raise[1]!,
        typeof message === "string" ? message : String(message ?? ""),
      );
    }
    const bare = literal(line);
    if (i === last && typeof bare === "number") {
      out.result = bare;
      continue;
    }
    return fail(out, lines, i, cell, "NotImplementedError", "the fake session pool does not run Python");
  }
  return out;
}

function fail(
  out: Outcome,
  lines: string[],
  i: number,
  cell: number,
  name: string,
  message: string,
): Outcome {
  const context = lines
    .slice(Math.max(0, i - 1), i + 1)
    .map((l, k, all) => `${k === all.length - 1 ? "---->" : "     "} ${i - all.length + k + 2} ${l}`);
  out.stderr +=
    [
      "-".repeat(75),
      `${name.padEnd(42)}Traceback (most recent call last)`,
      `Cell In[${cell}], line ${i + 1}`,
      ...context,
      "",
      message ? `${name}: ${message}` : name,
    ].join("\n") + "\n";
  out.failed = true;
  return out;
}

function pythonStr(value: string | number | boolean | null): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}

/** A Python literal of the subset; undefined when the text is not one. */
function literal(text: string): string | number | boolean | null | undefined {
  const t = text.trim();
  const repeated = /^(.*\S)\s*\*\s*(\d+)$/.exec(t);
  if (repeated) {
    const base = literal(repeated[1]!);
    return typeof base === "string" ? base.repeat(Number(repeated[2])) : undefined;
  }
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t === "True" || t === "False") return t === "True";
  if (t === "None") return null;
  const quoted = /^(['"])((?:\\.|(?!\1).)*)\1$/.exec(t);
  if (!quoted) return undefined;
  return quoted[2]!.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t" })[c] ?? c);
}
