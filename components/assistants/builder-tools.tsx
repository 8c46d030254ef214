"use client";

import { memo, useId } from "react";
import {
  ASSISTANT_LIMITS,
  countTools,
  generationOf,
  type AssistantFormValues,
  type FieldErrors,
} from "@/lib/client/assistants/form";
import type { ClientScope } from "@/lib/client/queries/scope";
import { FilePicker } from "@/components/files/file-picker";
import { VectorStorePicker } from "@/components/vector-stores/vector-store-picker";
import { Section } from "./fields";
import { FunctionsEditor } from "./functions-editor";
import { CodeSandboxNote } from "./code-sandbox-note";
import type { BuilderConnection, SetField } from "./use-assistant-form";

const checkbox = "size-4 accent-indigo-600";
const checkboxLabel = "flex items-center gap-2 text-sm font-medium text-slate-800";
const resources = "space-y-1 rounded-md border border-slate-200 bg-slate-50 p-2.5";

function FieldProblem({ message }: { message: string | undefined }) {
  return message ? <p className="text-xs font-medium text-red-700">{message}</p> : null;
}

/** Code interpreter (with its files), file search or v1 retrieval (with the vector store) and functions. */
export const BuilderTools = memo(function BuilderTools({
  scope,
  connection,
  values,
  errors,
  set,
}: {
  scope: ClientScope;
  connection: BuilderConnection;
  values: AssistantFormValues;
  errors: FieldErrors;
  set: SetField;
}) {
  const sandboxNoteId = `${useId()}-code-sandbox`;
  const apiVersion = connection.apiVersion;
  const g = generationOf(apiVersion);
  return (
    <Section title="Tools">
      <div className="space-y-2">
        <label className={checkboxLabel}>
          <input
            type="checkbox"
            className={checkbox}
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
          <div className={resources}>
            <FilePicker
              scope={scope}
              label={g === "v1" ? "Files (file_ids)" : "Code interpreter files"}
              value={values.codeInterpreterFileIds}
              onChange={(ids) => set("codeInterpreterFileIds", ids)}
              max={ASSISTANT_LIMITS.codeInterpreterFiles}
              use="code_interpreter"
            />
            <FieldProblem message={errors.codeInterpreterFileIds} />
          </div>
        ) : null}
      </div>
      {g === "v1" ? (
        <div className="flex items-center gap-2">
          <label className={checkboxLabel}>
            <input
              type="checkbox"
              className={checkbox}
              checked={values.fileSearch}
              onChange={(e) => set("fileSearch", e.target.checked)}
            />
            Retrieval
          </label>
          <span className="text-xs text-slate-500">v1&apos;s file search: it searches the file_ids.</span>
        </div>
      ) : (
        <div className="space-y-2">
          <label className={checkboxLabel}>
            <input
              type="checkbox"
              className={checkbox}
              checked={values.fileSearch}
              onChange={(e) => set("fileSearch", e.target.checked)}
            />
            File search
          </label>
          {values.fileSearch || values.vectorStoreIds.length ? (
            <div className={resources}>
              <VectorStorePicker
                scope={scope}
                label="Vector store"
                value={values.vectorStoreIds[0] ?? null}
                onChange={(id) => set("vectorStoreIds", id ? [id] : [])}
              />
              <FieldProblem message={errors.vectorStoreIds} />
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
  );
});
