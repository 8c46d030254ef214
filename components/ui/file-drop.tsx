"use client";

import { useId, useRef, useState, type DragEvent, type ReactNode } from "react";

/**
 * One file, chosen with a styled button or dropped on the zone, its name and size shown once
 * chosen. The real file input is kept (visually hidden, focusable, named by the visible label), so
 * the keyboard, screen readers and the system's picker all work as with the bare control.
 */
export function FileDrop({
  label,
  accept,
  chooseText = "Choose a file…",
  dropText = "or drop it here",
  disabled = false,
  chosen,
  hint,
  error,
  onFile,
}: {
  label: string;
  accept?: string;
  chooseText?: string;
  dropText?: string;
  disabled?: boolean;
  /** What is chosen now (shown in the zone); null for nothing. */
  chosen: { name: string; size: number } | null;
  hint?: ReactNode;
  error?: string | null;
  onFile: (file: File | undefined) => void;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");

  function drop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const file = e.dataTransfer.files[0];
    if (file) onFile(file);
  }

  return (
    <div>
      <p id={`${id}-label`} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </p>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          if (!disabled) setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        data-testid="file-drop"
        className={`flex flex-wrap items-center gap-x-3 gap-y-2 rounded-md border-2 border-dashed p-3 text-sm ${
          over
            ? "border-indigo-500 bg-indigo-50"
            : error
              ? "border-red-500 bg-white"
              : "border-slate-300 bg-slate-50"
        }`}
      >
        <label
          htmlFor={id}
          className={`inline-flex cursor-pointer items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-600 ${
            disabled ? "pointer-events-none border-slate-200 bg-slate-100 text-slate-600" : ""
          }`}
        >
          {chosen ? "Choose another file…" : chooseText}
          <input
            ref={input}
            id={id}
            type="file"
            accept={accept}
            disabled={disabled}
            aria-labelledby={`${id}-label`}
            aria-describedby={described || undefined}
            aria-invalid={error ? true : undefined}
            className="sr-only"
            onChange={(e) => {
              const file = e.target.files?.[0];
              // Cleared, so choosing the same file again is a change too.
              e.target.value = "";
              onFile(file);
            }}
          />
        </label>
        {chosen ? (
          <span className="min-w-0 text-slate-800" aria-live="polite">
            <span className="font-medium break-all">{chosen.name}</span>{" "}
            <span className="text-slate-600">({formatSize(chosen.size)})</span>
          </span>
        ) : (
          <span className="text-slate-700">{dropText}</span>
        )}
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
