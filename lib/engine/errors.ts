/**
 * The one error factory: every error the engine returns has Azure's wire body
 * `{"error":{"code","message","param"?,"type"}}` and the status that makes the openai SDK raise the
 * matching class (BadRequestError, NotFoundError, RateLimitError…).
 */
export interface WireError {
  code: string;
  message: string;
  param?: string;
  type: string;
}

/** Messages and params echo what the request said (ids, names); a 100 KB id is not echoed whole. */
const MAX_MESSAGE = 1_000;
const MAX_PARAM = 256;

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export class EngineError extends Error {
  readonly body: WireError;

  constructor(
    readonly status: number,
    body: WireError,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.body = {
      ...body,
      message: clip(body.message, MAX_MESSAGE),
      ...(body.param !== undefined ? { param: clip(body.param, MAX_PARAM) } : {}),
    };
  }
}

type Kind =
  | "assistant"
  | "thread"
  | "message"
  | "run"
  | "run step"
  | "file"
  | "vector store"
  | "vector store file"
  | "file batch";

export const errors = {
  /** Routing / version / unknown path: what the Azure gateway says. */
  resourceNotFound(): EngineError {
    return new EngineError(404, {
      code: "404",
      message: "Resource not found",
      type: "invalid_request_error",
    });
  },
  apiVersionNotSupported(): EngineError {
    return new EngineError(400, {
      code: "BadRequest",
      message: "API version not supported",
      type: "invalid_request_error",
    });
  },
  methodNotAllowed(method: string): EngineError {
    return new EngineError(405, {
      code: "405",
      message: `Method ${method} is not allowed on this path.`,
      type: "invalid_request_error",
    });
  },
  notFound(kind: Kind, id: string, param?: string): EngineError {
    return new EngineError(404, {
      code: "not_found",
      message: `No ${kind} found with id '${id}'.`,
      type: "invalid_request_error",
      ...(param ? { param } : {}),
    });
  },
  invalid(message: string, param?: string, code = "invalid_request_error"): EngineError {
    return new EngineError(400, {
      code,
      message,
      type: "invalid_request_error",
      ...(param ? { param } : {}),
    });
  },
  /** Thread lock and other state conflicts: OpenAI answers 400 for these. */
  conflict(message: string, param?: string): EngineError {
    return new EngineError(400, {
      code: "invalid_request_error",
      message,
      type: "invalid_request_error",
      ...(param ? { param } : {}),
    });
  },
  tooLarge(message: string): EngineError {
    return new EngineError(400, {
      code: "file_too_large",
      message,
      type: "invalid_request_error",
      param: "file",
    });
  },
  rateLimited(retryAfterSeconds: number, message: string): EngineError {
    const seconds = Math.max(0, Math.ceil(retryAfterSeconds));
    return new EngineError(
      429,
      { code: "429", message, type: "rate_limit_exceeded" },
      { "retry-after": String(seconds), "retry-after-ms": String(Math.round(retryAfterSeconds * 1000)) },
    );
  },
  /** A failure of the engine itself; the message may come from a Node error, so paths are taken out. */
  internal(message: string): EngineError {
    return new EngineError(500, {
      code: "server_error",
      message: withoutPaths(message),
      type: "server_error",
    });
  },
};

/**
 * A message with every absolute filesystem path replaced by `<path>`: Node's fs errors name the file
 * (`ENOENT: no such file or directory, open '/srv/data/engine/state/…'`), which tells a caller where
 * the server keeps its data. URLs (`https://host/a/b`) are left alone.
 */
export function withoutPaths(message: string): string {
  return message
    .replace(/\bfile:\/\/[^\s'"`]*/g, "<path>")
    .replace(/(^|[\s'"`(=,[])[A-Za-z]:\\[^\s'"`)\]]*/g, "$1<path>")
    .replace(/(^|[\s'"`(=,[])~?\/[^\s'"`)\]]+/g, "$1<path>");
}

export function errorBody(e: EngineError): { error: WireError } {
  return { error: e.body };
}
