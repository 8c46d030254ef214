import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { PlaygroundError } from "@/lib/client/errors";

export function RunError({
  error,
  retryLabel,
  onRetry,
  onDismiss,
}: {
  error: PlaygroundError;
  retryLabel: string;
  onRetry?: () => void;
  onDismiss: () => void;
}) {
  const heading = [error.status !== null ? `Error ${error.status}` : "Error", error.code]
    .filter(Boolean)
    .join(" · ");
  return (
    <Alert
      title={heading}
      actions={
        <>
          {onRetry ? (
            <Button variant="danger" onClick={onRetry}>
              {retryLabel}
            </Button>
          ) : null}
          <Button variant="ghost" onClick={onDismiss}>
            Dismiss
          </Button>
        </>
      }
    >
      <p>{error.message}</p>
      <p className="text-red-800">{error.hint}</p>
    </Alert>
  );
}
