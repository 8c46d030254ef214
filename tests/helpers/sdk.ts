// An official-SDK client wired straight to a Fetch handler (the engine, a fake), with every response it
// receives checked against the spec. Tests drive the engine through this, so any wire mismatch fails them.
import { AzureOpenAI } from "openai";
import { expectSpecEvent, expectSpecResponse, findOperation, specVersionFor, type SpecVersion } from "./spec";

export interface SpecCheckedClient {
  client: AzureOpenAI;
  violations: string[];
  checked: number;
  assertClean(): void;
}

const BASE_URL = "http://engine.test/openai";

// Only these three calls may answer with an event stream (`stream: true`).
const STREAMING_OPERATIONS = new Set([
  "POST /threads/runs",
  "POST /threads/{thread_id}/runs",
  "POST /threads/{thread_id}/runs/{run_id}/submit_tool_outputs",
]);

/** An AzureOpenAI client whose every request goes to `handler` (e.g. engine.fetch) and whose every JSON
 *  response body and every SSE event is validated with ./spec (by the request's api-version, else
 *  opts.apiVersion); violations are collected (not thrown inside fetch), assertClean() throws with all of
 *  them and also fails if nothing was checked. Binary responses (file content) are skipped.
 *  Stream events are parsed from each chunk as it passes to the SDK (handed on first, never buffered), so by
 *  the time the SDK has read an event it has been checked. `checked` is live (a getter): read it, don't
 *  destructure it. With `validate: false` nothing is checked and assertClean() never throws. */
export function specCheckedClient(
  handler: (req: Request) => Promise<Response>,
  opts: { apiVersion: string; validate?: boolean; maxRetries?: number },
): SpecCheckedClient {
  const validate = opts.validate ?? true;
  const violations: string[] = [];
  let checked = 0;

  const inspect = async (request: Request, response: Response): Promise<Response> => {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const path = url.pathname.replace(/^\/openai(?=\/)/, ""); // the spec's paths are relative to /openai
    const label = `${method} ${path}${url.search}`;
    const apiVersion = url.searchParams.get("api-version") ?? opts.apiVersion;
    let version: SpecVersion | undefined;
    try {
      version = specVersionFor(apiVersion);
    } catch {
      version = undefined;
    }
    const record = (what: string) => violations.push(what);
    const contentType = response.headers.get("content-type") ?? "";

    if (contentType.includes("text/event-stream")) {
      if (!version) {
        record(
          `${label} → ${response.status}: an event stream, but api-version "${apiVersion}" has no spec.`,
        );
        return response;
      }
      const op = findOperation(version, method, path);
      const name = op ? `${method} ${op.template}` : undefined;
      if (!name || !STREAMING_OPERATIONS.has(name))
        record(
          `${label} → ${response.status}: an event stream from ${name ?? "an unknown operation"}; only create run, create thread and run, and submit tool outputs stream.`,
        );
      if (!response.body) {
        record(`${label} → ${response.status}: text/event-stream without a body.`);
        return response;
      }
      const streamVersion = version;
      let index = 0;
      const seen = new Set<string>();
      const parser = new SseParser((event, data) => {
        index++;
        seen.add(event);
        checked++;
        try {
          let payload: unknown = data;
          if (!(event === "done" && data === "[DONE]")) {
            try {
              payload = JSON.parse(data);
            } catch {
              throw new Error(`data is not JSON: ${data.slice(0, 80)}`);
            }
          }
          expectSpecEvent(streamVersion, event, payload);
        } catch (e) {
          record(`${label} → SSE event #${index} "${event}": ${(e as Error).message}`);
        }
      });
      // Each chunk is handed on before it is parsed, so the SDK sees it first; parsing never throws into the stream.
      const inspected = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            controller.enqueue(chunk);
            parser.feed(chunk);
          },
          flush() {
            parser.end();
            // A stream that ran to its end closes with `event: done` (an error event may end it instead).
            if (!seen.has("done") && !seen.has("error"))
              record(`${label} → ${response.status}: the event stream ended without \`event: done\`.`);
          },
        }),
      );
      return new Response(inspected, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }

    if (contentType.includes("json")) {
      const text = await response.text();
      checked++;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        record(
          `${label} → ${response.status}: content-type ${contentType} but the body is not JSON: ${text.slice(0, 80)}`,
        );
        return new Response(text, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      }
      // A refused api-version still owes an Azure error body; any version's errorResponse describes it.
      const checkVersion = version ?? (response.status >= 400 ? "2024-05-01-preview" : undefined);
      if (!checkVersion)
        record(
          `${label} → ${response.status}: a success body for api-version "${apiVersion}", which has no spec.`,
        );
      else {
        try {
          expectSpecResponse(checkVersion, method, path, response.status, body);
        } catch (e) {
          record((e as Error).message);
        }
      }
      return new Response(text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }

    // Neither JSON nor SSE: only raw file content may look like this.
    const op = version ? findOperation(version, method, path) : undefined;
    const binary = response.status < 400 && op?.responses.get(String(response.status)) === "binary";
    if (!binary)
      record(
        `${label} → ${response.status}: content-type "${contentType}" where the spec documents a JSON body${op ? ` (${op.template})` : ""}.`,
      );
    return response;
  };

  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    // The SDK probes `fetch("data:,")` to learn whether it can send FormData; that is not API traffic.
    if (String(input instanceof Request ? input.url : input).startsWith("data:"))
      return globalThis.fetch(input, init);
    // The SDK never sets `duplex`, which Request demands for streamed bodies (multipart uploads).
    const request =
      init?.body != null
        ? new Request(input, { ...init, duplex: "half" } as RequestInit)
        : new Request(input, init);
    const response = await handler(request); // url and method stay readable after the handler consumes the body
    return validate ? inspect(request, response) : response;
  };

  // dangerouslyAllowBrowser: the key is a placeholder, and happy-dom component tests look like a browser to the SDK.
  const client = new AzureOpenAI({
    dangerouslyAllowBrowser: true,
    baseURL: BASE_URL,
    apiKey: "unused",
    apiVersion: opts.apiVersion,
    maxRetries: opts.maxRetries ?? 0,
    fetch,
  });

  return {
    client,
    violations,
    get checked() {
      return checked;
    },
    assertClean() {
      if (!validate) return;
      if (violations.length > 0)
        throw new Error(
          `${violations.length} spec violation(s) in ${checked} checked response(s)/event(s):\n- ${violations.join("\n- ")}`,
        );
      if (checked === 0)
        throw new Error(
          "specCheckedClient checked nothing: no JSON response or stream event went through it.",
        );
    },
  };
}

/** A server-sent-events parser (WHATWG rules: \n, \r\n or \r line ends; `data:` lines joined by \n). */
export class SseParser {
  private decoder = new TextDecoder();
  private buffer = "";
  private event = "";
  private data: string[] = [];

  constructor(private readonly onEvent: (event: string, data: string) => void) {}

  feed(chunk: Uint8Array): void {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    this.drain(false);
  }

  end(): void {
    this.buffer += this.decoder.decode();
    this.drain(true);
    if (this.buffer) this.line(this.buffer);
    this.buffer = "";
    this.dispatch();
  }

  private drain(final: boolean): void {
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) return;
      // A trailing \r may be the first half of \r\n still in flight.
      if (!final && m[0] === "\r" && m.index === this.buffer.length - 1) return;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
  }

  private dispatch(): void {
    if (this.data.length > 0 || this.event) this.onEvent(this.event || "message", this.data.join("\n"));
    this.event = "";
    this.data = [];
  }
}
