import type { ReactNode } from "react";
import { toPlaygroundError, type PlaygroundError } from "@/lib/client/errors";
import { Alert } from "./alert";
import { Button } from "./button";

function isPlaygroundError(value: unknown): value is PlaygroundError {
  if (typeof value !== "object" || value === null || value instanceof Error) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === "string" && typeof v.hint === "string" && "status" in v && "code" in v;
}

/** "Error 404 · not_found"; after `title` when given: "Could not delete (Error 404 · not_found)". */
export function errorHeading(error: PlaygroundError, title?: string): string {
  const what = [error.status !== null ? `Error ${error.status}` : "Error", error.code]
    .filter(Boolean)
    .join(" · ");
  if (!title) return what;
  return error.status !== null || error.code ? `${title} (${what})` : title;
}

/**
 * The one way a failure is shown: what failed, its status and code, the message, and what to do next
 * (the hint from lib/client/errors.ts, and a retry when there is one). `error` is a PlaygroundError or
 * anything thrown. `inline` fits it on one line, for rows and narrow panels.
 */
export function ErrorAlert({
  error: raw,
  title,
  note,
  actions,
  onRetry,
  retryLabel = "Try again",
  inline = false,
  className,
}: {
  error: unknown;
  /** What failed, e.g. "Could not delete". */
  title?: string;
  /** Said after the hint, e.g. "Your edits are kept." */
  note?: ReactNode;
  actions?: ReactNode;
  onRetry?: () => void;
  retryLabel?: string;
  inline?: boolean;
  className?: string;
}) {
  const error = isPlaygroundError(raw) ? raw : toPlaygroundError(raw);
  if (inline) {
    const lead = title || error.status !== null || error.code ? `${errorHeading(error, title)}: ` : "";
    return (
      <p role="alert" className={`text-red-800 ${className ?? "text-sm"}`}>
        {lead}
        {error.message} {error.hint}
        {note ? <> {note}</> : null}
        {onRetry ? (
          <>
            {" "}
            <button type="button" onClick={onRetry} className="font-medium underline">
              {retryLabel}
            </button>
          </>
        ) : null}
        {actions ? <> {actions}</> : null}
      </p>
    );
  }
  const alert = (
    <Alert
      title={errorHeading(error, title)}
      actions={actions ?? (onRetry ? <Button onClick={onRetry}>{retryLabel}</Button> : undefined)}
    >
      <p>{error.message}</p>
      <p className="text-red-800">
        {error.hint}
        {note ? <> {note}</> : null}
      </p>
    </Alert>
  );
  return className ? <div className={className}>{alert}</div> : alert;
}
