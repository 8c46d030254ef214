"use client";

import { useId, type ReactNode } from "react";

export const control =
  "block w-full rounded-md border bg-white px-2.5 py-1.5 text-sm text-slate-900 placeholder:text-slate-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-600 disabled:bg-slate-100";
export const controlBorder = (invalid: boolean) => (invalid ? "border-red-500" : "border-slate-300");

export interface ControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
}

/** A labelled control with its hint, character count and error beside it (the error is announced). */
export function Field({
  label,
  hint,
  error,
  count,
  className = "",
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string;
  count?: { value: number; max: number };
  className?: string;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, count ? `${id}-count` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={className}>
      <div className="mb-1 flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {label}
        </label>
        {count ? (
          <span
            id={`${id}-count`}
            className={`text-xs tabular-nums ${count.value > count.max ? "font-semibold text-red-700" : "text-slate-600"}`}
          >
            {count.value.toLocaleString("en-US")} / {count.max.toLocaleString("en-US")}
            <span className="sr-only"> characters</span>
          </span>
        ) : null}
      </div>
      {children({
        id,
        "aria-describedby": describedBy || undefined,
        "aria-invalid": error ? true : undefined,
      })}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

/** The error under a control; a message of several lines ("…:" then "• …" each) is shown as a list. */
export function FieldError({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  const [head, ...items] = error.split("\n");
  if (items.length === 0)
    return (
      <p id={id} className="mt-1 text-xs font-medium text-red-700">
        {error}
      </p>
    );
  return (
    <div id={id} className="mt-1 text-xs font-medium text-red-700">
      <p>{head}</p>
      <ul className="mt-0.5 list-disc space-y-0.5 pl-4">
        {items.map((item, i) => (
          <li key={i}>{item.replace(/^• /, "")}</li>
        ))}
      </ul>
    </div>
  );
}

export function Section({
  title,
  children,
  aside,
}: {
  title: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <fieldset className="space-y-3 border-t border-slate-200 pt-3">
      <legend className="flex w-full items-center justify-between pr-1 text-sm font-semibold text-slate-900">
        <span>{title}</span>
        {aside}
      </legend>
      {children}
    </fieldset>
  );
}
