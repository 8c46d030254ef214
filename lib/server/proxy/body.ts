/**
 * Request bodies: which kind an endpoint takes, and the size limits, enforced from
 * `content-length` up front and again by counting while the bytes stream (a declared length can lie,
 * and chunked bodies declare none).
 */
import { jsonBudgetProblem } from "@/lib/engine/json-budget";
import { LIMITS, MAX_JSON_BODY_BYTES } from "@/lib/protocol/limits";
import { ProxyError } from "./errors";
import type { BodyKind } from "./allowlist";

export interface BodyLimits {
  /** JSON bodies (everything but uploads). */
  json: number;
  /** Multipart uploads: the file plus the form around it. */
  multipart: number;
}

const MiB = 1024 * 1024;
/** Azure's per-file limit, plus a little for the multipart framing and the `purpose` field. */
export const DEFAULT_LIMITS: BodyLimits = {
  json: MAX_JSON_BODY_BYTES,
  multipart: LIMITS.maxFileBytes + 1 * MiB,
};

function tooLarge(limit: number): ProxyError {
  return new ProxyError(
    413,
    "request_too_large",
    `The request body is larger than the proxy allows for this endpoint (${limit} bytes).`,
  );
}

function declaredLength(headers: Headers): number | null {
  const raw = headers.get("content-length");
  if (raw === null) return null;
  if (!/^\d+$/.test(raw.trim()))
    throw new ProxyError(400, "invalid_request_body", "The content-length header is not a number.");
  return Number(raw);
}

export type PreparedBody =
  | { kind: "none" }
  | { kind: "buffer"; bytes: Uint8Array<ArrayBuffer>; contentType: string | null }
  | {
      kind: "stream";
      stream: ReadableStream<Uint8Array>;
      contentType: string;
      length: number | null;
      /** Why the stream stopped early (too long), once it has. */
      failure: () => ProxyError | null;
    };

async function readCapped(body: ReadableStream<Uint8Array>, cap: number): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      throw tooLarge(cap);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** A pass-through stream that errors once more than `cap` bytes went by. */
function countingStream(body: ReadableStream<Uint8Array>, cap: number, declared: number | null) {
  let seen = 0;
  let failure: ProxyError | null = null;
  const stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > cap) failure = tooLarge(cap);
        else if (declared !== null && seen > declared) {
          failure = new ProxyError(
            400,
            "invalid_request_body",
            "The request body is longer than its content-length.",
          );
        }
        if (failure) {
          controller.error(failure);
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return { stream, failure: () => failure };
}

const invalidBody = (message: string) => new ProxyError(400, "invalid_request_body", message);

/** Every Assistants JSON body is an object: refuse anything else before an upstream sees it. */
function checkJsonObject(bytes: Uint8Array): void {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalidBody("The request body is not UTF-8 text.");
  }
  const tooCostly = jsonBudgetProblem(text);
  if (tooCostly) throw invalidBody(tooCostly);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // V8 quotes part of the body in its message: say what went wrong, not what was sent.
    const reason =
      err instanceof Error
        ? err.message.replace(/,?\s*".*" is not valid JSON$/s, "").slice(0, 120)
        : "parse error";
    throw invalidBody(`The request body is not valid JSON: ${reason}.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw invalidBody("The request body must be a JSON object.");
}

/**
 * Checks the body against what the endpoint takes. JSON bodies (≤ 8 MB) are read whole so an
 * oversized one never reaches an upstream; uploads stay a stream.
 */
export async function prepareBody(
  request: Request,
  kind: BodyKind,
  limits: BodyLimits,
): Promise<PreparedBody> {
  if (kind === "none" || request.body === null) return { kind: "none" };
  const contentType = request.headers.get("content-type");
  const declared = declaredLength(request.headers);

  if (kind === "json") {
    if (declared !== null && declared > limits.json) throw tooLarge(limits.json);
    const bytes = await readCapped(request.body, limits.json);
    if (bytes.byteLength === 0) return { kind: "none" };
    if (!contentType || !/^application\/json\b/i.test(contentType)) {
      throw new ProxyError(
        415,
        "unsupported_media_type",
        "This endpoint takes a JSON body (content-type: application/json).",
      );
    }
    checkJsonObject(bytes);
    return { kind: "buffer", bytes, contentType };
  }

  if (!contentType || !/^multipart\/form-data\s*;\s*boundary=/i.test(contentType)) {
    throw new ProxyError(
      415,
      "unsupported_media_type",
      "File uploads are multipart/form-data with a boundary.",
    );
  }
  if (declared !== null && declared > limits.multipart) throw tooLarge(limits.multipart);
  const { stream, failure } = countingStream(request.body, limits.multipart, declared);
  return { kind: "stream", stream, contentType, length: declared, failure };
}
