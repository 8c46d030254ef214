"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Assistant } from "openai/resources/beta/assistants";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { deleteAssistant, onAssistantDeleted } from "@/lib/client/queries/assistants/mutations";
import type { ClientScope } from "@/lib/client/queries/scope";

/** Asks before deleting an assistant, deletes it, and says why when the upstream refuses. */
export function DeleteAssistantDialog({
  scope,
  assistant,
  open,
  onClose,
  onDeleted,
}: {
  scope: ClientScope | null;
  assistant: Assistant | null;
  open: boolean;
  onClose: () => void;
  onDeleted: (id: string, label: string) => void;
}) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => {
      if (!scope) throw new Error("No connection yet.");
      return deleteAssistant(scope, id);
    },
    onSuccess: async (_, id) => {
      if (!scope) return;
      onDeleted(id, assistant?.name || id);
      await onAssistantDeleted(queryClient, scope.connection, id);
    },
  });
  return (
    <Modal
      title="Delete assistant?"
      open={open && assistant !== null}
      onClose={() => {
        onClose();
        remove.reset();
      }}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="danger"
            disabled={remove.isPending}
            onClick={() => assistant && remove.mutate(assistant.id)}
          >
            {remove.isPending ? "Deleting…" : "Delete assistant"}
          </Button>
        </>
      }
    >
      <p>
        Delete <strong>{assistant?.name || "(unnamed)"}</strong> ({assistant?.id}) from{" "}
        {scope?.connection.name}? This cannot be undone; its threads stay but can no longer run it. Export it
        first to keep a copy.
      </p>
      {remove.error ? <ErrorAlert className="mt-2" title="Could not delete" error={remove.error} /> : null}
    </Modal>
  );
}
