"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Assistant } from "openai/resources/beta/assistants";
import { ImportError, planImport, type ImportPlan } from "@/lib/client/assistants/import-plan";
import { invalidateAssistants, writeAssistant } from "@/lib/client/queries/assistants/mutations";
import type { ClientScope } from "@/lib/client/queries/scope";
import { toPlaygroundError } from "@/lib/client/errors";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Modal } from "@/components/ui/dialog";

type Result = { index: number; assistant?: Assistant; error?: string };

/** Shows what an import file will create on this connection, then creates it on request. */
export function ImportDialog({
  scope,
  file,
  onClose,
  onCreated,
}: {
  scope: ClientScope;
  file: { name: string; text: string } | null;
  onClose: () => void;
  onCreated: (assistants: Assistant[]) => void;
}) {
  const queryClient = useQueryClient();
  const [keepReferences, setKeepReferences] = useState(false);
  const [results, setResults] = useState<Result[] | null>(null);
  const apiVersion = scope.connection.apiVersion;

  let plan: ImportPlan | null = null;
  let planError: string | null = null;
  if (file) {
    try {
      plan = planImport(file.text, apiVersion, { keepReferences });
    } catch (e) {
      planError = e instanceof ImportError ? e.message : String(e);
    }
  }
  const creatable = plan?.items.filter((i) => i.body) ?? [];
  const withRefs = plan?.items.some((i) => i.references.length > 0) ?? false;

  const createAll = useMutation({
    mutationFn: async (items: typeof creatable) => {
      const out: Result[] = [];
      for (const item of items) {
        try {
          out.push({ index: item.index, assistant: await writeAssistant(scope, item.body!, null) });
        } catch (e) {
          const err = toPlaygroundError(e);
          out.push({
            index: item.index,
            error: `${err.status ?? "Error"}${err.code ? ` ${err.code}` : ""}: ${err.message}`,
          });
        }
        setResults([...out]);
      }
      return out;
    },
    onSuccess: async (out) => {
      await invalidateAssistants(queryClient, scope.connection.name);
      onCreated(out.flatMap((r) => (r.assistant ? [r.assistant] : [])));
    },
  });
  const busy = createAll.isPending;

  function close() {
    setResults(null);
    setKeepReferences(false);
    onClose();
  }

  const done = results !== null && !busy;
  return (
    <Modal
      title={`Import assistants${file ? ` from ${file.name}` : ""}`}
      open={file !== null}
      onClose={close}
      wide
      footer={
        <>
          <Button onClick={close}>{done ? "Close" : "Cancel"}</Button>
          {!done && plan ? (
            <Button
              variant="primary"
              disabled={busy || creatable.length === 0}
              onClick={() => createAll.mutate(creatable)}
            >
              {busy
                ? "Creating…"
                : `Create ${creatable.length} assistant${creatable.length === 1 ? "" : "s"}`}
            </Button>
          ) : null}
        </>
      }
    >
      {planError ? (
        <Alert title="This file cannot be imported">
          <p>{planError}</p>
          <p>Choose a JSON file exported from this playground, or an assistant object from the API.</p>
        </Alert>
      ) : null}
      {plan ? (
        <div className="space-y-3">
          <p className="text-slate-700">
            {results ? "Result" : "Will be created"} on <strong>{scope.connection.name}</strong> (api-version{" "}
            {apiVersion})
            {plan.source.connection
              ? `, exported from ${plan.source.connection} (${plan.source.apiVersion ?? "?"})`
              : ""}
            :
          </p>
          {withRefs ? (
            <label className="flex items-start gap-2 text-sm text-slate-800">
              <input
                type="checkbox"
                className="mt-0.5 size-4 accent-indigo-600"
                checked={keepReferences}
                disabled={busy || done}
                onChange={(e) => setKeepReferences(e.target.checked)}
              />
              <span>
                Keep file and vector store references
                <span className="block text-xs text-slate-600">
                  Only if those ids exist on this connection; otherwise creating fails with 404.
                </span>
              </span>
            </label>
          ) : null}
          <ul
            aria-label="Assistants in the file"
            className="divide-y divide-slate-200 rounded-md border border-slate-200"
          >
            {plan.items.map((item) => {
              const r = results?.find((x) => x.index === item.index);
              return (
                <li key={item.index} className="space-y-0.5 p-2">
                  <p className="font-medium text-slate-900">
                    {item.name}{" "}
                    <span className="font-normal text-slate-600">· {item.model || "no model"}</span>
                  </p>
                  {item.sourceId ? (
                    <p className="font-mono text-xs text-slate-600">was {item.sourceId}</p>
                  ) : null}
                  {item.body ? (
                    <p className="text-xs text-slate-700">
                      {((item.body.tools as unknown[]) ?? []).length} tools
                      {item.references.length && !keepReferences
                        ? `; ${item.references.length} file/vector store reference(s) left out`
                        : ""}
                    </p>
                  ) : null}
                  {item.problems.map((p) => (
                    <p key={p} className="text-xs font-medium text-red-700">
                      Will not be created: {p}
                    </p>
                  ))}
                  {r?.assistant ? (
                    <p className="text-xs font-medium text-emerald-800">Created {r.assistant.id}</p>
                  ) : null}
                  {r?.error ? <p className="text-xs font-medium text-red-700">Failed: {r.error}</p> : null}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
    </Modal>
  );
}
