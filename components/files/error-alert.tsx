import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import type { PlaygroundError } from "@/lib/client/errors";

export function errorTitle(error: PlaygroundError): string {
  return [error.status !== null ? `Error ${error.status}` : "Error", error.code].filter(Boolean).join(" · ");
}

/** An upstream or local failure: status, code, message and what to do next. */
export function ErrorAlert({ error, actions }: { error: PlaygroundError; actions?: ReactNode }) {
  return (
    <Alert title={errorTitle(error)} actions={actions}>
      <p>{error.message}</p>
      <p className="text-red-800">{error.hint}</p>
    </Alert>
  );
}
