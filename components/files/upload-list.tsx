"use client";

import { Button } from "@/components/ui/button";
import { formatBytes } from "@/lib/client/files/file-types";
import type { UploadItem } from "@/lib/client/files/use-uploads";
import { formatTimeOfDay } from "@/lib/client/time";
import { ErrorAlert } from "@/components/ui/error-alert";

const STATUS_TEXT: Record<UploadItem["status"], string> = {
  uploading: "Uploading",
  done: "Uploaded",
  failed: "Failed",
  cancelled: "Cancelled",
  rejected: "Not uploaded",
};

/**
 * One row per upload: a real progress bar (bytes sent), cancel while sending, the reason when refused.
 * Each row says when it was chosen and, once uploaded, the file's id, so two uploads of one name differ.
 */
export function UploadList({
  items,
  onCancel,
  onDismiss,
}: {
  items: UploadItem[];
  onCancel: (key: string) => void;
  onDismiss: (key: string) => void;
}) {
  if (items.length === 0) return null;
  return (
    <ul aria-label="Uploads" className="space-y-2">
      {items.map((item) => {
        const pct = item.size > 0 ? Math.round((item.loaded / item.size) * 100) : 0;
        const when = formatTimeOfDay(new Date(item.startedAt));
        return (
          <li
            key={item.key}
            aria-label={`Upload ${item.name} at ${when}${item.file ? ` as ${item.file.id}` : ""}`}
            className="rounded-md border border-slate-200 bg-white p-2 text-sm"
          >
            <div className="flex flex-wrap items-center gap-2">
              <span className="min-w-0 flex-1 truncate font-medium" title={item.name}>
                {item.name}
              </span>
              <span className="text-xs text-slate-600">{formatBytes(item.size)}</span>
              <span className="text-xs text-slate-600 tabular-nums">
                <span className="sr-only">chosen at </span>
                {when}
              </span>
              <span
                className={`text-xs font-medium ${item.status === "done" ? "text-green-800" : item.status === "uploading" ? "text-slate-700" : "text-red-800"}`}
              >
                {STATUS_TEXT[item.status]}
              </span>
              {item.status === "uploading" ? (
                <Button
                  variant="secondary"
                  onClick={() => onCancel(item.key)}
                  aria-label={`Cancel upload of ${item.name}`}
                >
                  Cancel
                </Button>
              ) : (
                <Button
                  variant="ghost"
                  onClick={() => onDismiss(item.key)}
                  aria-label={`Dismiss ${item.name}`}
                >
                  Dismiss
                </Button>
              )}
            </div>
            {item.status === "uploading" || item.status === "done" ? (
              <progress
                className="mt-1 h-2 w-full accent-indigo-600"
                max={item.size || 1}
                value={item.loaded}
                aria-label={`Progress of ${item.name}`}
                aria-valuetext={`${pct}% (${formatBytes(item.loaded)} of ${formatBytes(item.size)})`}
              />
            ) : null}
            {item.file ? (
              <p className="mt-0.5 font-mono text-xs text-slate-600">
                <span className="sr-only">File id </span>
                {item.file.id}
              </p>
            ) : null}
            {item.error ? <ErrorAlert inline error={item.error} className="mt-1" /> : null}
          </li>
        );
      })}
    </ul>
  );
}
