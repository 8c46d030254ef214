"use client";

import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { FileObject } from "openai/resources/files";
import { SelectField, TextField } from "@/components/ui/field";
import { extensionOf, formatBytes, acceptedExtensions, type FileUse } from "@/lib/client/files/file-types";
import { useUploads } from "@/lib/client/files/use-uploads";
import { fileListQuery, LIST_PURPOSES } from "@/lib/client/queries/files/queries";
import type { ClientScope } from "@/lib/client/queries/scope";
import { ErrorAlert } from "@/components/ui/error-alert";
import { UploadList } from "./upload-list";
import { UploadZone } from "./upload-zone";

export interface FilePickerProps {
  scope: ClientScope | null;
  /** Selected file ids. */
  value: string[];
  onChange: (ids: string[]) => void;
  /** Most files that can be selected (20 for code interpreter). */
  max?: number;
  /** Which tool the files are for: filters the list by type and checks uploads. */
  use?: FileUse;
  /** Purpose shown first and given to uploads ("assistants"; "vision" for images). */
  purpose?: string;
  label?: string;
  /** Files not offered (e.g. those already in the vector store). */
  excludeIds?: readonly string[];
}

/**
 * Choose existing files (search, filter by purpose, multi-select up to `max`) or upload on the spot
 * (with progress; an uploaded file is selected at once while there is room). Returns file ids.
 */
export function FilePicker({
  scope,
  value,
  onChange,
  max = 20,
  use = "any",
  purpose = use === "vision" ? "vision" : "assistants",
  label = "Files",
  excludeIds,
}: FilePickerProps) {
  const [search, setSearch] = useState("");
  const [purposeFilter, setPurposeFilter] = useState<string>(purpose);
  const [limitNote, setLimitNote] = useState<string | null>(null);
  const listId = useId();
  const files = useQuery(fileListQuery(scope, purposeFilter || null));
  // The latest selection, so uploads finishing together each join it (onChange may lag a render).
  const valueRef = useRef(value);
  useEffect(() => {
    valueRef.current = value;
  }, [value]);
  const uploads = useUploads({
    scope,
    purpose,
    use,
    onUploaded: (f) => {
      const current = valueRef.current;
      if (current.includes(f.id)) return;
      if (current.length >= max) {
        setLimitNote(`At most ${max} files can be selected: ${f.filename} was uploaded but not selected.`);
        return;
      }
      valueRef.current = [...current, f.id];
      onChange(valueRef.current);
    },
  });
  const accepted = acceptedExtensions(use);
  const visible = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (files.data ?? []).filter(
      (f) =>
        accepted.includes(extensionOf(f.filename)) &&
        !excludeIds?.includes(f.id) &&
        (!q || f.filename.toLowerCase().includes(q) || f.id.toLowerCase().includes(q)),
    );
  }, [files.data, search, accepted, excludeIds]);

  function toggle(f: FileObject, on: boolean) {
    setLimitNote(null);
    if (!on) return onChange(value.filter((id) => id !== f.id));
    if (value.length >= max) {
      setLimitNote(`At most ${max} files can be selected. Unselect one first.`);
      return;
    }
    onChange([...value, f.id]);
  }

  const known = new Map((files.data ?? []).map((f) => [f.id, f]));
  return (
    <fieldset className="space-y-2 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-800">{label}</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        <TextField
          label="Search files"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          // The picker often sits inside another form: Enter here filters, it does not submit that form.
          onKeyDown={(e) => {
            if (e.key === "Enter") e.preventDefault();
          }}
          placeholder="Name or id"
        />
        <SelectField label="Purpose" value={purposeFilter} onChange={(e) => setPurposeFilter(e.target.value)}>
          <option value="">All purposes</option>
          {LIST_PURPOSES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </SelectField>
      </div>
      <p id={`${listId}-count`} className="text-xs text-slate-700" aria-live="polite">
        {value.length} of at most {max} selected
      </p>
      {files.error ? <ErrorAlert error={files.error} /> : null}
      <ul
        aria-label={`${label}: existing files`}
        aria-describedby={`${listId}-count`}
        className="max-h-56 space-y-1 overflow-y-auto rounded border border-slate-200 bg-white p-1"
      >
        {files.isLoading ? <li className="p-2 text-sm text-slate-600">Loading files…</li> : null}
        {!files.isLoading && visible.length === 0 ? (
          <li className="p-2 text-sm text-slate-600">No matching files. Upload one below.</li>
        ) : null}
        {visible.map((f) => {
          const checked = value.includes(f.id);
          const inputId = `${listId}-${f.id}`;
          return (
            <li key={f.id} className="flex items-center gap-2 rounded px-1 py-0.5 hover:bg-slate-50">
              <input
                id={inputId}
                type="checkbox"
                className="size-4 accent-indigo-600"
                checked={checked}
                onChange={(e) => toggle(f, e.target.checked)}
              />
              <label htmlFor={inputId} className="flex min-w-0 flex-1 items-center gap-2 text-sm">
                <span className="truncate">{f.filename}</span>
                <span className="ml-auto shrink-0 text-xs text-slate-600">{formatBytes(f.bytes)}</span>
              </label>
            </li>
          );
        })}
      </ul>
      {value.some((id) => !known.has(id)) && !files.isLoading ? (
        <p className="text-xs text-slate-700">
          Also selected: {value.filter((id) => !known.has(id)).join(", ")}
        </p>
      ) : null}
      {limitNote ? (
        <p role="alert" className="text-sm text-red-800">
          {limitNote}
        </p>
      ) : null}
      <UploadZone onFiles={uploads.add} use={use} label="Upload new" compact disabled={!scope} />
      <UploadList items={uploads.items} onCancel={uploads.cancel} onDismiss={uploads.dismiss} />
    </fieldset>
  );
}
