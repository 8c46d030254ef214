"use client";

import { useQuery } from "@tanstack/react-query";
import type { FileObject } from "openai/resources/files";
import { isImageName, isTextName } from "@/lib/client/files/file-types";
import { fileBlobQuery, fileTextPreviewQuery } from "@/lib/client/queries/files/queries";
import { useObjectUrl } from "@/lib/client/download";
import type { ClientScope } from "@/lib/client/queries/scope";
import { ErrorAlert } from "@/components/ui/error-alert";

function ImagePreview({ scope, file }: { scope: ClientScope; file: FileObject }) {
  const blob = useQuery(fileBlobQuery(scope, file.id));
  const url = useObjectUrl(blob.data);
  if (blob.error) return <ErrorAlert error={blob.error} />;
  if (!url) return <p className="text-sm text-slate-600">Loading image…</p>;
  return (
    // eslint-disable-next-line @next/next/no-img-element -- a blob: URL of the user's own file
    <img
      src={url}
      alt={`Preview of ${file.filename}`}
      className="max-h-96 max-w-full rounded border border-slate-200 bg-white object-contain"
    />
  );
}

function TextPreview({ scope, file }: { scope: ClientScope; file: FileObject }) {
  const q = useQuery(fileTextPreviewQuery(scope, file.id));
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <p className="text-sm text-slate-600">Loading text…</p>;
  return (
    <div>
      <pre
        tabIndex={0}
        aria-label={`Text of ${file.filename}`}
        className="max-h-96 overflow-auto rounded border border-slate-200 bg-slate-50 p-3 text-xs whitespace-pre-wrap text-slate-900"
      >
        {q.data.text}
      </pre>
      {q.data.truncated ? (
        <p className="mt-1 text-xs text-slate-600">
          Showing the first 64 KB. Download the file for the rest.
        </p>
      ) : null}
    </div>
  );
}

/** Images are shown, text formats read (the first 64 KB); anything else offers the download. */
export function FilePreview({ scope, file }: { scope: ClientScope; file: FileObject }) {
  if (isImageName(file.filename)) return <ImagePreview scope={scope} file={file} />;
  if (isTextName(file.filename)) return <TextPreview scope={scope} file={file} />;
  return <p className="text-sm text-slate-700">No preview for this type. Use Download to open it.</p>;
}
