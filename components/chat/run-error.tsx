import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
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
  return (
    <ErrorAlert
      error={error}
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
    />
  );
}
