"use client";

import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Assistant } from "openai/resources/beta/assistants";
import {
  ASSISTANT_LIMITS,
  STRUCTURED_OUTPUTS_SINCE,
  countTools,
  emptyForm,
  formFromAssistant,
  generationOf,
  hasStructuredOutputs,
  parseFunction,
  parseJsonObject,
  toRequestBody,
  unsentSettings,
  validateForm,
  type AssistantFormValues,
  type FieldErrors,
  type ResponseFormatKind,
} from "@/lib/client/assistants/form";
import { diffBodies, type Change } from "@/lib/client/assistants/diff";
import { checkJsonSchema } from "@/lib/client/assistants/json-schema";
import { onAssistantSaved, writeAssistant } from "@/lib/client/queries/assistants";
import type { ClientScope } from "@/lib/client/queries/scope";
import { toPlaygroundError } from "@/lib/client/errors";
import { draftKey } from "@/lib/client/stores/assistant-draft-store";
import { useAssistantDrafts, useDraftsHydrated } from "@/lib/client/stores/assistant-draft-store-hooks";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Section, control, controlBorder } from "./fields";
import { FunctionsEditor } from "./functions-editor";
import { FilePicker } from "@/components/files/file-picker";
import { VectorStorePicker } from "@/components/vector-stores/vector-store-picker";
import { ViewCodeDialog } from "./view-code";
import { CodeSandboxNote } from "./code-sandbox-note";
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

/** Without the editor-only keys, so a draft equal to the saved assistant is not "unsaved". */
function comparable(v: AssistantFormValues) {
  return JSON.stringify({ ...v, functions: v.functions.map((f) => f.json) });
}

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
 * Every setting an assistant has, with the protocol's limits for the connection's api-version.
 * Edits live in the draft store (a reload loses nothing) until saved. Keyed by assistant id by its parent.
 */
export function AssistantBuilder({
  scope,
  connection,
  assistant,
  savedNote,
  onSaved,
  onDirtyChange,
  compact = false,
}: {
  scope: ClientScope;
  connection: BuilderConnection;
  assistant: Assistant | null;
  savedNote?: SavedNote | null;
  onSaved?: (assistant: Assistant, note: SavedNote) => void;
  /** Told when unsaved changes appear or go, so the parent can ask before switching assistant. */
  onDirtyChange?: (dirty: boolean) => void;
  compact?: boolean;
}) {
  const id = useId();
  const sandboxNoteId = `${id}-code-sandbox`;
  const formRef = useRef<HTMLFormElement>(null);
  const queryClient = useQueryClient();
  const apiVersion = connection.apiVersion;
  const g = generationOf(apiVersion);
  const structured = hasStructuredOutputs(apiVersion);
  const key = draftKey(connection.name, assistant?.id ?? null);
  useDraftsHydrated();
  const stored = useAssistantDrafts((s) => s.drafts[key]?.values);
  const usedDeployments = useAssistantDrafts((s) => s.usedDeployments);
  const setDraft = useAssistantDrafts((s) => s.setDraft);
  const clearDraft = useAssistantDrafts((s) => s.clearDraft);
  const rememberDeployment = useAssistantDrafts((s) => s.rememberDeployment);

  const base = useMemo(
    () => (assistant ? formFromAssistant(assistant) : emptyForm(connection.deployments[0] ?? undefined)),
    [assistant, connection.deployments],
  );
  const values = stored ?? base;
  const dirty = stored !== undefined && comparable(stored) !== comparable(base);
  const set = <K extends keyof AssistantFormValues>(k: K, v: AssistantFormValues[K]) =>
    setDraft(key, { ...values, [k]: v });

  const schemaErrors = useSchemaErrors(values, apiVersion);
  const errors: FieldErrors = { ...schemaErrors, ...validateForm(values, apiVersion) };
  const errorCount = Object.values(errors).filter(Boolean).length;
  const [submitted, setSubmitted] = useState(false);
  const [viewCode, setViewCode] = useState(false);

  const baseBody = useMemo(() => toRequestBody(base, apiVersion), [base, apiVersion]);
  const body = useMemo(() => toRequestBody(values, apiVersion), [values, apiVersion]);
  const changes = assistant && dirty ? diffBodies(baseBody, body) : [];
  const unsent = unsentSettings(values, apiVersion);

  useLeaveGuard(dirty);
  useEffect(() => {
    onDirtyChange?.(dirty);
  }, [dirty, onDirtyChange]);
  useEffect(() => () => onDirtyChange?.(false), [onDirtyChange]);

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
      await onAssistantSaved(queryClient, connection.name, saved);
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

  const suggestions = [...new Set([...connection.deployments, ...usedDeployments])];
  const upstream = save.error ? toPlaygroundError(save.error) : null;
  const showNote = savedNote && savedNote.id === assistant?.id && !dirty && !save.isPending;

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      className="space-y-4"
      aria-label={assistant ? `Edit assistant ${assistant.name || assistant.id}` : "Create assistant"}
    >
      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
        <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-800">
          {assistant ? assistant.id : "New assistant"}
        </span>
        <span>
          api-version {apiVersion} ({g})
        </span>
        {dirty ? (
          <span className="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-900 ring-1 ring-amber-300">
            Unsaved changes
          </span>
        ) : null}
      </div>

      <Field
        label="Name"
        error={errors.name}
        count={{ value: values.name.length, max: ASSISTANT_LIMITS.name }}
      >
        {(p) => (
          <input
            {...p}
            value={values.name}
            onChange={(e) => set("name", e.target.value)}
            placeholder="Math tutor"
            className={`${control} ${controlBorder(Boolean(errors.name))}`}
          />
        )}
      </Field>
      <Field
        label="Description"
        error={errors.description}
        count={{ value: values.description.length, max: ASSISTANT_LIMITS.description }}
      >
        {(p) => (
          <input
            {...p}
            value={values.description}
            onChange={(e) => set("description", e.target.value)}
            className={`${control} ${controlBorder(Boolean(errors.description))}`}
          />
        )}
      </Field>
      <Field
        label="Deployment"
        error={errors.model}
        hint="The model deployment name, sent as model. No Assistants endpoint lists deployments: pick a suggestion or type one."
      >
        {(p) => (
          <>
            <input
              {...p}
              value={values.model}
              list={`${id}-deployments`}
              autoComplete="off"
              onChange={(e) => set("model", e.target.value)}
              className={`${control} ${controlBorder(Boolean(errors.model))}`}
            />
            <datalist id={`${id}-deployments`}>
              {suggestions.map((d) => (
                <option key={d} value={d} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field
        label="Instructions"
        error={errors.instructions}
        count={{ value: values.instructions.length, max: ASSISTANT_LIMITS.instructions[g] }}
      >
        {(p) => (
          <textarea
            {...p}
            value={values.instructions}
            onChange={(e) => set("instructions", e.target.value)}
            rows={compact ? 8 : 12}
            placeholder="You are a helpful assistant…"
            className={`${control} ${controlBorder(Boolean(errors.instructions))} resize-y`}
          />
        )}
      </Field>

      {g === "v1" ? (
        <p className="rounded-md bg-sky-50 p-2 text-xs text-sky-900 ring-1 ring-sky-200">
          This connection uses a v1 api-version ({apiVersion}): files attach as file_ids, which code
          interpreter and retrieval (v1&apos;s file search) both use; instructions take up to 32,768
          characters; vector stores, temperature, top P and response format are not available.
        </p>
      ) : null}
      {unsent.length ? (
        <p role="note" className="rounded-md bg-amber-50 p-2 text-xs text-amber-900 ring-1 ring-amber-300">
          Kept in your draft but not sent on {apiVersion}: {unsent.join(", ")}. Switch to a v2 api-version to
          use them.
        </p>
      ) : null}

      <Section title="Tools">
        <div className="space-y-2">
          <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
            <input
              type="checkbox"
              className="size-4 accent-indigo-600"
              checked={values.codeInterpreter}
              onChange={(e) => set("codeInterpreter", e.target.checked)}
              aria-describedby={connection.codeSandbox ? sandboxNoteId : undefined}
            />
            Code interpreter
          </label>
          <CodeSandboxNote
            id={sandboxNoteId}
            sandbox={connection.codeSandbox}
            engineModel={connection.engineModel}
            checked={values.codeInterpreter}
          />
          {values.codeInterpreter ||
          values.codeInterpreterFileIds.length ||
          (g === "v1" && values.fileSearch) ? (
            <div className="space-y-1 rounded-md border border-slate-200 bg-slate-50 p-2.5">
              <FilePicker
                scope={scope}
                label={g === "v1" ? "Files (file_ids)" : "Code interpreter files"}
                value={values.codeInterpreterFileIds}
                onChange={(ids) => set("codeInterpreterFileIds", ids)}
                max={ASSISTANT_LIMITS.codeInterpreterFiles}
                use="code_interpreter"
              />
              {errors.codeInterpreterFileIds ? (
                <p className="text-xs font-medium text-red-700">{errors.codeInterpreterFileIds}</p>
              ) : null}
            </div>
          ) : null}
        </div>
        {g === "v1" ? (
          <div className="flex items-center gap-2">
            <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
              <input
                type="checkbox"
                className="size-4 accent-indigo-600"
                checked={values.fileSearch}
                onChange={(e) => set("fileSearch", e.target.checked)}
              />
              Retrieval
            </label>
            <span className="text-xs text-slate-500">v1&apos;s file search: it searches the file_ids.</span>
          </div>
        ) : (
          <div className="space-y-2">
            <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
              <input
                type="checkbox"
                className="size-4 accent-indigo-600"
                checked={values.fileSearch}
                onChange={(e) => set("fileSearch", e.target.checked)}
              />
              File search
            </label>
            {values.fileSearch || values.vectorStoreIds.length ? (
              <div className="space-y-1 rounded-md border border-slate-200 bg-slate-50 p-2.5">
                <VectorStorePicker
                  scope={scope}
                  label="Vector store"
                  value={values.vectorStoreIds[0] ?? null}
                  onChange={(id) => set("vectorStoreIds", id ? [id] : [])}
                />
                {errors.vectorStoreIds ? (
                  <p className="text-xs font-medium text-red-700">{errors.vectorStoreIds}</p>
                ) : null}
              </div>
            ) : null}
          </div>
        )}
        <FunctionsEditor
          functions={values.functions}
          onChange={(fns) => set("functions", fns)}
          errors={errors}
          apiVersion={apiVersion}
          toolCount={countTools(values)}
        />
      </Section>

      {g === "v2" ? (
        <Section title="Model settings">
          <div className="grid grid-cols-2 gap-3">
            <Field label="Temperature" error={errors.temperature} hint="0–2; empty = 1.">
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={values.temperature}
                  placeholder="1"
                  onChange={(e) => set("temperature", e.target.value)}
                  className={`${control} ${controlBorder(Boolean(errors.temperature))}`}
                />
              )}
            </Field>
            <Field label="Top P" error={errors.topP} hint="0–1; empty = 1.">
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={values.topP}
                  placeholder="1"
                  onChange={(e) => set("topP", e.target.value)}
                  className={`${control} ${controlBorder(Boolean(errors.topP))}`}
                />
              )}
            </Field>
          </div>
          <Field
            label="Response format"
            error={errors.responseFormat}
            hint={
              structured
                ? undefined
                : `json_schema needs api-version ${STRUCTURED_OUTPUTS_SINCE}-preview or later (this connection: ${apiVersion}).`
            }
          >
            {(p) => (
              <select
                {...p}
                value={values.responseFormat}
                onChange={(e) => set("responseFormat", e.target.value as ResponseFormatKind)}
                className={`${control} ${controlBorder(Boolean(errors.responseFormat))}`}
              >
                <option value="auto">auto</option>
                <option value="text">text</option>
                <option value="json_object">json_object</option>
                <option value="json_schema" disabled={!structured && values.responseFormat !== "json_schema"}>
                  json_schema
                </option>
              </select>
            )}
          </Field>
          {values.responseFormat === "json_schema" ? (
            <div className="space-y-3 rounded-md border border-slate-200 p-2.5">
              <Field label="Schema name" error={errors.jsonSchemaName}>
                {(p) => (
                  <input
                    {...p}
                    value={values.jsonSchemaName}
                    onChange={(e) => set("jsonSchemaName", e.target.value)}
                    placeholder="answer"
                    className={`${control} ${controlBorder(Boolean(errors.jsonSchemaName))}`}
                  />
                )}
              </Field>
              <Field label="Schema description">
                {(p) => (
                  <input
                    {...p}
                    value={values.jsonSchemaDescription}
                    onChange={(e) => set("jsonSchemaDescription", e.target.value)}
                    className={`${control} border-slate-300`}
                  />
                )}
              </Field>
              <Field label="Schema (JSON)" error={errors.jsonSchema}>
                {(p) => (
                  <textarea
                    {...p}
                    rows={8}
                    spellCheck={false}
                    value={values.jsonSchema}
                    onChange={(e) => set("jsonSchema", e.target.value)}
                    placeholder={
                      '{\n  "type": "object",\n  "properties": { "answer": { "type": "string" } },\n  "required": ["answer"],\n  "additionalProperties": false\n}'
                    }
                    className={`${control} ${controlBorder(Boolean(errors.jsonSchema))} resize-y font-mono text-xs`}
                  />
                )}
              </Field>
              <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
                <input
                  type="checkbox"
                  className="size-4 accent-indigo-600"
                  checked={values.jsonSchemaStrict}
                  onChange={(e) => set("jsonSchemaStrict", e.target.checked)}
                />
                Strict schema
              </label>
            </div>
          ) : null}
        </Section>
      ) : null}

      <Section
        title="Metadata"
        aside={
          <span className="text-xs font-normal text-slate-600">
            {values.metadata.length} of {ASSISTANT_LIMITS.metadataKeys} keys
          </span>
        }
      >
        {values.metadata.map((m, i) => (
          <div key={i} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
            <Field label={`Metadata key ${i + 1}`} error={errors[`metadata.${i}.key`]}>
              {(p) => (
                <input
                  {...p}
                  value={m.key}
                  onChange={(e) =>
                    set(
                      "metadata",
                      values.metadata.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)),
                    )
                  }
                  className={`${control} ${controlBorder(Boolean(errors[`metadata.${i}.key`]))}`}
                />
              )}
            </Field>
            <Field label={`Metadata value ${i + 1}`} error={errors[`metadata.${i}.value`]}>
              {(p) => (
                <input
                  {...p}
                  value={m.value}
                  onChange={(e) =>
                    set(
                      "metadata",
                      values.metadata.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)),
                    )
                  }
                  className={`${control} ${controlBorder(Boolean(errors[`metadata.${i}.value`]))}`}
                />
              )}
            </Field>
            <Button
              variant="ghost"
              className="mt-6 text-xs"
              aria-label={`Remove metadata ${m.key || i + 1}`}
              onClick={() =>
                set(
                  "metadata",
                  values.metadata.filter((_, j) => j !== i),
                )
              }
            >
              Remove
            </Button>
          </div>
        ))}
        {errors.metadata ? <p className="text-xs font-medium text-red-700">{errors.metadata}</p> : null}
        <Button
          className="text-xs"
          disabled={values.metadata.length >= ASSISTANT_LIMITS.metadataKeys}
          onClick={() => set("metadata", [...values.metadata, { key: "", value: "" }])}
        >
          Add metadata
        </Button>
      </Section>

      {changes.length ? (
        <details className="rounded-md border border-amber-300 bg-amber-50 p-2 text-xs text-amber-950">
          <summary className="cursor-pointer font-medium">
            {changes.length} unsaved change{changes.length === 1 ? "" : "s"}
          </summary>
          <ChangeList changes={changes} />
        </details>
      ) : null}

      {submitted && errorCount > 0 ? (
        <Alert title={`Fix ${errorCount} problem${errorCount === 1 ? "" : "s"} before saving`}>
          <p>Each one is explained beside its field. Nothing was sent.</p>
        </Alert>
      ) : null}
      {upstream ? (
        <Alert
          title={[upstream.status !== null ? `Error ${upstream.status}` : "Error", upstream.code]
            .filter(Boolean)
            .join(" · ")}
        >
          <p>{upstream.message}</p>
          <p>{upstream.hint} Your edits are kept.</p>
        </Alert>
      ) : null}

      <div className="sticky bottom-0 -mx-3 flex flex-wrap items-center gap-2 border-t border-slate-200 bg-white px-3 py-2">
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {assistant ? "Save changes" : "Create assistant"}
        </Button>
        <Button onClick={() => setViewCode(true)}>View code</Button>
        {dirty ? (
          <Button
            variant="ghost"
            onClick={() => {
              clearDraft(key);
              save.reset();
              setSubmitted(false);
            }}
          >
            Discard changes
          </Button>
        ) : null}
        <div role="status" className="basis-full text-sm text-slate-700">
          {save.isPending ? "Saving…" : showNote ? <SavedSummary note={savedNote} /> : null}
        </div>
      </div>
      <ViewCodeDialog
        open={viewCode}
        onClose={() => setViewCode(false)}
        body={body}
        connection={connection}
      />
    </form>
  );
}

function ChangeList({ changes }: { changes: Change[] }) {
  return (
    <ul className="mt-1 space-y-0.5">
      {changes.map((c, i) => (
        <li key={i}>
          <span className="font-semibold">{c.field}</span>: {c.before} → {c.after}
        </li>
      ))}
    </ul>
  );
}

function SavedSummary({ note }: { note: SavedNote }) {
  if (note.created) return <span>Created.</span>;
  if (note.changes.length === 0) return <span>Saved. Nothing changed.</span>;
  return (
    <div>
      <span>Saved. Changed: {note.changes.map((c) => c.field).join(", ")}.</span>
      <details className="text-xs text-slate-600">
        <summary className="cursor-pointer">What changed</summary>
        <ChangeList changes={note.changes} />
      </details>
    </div>
  );
}
