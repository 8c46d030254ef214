import { APIError, APIConnectionError, APIUserAbortError } from "openai";

/** What the UI shows for any failure: what happened (status, code, message) and what to do next. */
export interface PlaygroundError {
  status: number | null;
  code: string | null;
  message: string;
  hint: string;
}

/** A non-SDK HTTP failure (the playground's own endpoints), shaped like an upstream error. */
export class PlaygroundHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = "PlaygroundHttpError";
  }

  static fromBody(status: number, body: unknown): PlaygroundHttpError {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = error?.code == null ? null : String(error.code);
    const message =
      typeof error?.message === "string" ? error.message : `Request failed with status ${status}.`;
    return new PlaygroundHttpError(status, code, message);
  }
}

export function hintFor(status: number | null, code: string | null): string {
  if (status === null) return "Check that the playground server is running, then try again.";
  if (status === 401 && code === "sign_in_required")
    return "Your session has ended: sign in again at /sign-in.";
  if (status === 401 && code === "invalid_access_token")
    return "The access token is wrong or revoked: create a new one in Settings.";
  if (status === 421 || code === "host_not_allowed")
    return "This server does not answer to this address: open it at one of its configured origins.";
  if (code === "user_connection_refused" || code === "user_connections_disabled")
    return "Use an endpoint this server allows (see Settings), or one of the configured connections.";
  if (status === 401 || status === 403)
    return "The connection was refused: check its credentials in the server settings.";
  if (status === 404)
    return "It may have been deleted. Start a new thread or pick another assistant, then try again.";
  if (status === 408 || code === "timeout") return "The request timed out. Try again.";
  if (status === 429) return "Too many requests: wait a moment, then try again.";
  if (status === 400 && code !== null && /active|lock/i.test(code))
    return "A run is still active on this thread: wait for it to finish, or start a new thread.";
  if (status >= 500)
    return "The upstream service failed. Try again; if it keeps failing, check the connection.";
  return "Check the request, then try again.";
}

function retryAfterNote(headers: Headers | undefined): string {
  const ms = Number(headers?.get("retry-after-ms"));
  const seconds = Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 1000) : Number(headers?.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? ` The server asks to wait ${seconds} s.` : "";
}

export function toPlaygroundError(err: unknown): PlaygroundError {
  if (err instanceof APIUserAbortError) {
    return {
      status: null,
      code: "aborted",
      message: "The request was cancelled.",
      hint: "Send again when ready.",
    };
  }
  if (err instanceof APIConnectionError) {
    return { status: null, code: null, message: err.message, hint: hintFor(null, null) };
  }
  if (err instanceof APIError) {
    const body = err.error as { message?: unknown } | undefined;
    const code = err.code == null ? null : String(err.code);
    const message = typeof body?.message === "string" ? body.message : err.message;
    const status = typeof err.status === "number" ? err.status : null;
    return { status, code, message, hint: hintFor(status, code) + retryAfterNote(err.headers) };
  }
  if (err instanceof PlaygroundHttpError) {
    return { status: err.status, code: err.code, message: err.message, hint: hintFor(err.status, err.code) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { status: null, code: null, message, hint: "Try again." };
}

/** A run that ended in `failed` (or `expired`/`cancelled`/`incomplete`) carries its reason in the run, not as an HTTP error. */
export function runEndError(run: {
  status: string;
  last_error?: { code?: string | null; message?: string | null } | null;
  incomplete_details?: { reason?: string | null } | null;
}): PlaygroundError | null {
  if (run.status === "failed") {
    return {
      status: null,
      code: run.last_error?.code ?? null,
      message: run.last_error?.message || "The run failed.",
      hint: "Retry the run, or change the message and send again.",
    };
  }
  if (run.status === "expired") {
    return {
      status: null,
      code: "expired",
      message: "The run expired before it finished.",
      hint: "Retry the run.",
    };
  }
  if (run.status === "cancelled") {
    return {
      status: null,
      code: "cancelled",
      message: "The run was cancelled before it finished.",
      hint: "Retry the run to get an answer, or send a new message.",
    };
  }
  if (run.status === "incomplete") {
    const reason = run.incomplete_details?.reason;
    return {
      status: null,
      code: reason ?? "incomplete",
      message: `The run ended incomplete${reason ? ` (${reason})` : ""}.`,
      hint: "Raise the token limits or ask for a shorter answer.",
    };
  }
  return null;
}
