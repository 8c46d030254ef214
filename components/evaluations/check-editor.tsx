"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import type { PlaygroundConnection } from "@/lib/client/connections";
import { CHECK_TYPES, type Check, type CheckType } from "@/lib/evaluations/model";

export function defaultCheck(type: CheckType, connection: PlaygroundConnection | null): Check {
  switch (type) {
    case "contains":
    case "not_contains":
      return { type, value: "" };
    case "regex":
      return { type, pattern: "" };
    case "json_schema":
      return { type, schema: { type: "object" } };
    case "calls_function":
      return { type, name: "" };
    case "cites_file":
      return { type, file: "" };
    case "status":
      return { type, status: "completed" };
    case "max_tokens":
      return { type, tokens: 2000 };
    case "max_seconds":
      return { type, seconds: 30 };
    case "model_graded":
      return {
        type,
        rubric: "",
        connection: connection?.name ?? "local",
        apiVersion: connection?.apiVersion ?? "2024-05-01-preview",
        model: connection?.deployments[0] ?? "gpt-4o",
      };
    default:
      return { type } as Check;
  }
}

/** A JSON object typed as text: kept as typed while it does not parse, and said so. */
function JsonObjectField({
  label,
  value,
  onChange,
  hint,
  optional = false,
}: {
  label: string;
  value: Record<string, unknown> | undefined;
  onChange: (value: Record<string, unknown> | undefined) => void;
  hint?: string;
  optional?: boolean;
}) {
  const [text, setText] = useState(value === undefined ? "" : JSON.stringify(value, null, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <TextAreaField
      label={label}
      hint={hint}
      rows={3}
      className="font-mono"
      value={text}
      error={error}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        if (optional && next.trim() === "") {
          setError(null);
          onChange(undefined);
          return;
        }
        try {
          const parsed: unknown = JSON.parse(next);
          if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
            throw new Error("expected a JSON object");
          setError(null);
          onChange(parsed as Record<string, unknown>);
        } catch (err) {
          setError(`Not a JSON object yet: ${(err as Error).message}`);
        }
      }}
    />
  );
}

export function CheckEditor({
  check,
  onChange,
  onRemove,
  connections,
  name,
}: {
  check: Check;
  onChange: (check: Check) => void;
  onRemove: () => void;
  connections: PlaygroundConnection[];
  /** e.g. "check 2 of prompt 1", for labels that stay unique on the page. */
  name: string;
}) {
  const fields = (() => {
    switch (check.type) {
      case "contains":
      case "not_contains":
        return (
          <>
            <TextField
              label="Text"
              value={check.value}
              onChange={(e) => onChange({ ...check, value: e.target.value })}
            />
            <CheckboxField
              label="Case-sensitive"
              checked={check.caseSensitive ?? false}
              onChange={(e) => onChange({ ...check, caseSensitive: e.target.checked || undefined })}
            />
          </>
        );
      case "regex":
        return (
          <div className="grid grid-cols-[minmax(0,1fr)_5rem] gap-2">
            <TextField
              label="Pattern"
              value={check.pattern}
              onChange={(e) => onChange({ ...check, pattern: e.target.value })}
            />
            <TextField
              label="Flags"
              value={check.flags ?? ""}
              maxLength={8}
              onChange={(e) => onChange({ ...check, flags: e.target.value || undefined })}
            />
          </div>
        );
      case "json_schema":
        return (
          <JsonObjectField
            label="JSON schema"
            value={check.schema}
            onChange={(schema) => schema && onChange({ ...check, schema })}
          />
        );
      case "calls_function":
        return (
          <>
            <TextField
              label="Function name"
              value={check.name}
              onChange={(e) => onChange({ ...check, name: e.target.value })}
            />
            <JsonObjectField
              label="Argument values (optional)"
              hint='e.g. {"city": "Lisbon"}: each must be equal'
              optional
              value={check.argumentValues}
              onChange={(argumentValues) => onChange({ ...check, argumentValues })}
            />
            <JsonObjectField
              label="Arguments schema (optional)"
              optional
              value={check.argumentsSchema}
              onChange={(argumentsSchema) => onChange({ ...check, argumentsSchema })}
            />
          </>
        );
      case "cites_file":
        return (
          <TextField
            label="File name or id"
            value={check.file}
            onChange={(e) => onChange({ ...check, file: e.target.value })}
          />
        );
      case "status":
        return (
          <SelectField
            label="Status"
            value={check.status}
            onChange={(e) => onChange({ ...check, status: e.target.value as typeof check.status })}
          >
            {["completed", "failed", "cancelled", "expired", "incomplete", "requires_action"].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </SelectField>
        );
      case "max_tokens":
        return (
          <TextField
            label="Most tokens"
            type="number"
            min={1}
            value={check.tokens}
            onChange={(e) =>
              onChange({ ...check, tokens: Math.max(1, Math.round(Number(e.target.value) || 1)) })
            }
          />
        );
      case "max_seconds":
        return (
          <TextField
            label="Most seconds"
            type="number"
            min={0.1}
            step={0.1}
            value={check.seconds}
            onChange={(e) => onChange({ ...check, seconds: Math.max(0.1, Number(e.target.value) || 0.1) })}
          />
        );
      case "model_graded": {
        const connection = connections.find((c) => c.name === check.connection);
        return (
          <>
            <TextAreaField
              label="Rubric"
              rows={2}
              value={check.rubric}
              onChange={(e) => onChange({ ...check, rubric: e.target.value })}
            />
            <div className="grid gap-2 sm:grid-cols-2">
              <SelectField
                label="Grader connection"
                value={check.connection}
                onChange={(e) => {
                  const next = connections.find((c) => c.name === e.target.value);
                  onChange({
                    ...check,
                    connection: e.target.value,
                    apiVersion: next?.apiVersion ?? check.apiVersion,
                  });
                }}
              >
                {connections.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.label}
                  </option>
                ))}
              </SelectField>
              <TextField
                label="Grader deployment"
                value={check.model}
                list={`grader-deployments-${check.connection}`}
                onChange={(e) => onChange({ ...check, model: e.target.value })}
              />
              <datalist id={`grader-deployments-${check.connection}`}>
                {(connection?.deployments ?? []).map((d) => (
                  <option key={d} value={d} />
                ))}
              </datalist>
            </div>
          </>
        );
      }
      default:
        return null;
    }
  })();
  return (
    <fieldset className="min-w-0 space-y-2 rounded border border-slate-200 p-2">
      <legend className="sr-only">{name}</legend>
      <div className="flex flex-wrap items-end gap-2">
        <SelectField
          className="min-w-0 flex-1"
          label="Check"
          value={check.type}
          onChange={(e) => onChange(defaultCheck(e.target.value as CheckType, connections[0] ?? null))}
        >
          {CHECK_TYPES.map((t) => (
            <option key={t.type} value={t.type}>
              {t.label}
            </option>
          ))}
        </SelectField>
        <Button variant="ghost" onClick={onRemove} aria-label={`Remove ${name}`}>
          Remove
        </Button>
      </div>
      {fields}
    </fieldset>
  );
}
