"use client";

import { memo, useId } from "react";
import {
  ASSISTANT_LIMITS,
  type AssistantFormValues,
  type FieldErrors,
  type Generation,
} from "@/lib/client/assistants/form";
import { Field, control, controlBorder } from "./fields";
import type { SetField } from "./use-assistant-form";

/** Name, description, deployment and instructions. */
export const BuilderBasics = memo(function BuilderBasics({
  values,
  errors,
  set,
  generation,
  suggestions,
  compact,
}: {
  values: AssistantFormValues;
  errors: FieldErrors;
  set: SetField;
  generation: Generation;
  suggestions: string[];
  compact: boolean;
}) {
  const listId = `${useId()}-deployments`;
  return (
    <>
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
              list={listId}
              autoComplete="off"
              onChange={(e) => set("model", e.target.value)}
              className={`${control} ${controlBorder(Boolean(errors.model))}`}
            />
            <datalist id={listId}>
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
        count={{ value: values.instructions.length, max: ASSISTANT_LIMITS.instructions[generation] }}
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
    </>
  );
});
