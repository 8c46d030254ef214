/**
 * A fake upstream that misbehaves on cue, in front of a REAL local engine (so runs really happen
 * and keep a true state whatever the client saw). Everything under `/openai/*` is forwarded to the
 * engine unless an armed rule matches; the rule then decides what the client gets:
 *
 * - `status`    answer at once (the engine never sees the request), default body Azure-shaped;
 * - `hang`      accept the request and never answer (the engine never sees it) until the client goes
 *               away or `DELETE /_fault`; with `forward: true` the engine does get it and acts on
 *               it (a run starts) — the client still hears nothing;
 * - `reset`     forward; after N SSE events reset the socket (RST: the client sees ECONNRESET /
 *               "terminated"); with N = 0 the reset comes before any byte, headers included;
 * - `cut`       forward; after N events end the response cleanly (no `done`);
 * - `malformed` forward; after N events write one malformed event and end;
 * - `stall`     forward; after N events send nothing more and keep the socket open (headers are sent
 *               even with N = 0, so a client sees a stream that goes quiet);
 * - `slow`      forward; delay the headers and every event by `delayMs`; everything arrives.
 *
 * In every forwarded case the engine's own stream is read to its end, so the run completes upstream.
 * A response that is not an event stream (JSON, file content) counts as one event: N = 0 applies the
 * fault before its body (reset: no byte at all; cut: an empty body; malformed: the malformed event as
 * the body; stall: headers only), N ≥ 1 lets it through whole.
 *
 * Control: `POST /_fault` {method?, path?, times?, fault} arms a rule (201 with it), `DELETE /_fault`
 * clears rules and hits and destroys held connections, `GET /_fault` → `{rules, hits, held}`; `/_engine/*` is the
 * engine's (`GET /_engine/health` is the readiness URL).
 */
import http from "node:http";
import type { Socket } from "node:net";
import { createEngine, type Engine } from "@/lib/engine";
import { toFetchRequest } from "@/lib/engine/server";

export type Fault =
  | { type: "status"; status: number; headers?: Record<string, string>; body?: unknown }
  /** `forward: true`: the engine gets the request and acts on it; the client still never hears back. */
  | { type: "hang"; forward?: boolean }
  | { type: "reset"; afterEvents: number }
  | { type: "cut"; afterEvents: number }
  | { type: "malformed"; afterEvents: number }
  | { type: "stall"; afterEvents: number }
  | { type: "slow"; delayMs: number };

export interface FaultRuleInput {
  method?: string;
  /** A regex source tested against the request's pathname, e.g. `/threads/[^/]+/runs$`. */
  path?: string;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  fault: Fault;
}

export interface FaultRule {
  id: number;
  method: string | null;
  path: string | null;
  /** Uses left. */
  times: number;
  fault: Fault;
}

export interface FaultHit {
  method: string;
  path: string;
  type: Fault["type"];
  /** ISO time the fault was applied. */
  at: string;
}

export interface FaultUpstream {
  /** `http://127.0.0.1:<port>` — an Azure OpenAI connection's endpoint. */
  url: string;
  port: number;
  /** The engine behind it: read a run's true state without going through a fault. */
  engine: Engine;
  arm(rule: FaultRuleInput): FaultRule;
  clear(): void;
  hits(): FaultHit[];
  rules(): FaultRule[];
  /** How many connections are held open on purpose right now (hang, stall). */
  held(): number;
  close(): Promise<void>;
}

export const MALFORMED_EVENT = 'event: thread.message.delta\ndata: {"id": oops\n\n';

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const nonNegativeInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** Checks a rule as it arrives over HTTP; returns what is wrong, or null. */
export function ruleProblem(input: unknown): string | null {
  if (typeof input !== "object" || input === null)
    return "the body must be a JSON object {method?, path?, times?, fault}";
  const r = input as Record<string, unknown>;
  if (r.method !== undefined && (typeof r.method !== "string" || !METHODS.has(r.method.toUpperCase())))
    return "method must be an HTTP method such as POST";
  if (r.path !== undefined) {
    if (typeof r.path !== "string") return "path must be a regex source string";
    try {
      new RegExp(r.path);
    } catch {
      return "path is not a valid regular expression";
    }
  }
  if (r.times !== undefined && (!nonNegativeInt(r.times) || r.times < 1))
    return "times must be a positive integer";
  const f = r.fault as Record<string, unknown> | undefined;
  if (typeof f !== "object" || f === null) return "fault is required";
  switch (f.type) {
    case "status":
      if (!nonNegativeInt(f.status) || f.status < 200 || f.status > 599)
        return "fault.status must be 200..599";
      if (f.headers !== undefined && (typeof f.headers !== "object" || f.headers === null))
        return "fault.headers must be an object of strings";
      return null;
    case "hang":
      return f.forward === undefined || typeof f.forward === "boolean"
        ? null
        : "fault.forward must be true or false";
    case "reset":
    case "cut":
    case "malformed":
    case "stall":
      return nonNegativeInt(f.afterEvents) ? null : `fault.afterEvents must be an integer ≥ 0 for ${f.type}`;
    case "slow":
      return nonNegativeInt(f.delayMs) ? null : "fault.delayMs must be an integer ≥ 0";
    default:
      return "fault.type must be one of status, hang, reset, cut, malformed, stall, slow";
  }
}

const toEngineRequest = (req: http.IncomingMessage, signal: AbortSignal | undefined) =>
  toFetchRequest(req, "http://fault-upstream", signal);

/** Waits until the client can take more, or is gone. */
function drained(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Splits an SSE byte stream into whole events (`…\n\n`), as they complete. */
class EventSplitter {
  private buffer = "";
  private decoder = new TextDecoder();
  push(chunk: Uint8Array): string[] {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    const out: string[] = [];
    for (;;) {
      const m = /\r?\n\r?\n/.exec(this.buffer);
      if (!m) return out;
      out.push(this.buffer.slice(0, m.index + m[0].length));
      this.buffer = this.buffer.slice(m.index + m[0].length);
    }
  }
  rest(): string {
    const r = this.buffer + this.decoder.decode();
    this.buffer = "";
    return r;
  }
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {});
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    req.on("error", reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export async function startFaultUpstream(opts: {
  port?: number;
  host?: string;
  dataDir: string;
}): Promise<FaultUpstream> {
  const host = opts.host ?? "127.0.0.1";
  const engine = createEngine({ dataDir: opts.dataDir });
  // The engine opens its database on first use; the proxy's short timeouts must not count that.
  await engine.fetch(new Request("http://engine/_engine/health"));
  let rules: FaultRule[] = [];
  const hits: FaultHit[] = [];
  let nextId = 1;
  /** Connections held open on purpose (hang, stall): destroyed by DELETE /_fault and close(). */
  const held = new Set<http.ServerResponse>();
  const sockets = new Set<Socket>();
  /** Engine streams still being read after the client got its fault: close() waits for them. */
  const draining = new Set<Promise<void>>();

  const arm = (input: FaultRuleInput): FaultRule => {
    const problem = ruleProblem(input);
    if (problem) throw new Error(problem);
    const rule: FaultRule = {
      id: nextId++,
      method: input.method ? input.method.toUpperCase() : null,
      path: input.path ?? null,
      times: input.times ?? 1,
      fault: input.fault,
    };
    rules.push(rule);
    return rule;
  };
  const clear = () => {
    rules = [];
    hits.length = 0;
    for (const res of held) res.destroy();
    held.clear();
  };
  const take = (method: string, pathname: string): Fault | null => {
    const rule = rules.find(
      (r) =>
        (r.method === null || r.method === method) && (r.path === null || new RegExp(r.path).test(pathname)),
    );
    if (!rule) return null;
    rule.times -= 1;
    if (rule.times <= 0) rules = rules.filter((r) => r !== rule);
    hits.push({ method, path: pathname, type: rule.fault.type, at: new Date().toISOString() });
    return rule.fault;
  };
  const hold = (res: http.ServerResponse) => {
    held.add(res);
    res.once("close", () => held.delete(res));
  };

  /** Forwards untouched, like the engine's own server: a client that leaves aborts the request. */
  async function passThrough(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const controller = new AbortController();
    res.once("close", () => controller.abort());
    const response = await engine.fetch(toEngineRequest(req, controller.signal));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.flushHeaders();
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (res.destroyed) continue; // keep reading: the engine finishes what it started
        if (!res.write(value)) await drained(res);
      }
    } finally {
      res.end();
    }
  }

  /** Forwards with an event-level fault; the engine's stream is always read to its end. */
  async function forwardFaulty(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    fault: Exclude<Fault, { type: "status" } | { type: "hang" }>,
  ): Promise<void> {
    // No abort signal: whatever the client does, the engine completes the work it was given.
    const response = await engine.fetch(toEngineRequest(req, undefined));
    const headers = Object.fromEntries(response.headers);
    delete headers["content-length"];
    const isStream = (response.headers.get("content-type") ?? "").includes("text/event-stream");
    const delay = fault.type === "slow" ? fault.delayMs : 0;
    const after = fault.type === "slow" ? Infinity : fault.afterEvents;
    let sent = 0;
    /** Once true, nothing more goes to the client (the engine's stream is still read). */
    let stopped = false;
    let headersOut = false;
    const alive = () => !res.destroyed && !res.writableEnded;
    const writeHeaders = () => {
      if (headersOut || !alive()) return;
      headersOut = true;
      res.writeHead(response.status, headers);
      res.flushHeaders();
    };
    const write = async (text: string | Uint8Array) => {
      if (!alive()) return;
      if (!res.write(text)) await drained(res);
    };
    const applyFault = async () => {
      stopped = true;
      switch (fault.type) {
        case "reset": {
          const socket = res.socket;
          // An RST discards whatever is still unsent: let the events already written reach the client.
          if (headersOut)
            await new Promise<void>((r) => (alive() ? res.write("", () => setTimeout(r, 25)) : r()));
          if (socket && !socket.destroyed && typeof socket.resetAndDestroy === "function")
            socket.resetAndDestroy();
          else res.destroy();
          return;
        }
        case "cut":
          writeHeaders();
          if (alive()) res.end();
          return;
        case "malformed":
          writeHeaders();
          await write(MALFORMED_EVENT);
          if (alive()) res.end();
          return;
        case "stall":
          writeHeaders();
          hold(res);
          return;
        case "slow":
          return;
      }
    };

    if (delay) await sleep(delay);
    if (after === 0) await applyFault();
    else writeHeaders();

    const work = (async () => {
      if (!response.body) {
        if (!stopped && alive()) res.end();
        return;
      }
      const reader = response.body.getReader();
      const splitter = isStream ? new EventSplitter() : null;
      const whole: Uint8Array[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (stopped) continue;
        if (!splitter) {
          whole.push(value);
          continue;
        }
        for (const event of splitter.push(value)) {
          if (stopped) break;
          if (delay) await sleep(delay);
          await write(event);
          sent += 1;
          if (sent >= after) await applyFault();
        }
      }
      if (stopped) return;
      if (splitter) {
        const rest = splitter.rest();
        if (rest) await write(rest);
      } else {
        if (delay) await sleep(delay);
        for (const part of whole) await write(part);
      }
      if (alive()) res.end();
    })();
    const tracked = work.catch(() => {
      if (alive()) res.destroy();
    });
    draining.add(tracked);
    void tracked.finally(() => draining.delete(tracked));
    await tracked;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fault-upstream");
    const method = (req.method ?? "GET").toUpperCase();

    if (url.pathname === "/_fault") {
      if (method === "GET") return sendJson(res, 200, { rules, hits, held: held.size });
      if (method === "DELETE") {
        clear();
        return sendJson(res, 200, { rules, hits, held: held.size });
      }
      if (method === "POST") {
        let body: unknown;
        try {
          body = await readJson(req);
        } catch {
          return sendJson(res, 400, { error: { code: "invalid_json", message: "The body is not JSON." } });
        }
        const problem = ruleProblem(body);
        if (problem) return sendJson(res, 400, { error: { code: "invalid_rule", message: problem } });
        return sendJson(res, 201, arm(body as FaultRuleInput));
      }
      return sendJson(res, 405, { error: { code: "method_not_allowed", message: "GET, POST or DELETE" } });
    }
    if (url.pathname.startsWith("/_engine/")) return passThrough(req, res);
    if (!url.pathname.startsWith("/openai/"))
      return sendJson(res, 404, { error: { code: "404", message: "Resource not found" } });

    const fault = take(method, url.pathname);
    if (!fault) return passThrough(req, res);
    switch (fault.type) {
      case "status": {
        req.resume();
        const body =
          fault.body === undefined
            ? {
                error: {
                  code: String(fault.status),
                  message: `Injected ${fault.status} from the fault upstream.`,
                },
              }
            : fault.body;
        const text = typeof body === "string" ? body : JSON.stringify(body);
        res.writeHead(fault.status, {
          "content-type": "application/json",
          "apim-request-id": `fault-${Date.now()}`,
          ...(fault.headers ?? {}),
          "content-length": String(Buffer.byteLength(text)),
        });
        res.end(text);
        return;
      }
      case "hang":
        hold(res);
        if (!fault.forward) return void req.resume();
        {
          // The upstream acts on the request and never says so: its answer is read and dropped.
          const response = await engine.fetch(toEngineRequest(req, undefined));
          const drained = response.body?.pipeTo(new WritableStream()).catch(() => {}) ?? Promise.resolve();
          draining.add(drained);
          void drained.finally(() => draining.delete(drained));
        }
        return;
      default:
        return forwardFaulty(req, res, fault);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed)
        sendJson(res, 500, {
          error: { code: "server_error", message: e instanceof Error ? e.message : String(e) },
        });
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    // A reset socket may report ECONNRESET / EPIPE later: expected here, never fatal.
    socket.on("error", () => {});
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : (opts.port ?? 0);

  return {
    url: `http://${host}:${port}`,
    port,
    engine,
    arm,
    clear,
    hits: () => [...hits],
    rules: () => rules.map((r) => ({ ...r })),
    held: () => held.size,
    async close() {
      clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await Promise.allSettled([...draining]);
      await engine.close();
    },
  };
}
