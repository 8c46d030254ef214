"use client";

import { memo } from "react";
import {
  STRUCTURED_OUTPUTS_SINCE,
  hasStructuredOutputs,
  type AssistantFormValues,
  type FieldErrors,
  type ResponseFormatKind,
} from "@/lib/client/assistants/form";
import { Field, Section, control, controlBorder } from "./fields";
import type { SetField } from "./use-assistant-form";

const SCHEMA_PLACEHOLDER =
  '{\n  "type": "object",\n  "properties": { "answer": { "type": "string" } },\n  "required": ["answer"],\n  "additionalProperties": false\n}';

/** v2's temperature, top P and response format (with the json_schema when chosen). */
export const BuilderModelSettings = memo(function BuilderModelSettings({
  values,
  errors,
  set,
  apiVersion,
}: {
  values: AssistantFormValues;
  errors: FieldErrors;
  set: SetField;
  apiVersion: string;
}) {
  const structured = hasStructuredOutputs(apiVersion);
  return (
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
                placeholder={SCHEMA_PLACEHOLDER}
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
  );
});
