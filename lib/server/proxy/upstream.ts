/**
 * Sending the checked request to the chosen upstream. Real upstreams go through node:http(s), not
 * the global fetch: inside a route handler fetch holds a forwarded upload whole in memory
 * (measured on Next 16), while a piped `request()` streams it (tests/proxy/upload.test.ts).
 */
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { RemoteConnection } from "../connections";
import { getEntraToken } from "../entra";
import { DEFAULT_STREAM_IDLE_TIMEOUT_MS, DEFAULT_UPSTREAM_TIMEOUT_MS } from "../env/connections-env";
import type { PinnedAddress } from "../connection-types";
import type { Engine } from "@/lib/engine";
import type { PreparedBody } from "./body";
import { ProxyError } from "./errors";

export interface UpstreamRequest {
  method: string;
  /** Assistants path, e.g. `threads/thread_1/runs`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: PreparedBody;
  signal: AbortSignal;
  /** How long to wait for a connection to be accepted (default 15 s). */
  connectTimeoutMs?: number;
  /** Overrides the connection's response timeout (request sent → response headers). */
  responseTimeoutMs?: number;
  /** Overrides the connection's stream idle timeout (longest silence once the body streams). */
  streamIdleTimeoutMs?: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers | http.IncomingHttpHeaders;
  body: ReadableStream<Uint8Array> | null;
}

const CONNECT_TIMEOUT_MS = 15_000;
const agents = {
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true }),
};

function withBodyHeaders(headers: Record<string, string>, body: PreparedBody): Record<string, string> {
  const out = { ...headers };
  delete out["content-type"];
  if (body.kind === "buffer") {
    if (body.contentType) out["content-type"] = body.contentType;
    out["content-length"] = String(body.bytes.byteLength);
  } else if (body.kind === "stream") {
    out["content-type"] = body.contentType;
    if (body.length !== null) out["content-length"] = String(body.length);
  }
  return out;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** The 504 for an upstream that took the request and sent no response headers in time. */
export function responseTimeoutError(connection: RemoteConnection, method: string, ms: number): ProxyError {
  const who = `${connection.host} (connection "${connection.name}")`;
  const safe = method === "GET" || method === "HEAD";
  return new ProxyError(
    504,
    "upstream_timeout",
    safe
      ? `${who} did not answer within ${seconds(ms)}. It may still have processed the request; reading again is safe.`
      : `${who} did not answer within ${seconds(ms)}; the upstream may still have acted on it; check before retrying.`,
  );
}

/** The error a streaming body ends with when the upstream goes silent for too long. */
export function streamIdleError(connection: RemoteConnection, ms: number): ProxyError {
  return new ProxyError(
    504,
    "upstream_timeout",
    `${connection.host} (connection "${connection.name}") sent nothing for ${seconds(ms)} while streaming; the proxy ended the response. The work may still be going on upstream: check its state before retrying.`,
  );
}

/**
 * An IncomingMessage as a web stream that reads only as fast as the client takes it. If the
 * upstream sends nothing for `idleMs` while the client is waiting, the stream errors and the
 * upstream socket is destroyed (time spent paused for a slow client does not count).
 */
function toWebStream(
  res: http.IncomingMessage,
  idleMs: number,
  errors: { idle: () => Error; broken: (reason: string) => Error },
): ReadableStream<Uint8Array> {
  // The error a broken body ends with is what the server log shows ("failed to pipe response"):
  // it names the connection, never a URL or a key.
  // Socket events can still arrive after the client cancelled; touching a finished controller
  // would throw inside an event handler and take the server down.
  let done = false;
  let idleTimer: NodeJS.Timeout | undefined;
  const disarm = () => {
    clearTimeout(idleTimer);
    idleTimer = undefined;
  };
  let finish: (error?: Error) => void = () => {};
  const arm = () => {
    if (done) return;
    // Per chunk, the timer is only pushed back (no new timer per event).
    if (idleTimer) {
      idleTimer.refresh();
      return;
    }
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      finish(errors.idle());
      res.destroy();
    }, idleMs);
    idleTimer.unref?.();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        finish = (error?: Error) => {
          if (done) return;
          done = true;
          disarm();
          if (error) controller.error(error);
          else controller.close();
        };
        res.on("data", (chunk: Buffer) => {
          if (done) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) {
            res.pause();
            disarm();
          } else arm();
        });
        res.on("end", () => finish());
        res.on("error", (err: NodeJS.ErrnoException) =>
          finish(errors.broken(err.code ? `${err.code} (${err.message})` : err.message)),
        );
        res.on("close", () => {
          if (!res.complete) finish(errors.broken("the connection closed before the response was complete"));
          disarm();
        });
        res.pause();
      },
      pull() {
        if (done) return;
        if (res.isPaused()) {
          res.resume();
          arm();
        }
      },
      cancel() {
        done = true;
        disarm();
        res.destroy();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}

/** Adds the connection's credentials: api-key, an Entra bearer token for its scope, or a bearer key. */
async function authHeaders(connection: RemoteConnection): Promise<Record<string, string>> {
  const auth = connection.auth;
  switch (auth.type) {
    case "api-key":
      return { "api-key": auth.key };
    case "bearer":
      return auth.key ? { authorization: `Bearer ${auth.key}` } : {};
    case "entra":
      try {
        return { authorization: `Bearer ${await getEntraToken(auth.scope)}` };
      } catch (err) {
        throw new ProxyError(
          502,
          "entra_token_unavailable",
          `Connection "${connection.name}": ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    case "none":
      return {};
  }
}

/** The URL a request goes to on a remote connection: `{baseURL}/{path}?…`. */
export function upstreamUrl(connection: RemoteConnection, req: Pick<UpstreamRequest, "path" | "query">): URL {
  const base = new URL(connection.baseURL);
  const url = new URL(`${base.pathname.replace(/\/+$/, "")}/${req.path}`, base);
  const query = new URLSearchParams(req.query);
  if (!connection.sendsApiVersion) query.delete("api-version");
  url.search = query.toString();
  return url;
}

/** A DNS lookup that answers the address checked when a user connection was made (no rebinding). */
function pinnedLookup(pinned: PinnedAddress) {
  return (
    _hostname: string,
    options: { all?: boolean },
    callback: (
      err: Error | null,
      address: string | { address: string; family: number }[],
      family?: number,
    ) => void,
  ) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}

/**
 * Forwards to a remote upstream (Azure OpenAI, Foundry, an OpenAI-compatible server, a user's
 * connection) with its credentials. Redirects are never followed: a 3xx becomes an error.
 */
export async function forwardToRemote(
  connection: RemoteConnection,
  req: UpstreamRequest,
): Promise<UpstreamResponse> {
  const url = upstreamUrl(connection, req);
  const client = url.protocol === "https:" ? https : http;
  const headers = withBodyHeaders(req.headers, req.body);
  Object.assign(headers, connection.headers, await authHeaders(connection));
  if (req.body.kind === "none" && req.method === "POST") headers["content-length"] = "0";

  const responseMs = req.responseTimeoutMs ?? connection.responseTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  const idleMs = req.streamIdleTimeoutMs ?? connection.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;

  return new Promise<UpstreamResponse>((resolve, reject) => {
    let settled = false;
    let responseTimer: NodeJS.Timeout | undefined;
    const clearTimers = () => {
      clearTimeout(connectTimer);
      clearTimeout(responseTimer);
    };
    const fail = (error: ProxyError) => {
      clearTimers();
      if (settled) return;
      settled = true;
      outgoing.destroy();
      reject(error);
    };
    const unreachable = (reason: string) =>
      new ProxyError(
        502,
        "upstream_unreachable",
        `Could not reach ${connection.host} (connection "${connection.name}"): ${reason}`,
      );

    const outgoing = client.request(url, {
      method: req.method,
      headers,
      // A user connection gets its own socket to the address that was checked.
      ...(connection.pinned
        ? {
            agent: false,
            lookup: pinnedLookup(connection.pinned) as unknown as typeof import("node:dns").lookup,
          }
        : { agent: agents[url.protocol === "https:" ? "https" : "http"] }),
    });
    const timeoutMs = req.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    const connectTimer = setTimeout(
      () =>
        fail(
          new ProxyError(
            504,
            "upstream_timeout",
            `${connection.host} (connection "${connection.name}") did not accept a connection within ${timeoutMs / 1000} s.`,
          ),
        ),
      timeoutMs,
    );
    outgoing.on("socket", (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once("connect", () => clearTimeout(connectTimer));
    });
    // The response clock starts once the whole request is sent: a long upload is not a slow answer.
    outgoing.once("finish", () => {
      if (settled) return;
      responseTimer = setTimeout(
        () => fail(responseTimeoutError(connection, req.method, responseMs)),
        responseMs,
      );
    });
    outgoing.on("response", (res) => {
      clearTimers();
      if (settled) {
        res.destroy();
        return;
      }
      const status = res.statusCode ?? 502;
      if (status >= 300 && status < 400 && status !== 304) {
        res.resume();
        let to = "";
        try {
          to = res.headers.location ? ` to ${new URL(res.headers.location, url).host}` : "";
        } catch {
          // an unparsable Location says nothing useful
        }
        fail(
          new ProxyError(
            502,
            "upstream_redirect",
            `${connection.host} (connection "${connection.name}") answered with a redirect (${status}${to}); the playground never follows redirects. Check the endpoint URL.`,
          ),
        );
        return;
      }
      settled = true;
      const noBody = req.method === "HEAD" || status === 204 || status === 304;
      resolve({
        status,
        headers: res.headers,
        body: noBody
          ? (res.resume(), null)
          : toWebStream(res, idleMs, {
              idle: () => streamIdleError(connection, idleMs),
              broken: (reason) =>
                new Error(
                  `${connection.host} (connection "${connection.name}") broke off the response: ${reason}`,
                ),
            }),
      });
    });
    outgoing.on("error", (err: NodeJS.ErrnoException) => {
      clearTimers();
      if (req.body.kind === "stream" && req.body.failure()) return; // reported by the body pipe below
      fail(
        Object.assign(unreachable(err.code ? `${err.code} (${err.message})` : err.message), {
          networkCode: err.code ?? null,
        }),
      );
    });
    // The browser went away: stop the upstream work too, even mid-response (a run stream).
    const onAbort = () => {
      fail(new ProxyError(499, "client_closed_request", "The client closed the request."));
      outgoing.destroy();
    };
    if (req.signal.aborted) onAbort();
    else req.signal.addEventListener("abort", onAbort, { once: true });
    outgoing.on("close", () => {
      clearTimers();
      req.signal.removeEventListener("abort", onAbort);
    });

    const body = req.body;
    if (body.kind === "buffer") outgoing.end(body.bytes);
    else if (body.kind === "stream") {
      const source = Readable.fromWeb(body.stream as unknown as NodeReadableStream<Uint8Array>);
      source.on("error", (err) => {
        clearTimeout(connectTimer);
        fail(err instanceof ProxyError ? err : unreachable(`the request body failed: ${err.message}`));
      });
      source.pipe(outgoing);
    } else outgoing.end();
  });
}

/** Hands the request to the in-process engine as the Fetch request it expects. */
export async function forwardToEngine(engine: Engine, req: UpstreamRequest): Promise<UpstreamResponse> {
  const url = new URL(`http://local-engine/openai/${req.path}`);
  url.search = req.query.toString();
  const headers = withBodyHeaders(req.headers, req.body);
  const body = req.body;
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: req.signal };
  if (body.kind === "buffer") init.body = body.bytes;
  else if (body.kind === "stream") {
    init.body = body.stream;
    init.duplex = "half";
  }
  let response: Response;
  try {
    response = await engine.fetch(new Request(url, init));
  } catch (err) {
    if (body.kind === "stream") throw body.failure() ?? err;
    throw err;
  }
  const failure = body.kind === "stream" ? body.failure() : null;
  if (failure) {
    await response.body?.cancel().catch(() => {});
    throw failure;
  }
  return { status: response.status, headers: response.headers, body: response.body };
}
