"use client";

import { useId } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import type { DraftErrors, VectorStoreDraft } from "@/lib/client/vector-stores/draft";
import { LIMITS } from "@/lib/protocol/limits";

export interface ChunkingInput {
  type: "auto" | "static";
  size: string;
  overlap: string;
}

export const DEFAULT_CHUNKING_INPUT: ChunkingInput = {
  type: "auto",
  size: String(LIMITS.staticChunkSize.default),
  overlap: String(LIMITS.staticChunkOverlapDefault),
};

export function chunkingFromInput(i: ChunkingInput): VectorStoreDraft["chunking"] {
  return i.type === "auto"
    ? { type: "auto" }
    : { type: "static", maxChunkSizeTokens: Number(i.size), chunkOverlapTokens: Number(i.overlap) };
}

export function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} role="alert" className="mt-1 text-sm text-red-800">
      {message}
    </p>
  ) : null;
}

/** Auto, or static within the protocol's limits (LIMITS.staticChunkSize, overlap ≤ half); errors beside each field. */
export function ChunkingFields({
  value,
  onChange,
  errors = {},
}: {
  value: ChunkingInput;
  onChange: (v: ChunkingInput) => void;
  errors?: Pick<DraftErrors, "maxChunkSizeTokens" | "chunkOverlapTokens">;
}) {
  const id = useId();
  return (
    <fieldset className="space-y-2">
      <legend className="mb-1 text-sm font-medium text-slate-800">Chunking strategy</legend>
      <SelectField
        label="Strategy"
        value={value.type}
        onChange={(e) => onChange({ ...value, type: e.target.value as "auto" | "static" })}
        hint={value.type === "auto" ? "800-token chunks with 400 tokens of overlap." : undefined}
      >
        <option value="auto">Auto</option>
        <option value="static">Static</option>
      </SelectField>
      {value.type === "static" ? (
        <>
          <div>
            <TextField
              id={`${id}-size`}
              label="Max chunk size (tokens)"
              type="number"
              inputMode="numeric"
              value={value.size}
              onChange={(e) => onChange({ ...value, size: e.target.value })}
              hint={`${LIMITS.staticChunkSize.min}–${LIMITS.staticChunkSize.max}`}
              aria-invalid={errors.maxChunkSizeTokens ? true : undefined}
              aria-describedby={`${id}-size-hint${errors.maxChunkSizeTokens ? ` ${id}-size-error` : ""}`}
            />
            <FieldError id={`${id}-size-error`} message={errors.maxChunkSizeTokens} />
          </div>
          <div>
            <TextField
              id={`${id}-overlap`}
              label="Chunk overlap (tokens)"
              type="number"
              inputMode="numeric"
              value={value.overlap}
              onChange={(e) => onChange({ ...value, overlap: e.target.value })}
              hint="At most half the chunk size."
              aria-invalid={errors.chunkOverlapTokens ? true : undefined}
              aria-describedby={`${id}-overlap-hint${errors.chunkOverlapTokens ? ` ${id}-overlap-error` : ""}`}
            />
            <FieldError id={`${id}-overlap-error`} message={errors.chunkOverlapTokens} />
          </div>
        </>
      ) : null}
    </fieldset>
  );
}
