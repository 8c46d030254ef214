"use client";

import { memo } from "react";
import { ASSISTANT_LIMITS, type FieldErrors, type MetadataEntry } from "@/lib/client/assistants/form";
import { Button } from "@/components/ui/button";
import { Field, Section, control, controlBorder } from "./fields";

/** Up to the protocol's number of key/value pairs, each checked beside its field. */
export const BuilderMetadata = memo(function BuilderMetadata({
  metadata,
  errors,
  onChange,
}: {
  metadata: MetadataEntry[];
  errors: FieldErrors;
  onChange: (metadata: MetadataEntry[]) => void;
}) {
  const edit = (i: number, patch: Partial<MetadataEntry>) =>
    onChange(metadata.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <Section
      title="Metadata"
      aside={
        <span className="text-xs font-normal text-slate-600">
          {metadata.length} of {ASSISTANT_LIMITS.metadataKeys} keys
        </span>
      }
    >
      {metadata.map((m, i) => (
        <div key={i} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
          <Field label={`Metadata key ${i + 1}`} error={errors[`metadata.${i}.key`]}>
            {(p) => (
              <input
                {...p}
                value={m.key}
                onChange={(e) => edit(i, { key: e.target.value })}
                className={`${control} ${controlBorder(Boolean(errors[`metadata.${i}.key`]))}`}
              />
            )}
          </Field>
          <Field label={`Metadata value ${i + 1}`} error={errors[`metadata.${i}.value`]}>
            {(p) => (
              <input
                {...p}
                value={m.value}
                onChange={(e) => edit(i, { value: e.target.value })}
                className={`${control} ${controlBorder(Boolean(errors[`metadata.${i}.value`]))}`}
              />
            )}
          </Field>
          <Button
            variant="ghost"
            className="mt-6 text-xs"
            aria-label={`Remove metadata ${m.key || i + 1}`}
            onClick={() => onChange(metadata.filter((_, j) => j !== i))}
          >
            Remove
          </Button>
        </div>
      ))}
      {errors.metadata ? <p className="text-xs font-medium text-red-700">{errors.metadata}</p> : null}
      <Button
        className="text-xs"
        disabled={metadata.length >= ASSISTANT_LIMITS.metadataKeys}
        onClick={() => onChange([...metadata, { key: "", value: "" }])}
      >
        Add metadata
      </Button>
    </Section>
  );
});
