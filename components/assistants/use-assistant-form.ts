"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Assistant } from "openai/resources/beta/assistants";
import {
  parseFunction,
  parseJsonObject,
  toRequestBody,
  unsentSettings,
  validateForm,
  type AssistantFormValues,
  type FieldErrors,
} from "@/lib/client/assistants/form";
import { draftBase, isUnsaved } from "@/lib/client/assistants/draft";
import { diffBodies, type Change } from "@/lib/client/assistants/diff";
import { checkJsonSchema } from "@/lib/client/assistants/json-schema";
import { onAssistantSaved, writeAssistant } from "@/lib/client/queries/assistants/mutations";
import type { ClientScope } from "@/lib/client/queries/scope";
import { draftKey } from "@/lib/client/stores/assistant-draft-store";
import {
  useAssistantDraftStoreApi,
  useAssistantDrafts,
  useDraftsHydrated,
} from "@/lib/client/stores/assistant-draft-store-hooks";
import type { CodeSandboxInfo } from "@/lib/client/connections";
import { useLeaveGuard } from "./use-leave-guard";

export interface BuilderConnection {
  name: string;
  apiVersion: string;
  default: boolean;
  deployments: string[];
  /** What runs code on a local engine connection (its sandbox's status); null for remote ones. */
  codeSandbox?: CodeSandboxInfo | null;
  /** The local engine's model kind; null for remote connections. */
  engineModel?: "scripted" | "chat-completions" | null;
}

export interface SavedNote {
  id: string;
  created: boolean;
  changes: Change[];
}

/** Sets one field of the draft; stable for the life of the builder. */
export type SetField = <K extends keyof AssistantFormValues>(k: K, v: AssistantFormValues[K]) => void;

/** ajv checks of function parameters and the json_schema, run on demand (ajv loads lazily). */
function useSchemaErrors(values: AssistantFormValues, apiVersion: string): FieldErrors {
  const [errors, setErrors] = useState<FieldErrors>({});
  const signature = JSON.stringify([values.functions, values.responseFormat, values.jsonSchema]);
  useEffect(() => {
    let live = true;
    const jobs: Promise<[string, string | null]>[] = [];
    for (const f of values.functions) {
      const r = parseFunction(f.json, apiVersion);
      if (r.ok && r.value.parameters)
        jobs.push(checkJsonSchema(r.value.parameters, '"parameters"').then((e) => [`function.${f.key}`, e]));
    }
    if (values.responseFormat === "json_schema") {
      const s = parseJsonObject(values.jsonSchema, "Schema");
      if (s.ok) jobs.push(checkJsonSchema(s.value, "Schema").then((e) => ["jsonSchema", e]));
    }
    void Promise.all(jobs).then((results) => {
      if (!live) return;
      const next: FieldErrors = {};
      for (const [k, e] of results) if (e) next[k] = e;
      setErrors(next);
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the signature covers what is checked
  }, [signature, apiVersion]);
  return errors;
}

/**
 * The builder's state: the draft (kept in the draft store until saved, so a reload loses nothing),
 * its checks, the request body it would send, what changed, and saving.
 */
export function useAssistantForm({
  scope,
  connection,
  assistant,
  onSaved,
}: {
  scope: ClientScope;
  connection: BuilderConnection;
  assistant: Assistant | null;
  onSaved?: (assistant: Assistant, note: SavedNote) => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const queryClient = useQueryClient();
  const apiVersion = connection.apiVersion;
  const key = draftKey(connection.name, assistant?.id ?? null);
  useDraftsHydrated();
  const drafts = useAssistantDraftStoreApi();
  const stored = useAssistantDrafts((s) => s.drafts[key]?.values);
  const usedDeployments = useAssistantDrafts((s) => s.usedDeployments);
  const setDraft = useAssistantDrafts((s) => s.setDraft);
  const clearDraft = useAssistantDrafts((s) => s.clearDraft);
  const rememberDeployment = useAssistantDrafts((s) => s.rememberDeployment);

  const defaultDeployment = connection.deployments[0];
  const base = useMemo(() => draftBase(assistant, defaultDeployment), [assistant, defaultDeployment]);
  const values = stored ?? base;
  const dirty = isUnsaved(stored, base);
  // Reads the latest draft from the store, so sections can hold one setter across keystrokes.
  const set = useCallback<SetField>(
    (k, v) => setDraft(key, { ...(drafts.getState().drafts[key]?.values ?? base), [k]: v }),
    [drafts, setDraft, key, base],
  );

  const schemaErrors = useSchemaErrors(values, apiVersion);
  const errors = useMemo<FieldErrors>(
    () => ({ ...schemaErrors, ...validateForm(values, apiVersion) }),
    [schemaErrors, values, apiVersion],
  );
  const errorCount = Object.values(errors).filter(Boolean).length;
  const [submitted, setSubmitted] = useState(false);

  const baseBody = useMemo(() => toRequestBody(base, apiVersion), [base, apiVersion]);
  const body = useMemo(() => toRequestBody(values, apiVersion), [values, apiVersion]);
  const changes = assistant && dirty ? diffBodies(baseBody, body) : [];
  const unsent = unsentSettings(values, apiVersion);

  useLeaveGuard(dirty);

  const save = useMutation({
    mutationFn: () => writeAssistant(scope, body, assistant?.id ?? null),
    onSuccess: async (saved) => {
      const note: SavedNote = {
        id: saved.id,
        created: !assistant,
        changes: assistant ? diffBodies(baseBody, body) : [],
      };
      rememberDeployment(values.model);
      clearDraft(key);
      setSubmitted(false);
      onSaved?.(saved, note);
      await onAssistantSaved(queryClient, scope.connection, saved);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (errorCount > 0) {
      requestAnimationFrame(() =>
        formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
      );
      return;
    }
    save.mutate();
  }

  function discard() {
    clearDraft(key);
    save.reset();
    setSubmitted(false);
  }

  const suggestions = useMemo(
    () => [...new Set([...connection.deployments, ...usedDeployments])],
    [connection.deployments, usedDeployments],
  );

  return {
    formRef,
    values,
    set,
    errors,
    errorCount,
    submitted,
    dirty,
    changes,
    unsent,
    body,
    save,
    submit,
    discard,
    suggestions,
  };
}
