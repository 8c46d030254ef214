"use client";

import { useId, useRef, useState, type DragEvent } from "react";
import { useDeployment } from "@/lib/client/deployment";
import {
  acceptAttribute,
  acceptedExtensions,
  formatBytes,
  type FileUse,
} from "@/lib/client/files/file-types";

/**
 * Choose files with the system picker or drop them here. The input accepts the tool's types, but
 * every file is still checked (drag-and-drop and "All files" bypass `accept`).
 */
export function UploadZone({
  onFiles,
  use = "any",
  label = "Upload files",
  disabled = false,
  compact = false,
}: {
  onFiles: (files: File[]) => void;
  use?: FileUse;
  label?: string;
  disabled?: boolean;
  compact?: boolean;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  function drop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const files = [...e.dataTransfer.files];
    if (files.length > 0) onFiles(files);
  }

  const { maxUploadBytes, uploadLimitReason } = useDeployment();
  // Said up front: a host's request cap (Vercel's 4.5 MB) is below the protocol's 512 MB.
  const limitText = uploadLimitReason
    ? `Up to ${formatBytes(maxUploadBytes)} each on this host (${uploadLimitReason})`
    : "Up to 512 MB each";
  return (
    <div
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      data-testid="upload-zone"
      className={`rounded-md border-2 border-dashed text-sm ${over ? "border-indigo-500 bg-indigo-50" : "border-slate-300 bg-slate-50"} ${compact ? "p-2" : "p-4"}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <label
          htmlFor={id}
          className={`inline-flex cursor-pointer items-center rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700 focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-indigo-600 ${disabled ? "pointer-events-none opacity-50" : ""}`}
        >
          {label}
          <input
            ref={input}
            id={id}
            type="file"
            multiple
            disabled={disabled}
            accept={acceptAttribute(use)}
            className="sr-only"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = "";
              if (files.length > 0) onFiles(files);
            }}
          />
        </label>
        <span className="text-slate-700">or drop files here</span>
      </div>
      {compact ? null : (
        <p className="mt-2 text-xs text-slate-600">
          {limitText}. Types:{" "}
          {acceptedExtensions(use)
            .map((e) => `.${e}`)
            .join(" ")}
        </p>
      )}
    </div>
  );
}
