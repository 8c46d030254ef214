"use client";

import { useMemo, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FileObject } from "openai/resources/files";
import { AppHeader } from "@/components/layout/app-header";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { formatBytes } from "@/lib/client/files/file-types";
import { useUploads } from "@/lib/client/files/use-uploads";
import { fileListQuery, LIST_PURPOSES, UPLOAD_PURPOSES } from "@/lib/client/queries/files/queries";
import { deleteFile, invalidateFiles } from "@/lib/client/queries/files/mutations";
import { fileContentUrl } from "@/lib/client/sdk";
import { downloadFileContent } from "@/lib/client/download";
import { formatTimestamp } from "@/lib/client/time";
import { useActiveConnection } from "@/lib/client/use-active-connection";
import { ConfirmDialog, Modal } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { FilePreview } from "./file-preview";
import { UploadList } from "./upload-list";
import { UploadZone } from "./upload-zone";

export function FilesPage() {
  const active = useActiveConnection();
  const { scope } = active;
  const connection = scope?.connection.name ?? "";
  const queryClient = useQueryClient();
  const [uploadPurpose, setUploadPurpose] = useState<string>("assistants");
  const [purpose, setPurpose] = useState("");
  const [search, setSearch] = useState("");
  const [previewId, setPreviewId] = useState<string | null>(null);
  const [pendingDelete, setPendingDelete] = useState<FileObject | null>(null);
  const uploads = useUploads({
    scope,
    purpose: uploadPurpose,
    use: uploadPurpose === "vision" ? "vision" : "any",
  });
  const files = useQuery(fileListQuery(scope, purpose || null));
  const download = useMutation({
    mutationFn: (f: FileObject) => downloadFileContent(scope!, f.id, f.filename),
  });
  const remove = useMutation({
    mutationFn: (f: FileObject) => deleteFile(scope!, f.id),
    onSuccess: (_, f) => {
      setPendingDelete(null);
      if (previewId === f.id) setPreviewId(null);
      void invalidateFiles(queryClient, connection);
    },
  });
  const visible = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (files.data ?? []).filter(
      (f) => !q || f.filename.toLowerCase().includes(q) || f.id.toLowerCase().includes(q),
    );
  }, [files.data, search]);
  const previewed = visible.find((f) => f.id === previewId) ?? null;
  const direct = active.connection?.default === true;

  return (
    <div className="flex min-h-dvh flex-col bg-slate-100">
      <AppHeader active={active} />
      <main className="mx-auto w-full max-w-6xl space-y-4 p-4">
        <section
          aria-labelledby="upload-heading"
          className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
          <h2 id="upload-heading" className="text-base font-semibold">
            Upload files
          </h2>
          <SelectField
            label="Purpose for new uploads"
            className="max-w-xs"
            value={uploadPurpose}
            onChange={(e) => setUploadPurpose(e.target.value)}
            hint="assistants: for code interpreter and file search; vision: images for messages."
          >
            {UPLOAD_PURPOSES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </SelectField>
          <UploadZone
            onFiles={uploads.add}
            use={uploadPurpose === "vision" ? "vision" : "any"}
            label="Choose files"
            disabled={!scope}
          />
          <UploadList items={uploads.items} onCancel={uploads.cancel} onDismiss={uploads.dismiss} />
        </section>

        <section
          aria-labelledby="files-heading"
          className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
          <div className="flex flex-wrap items-end gap-3">
            <h2 id="files-heading" className="mr-auto text-base font-semibold">
              Files{" "}
              {files.data ? <span className="font-normal text-slate-600">({visible.length})</span> : null}
            </h2>
            <TextField
              label="Search"
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="Name or id"
            />
            <SelectField
              label="Filter by purpose"
              value={purpose}
              onChange={(e) => setPurpose(e.target.value)}
            >
              <option value="">All purposes</option>
              {LIST_PURPOSES.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </SelectField>
          </div>
          {files.error ? (
            <ErrorAlert error={files.error} onRetry={() => void files.refetch()} retryLabel="Retry" />
          ) : null}
          {download.error ? <ErrorAlert error={download.error} /> : null}
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm max-md:block">
              <caption className="sr-only">Uploaded files</caption>
              <thead className="border-b border-slate-200 text-xs text-slate-700 uppercase max-md:sr-only">
                <tr>
                  <th scope="col" className="py-2 pr-3">
                    Name
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Size
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Purpose
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Created
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Status
                  </th>
                  <th scope="col" className="py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              {/* On a phone each file is a block of its own: name, then size, purpose, date, status and actions. */}
              <tbody className="max-md:block">
                {files.isLoading ? (
                  <tr>
                    <td colSpan={6} className="py-3 text-slate-600">
                      Loading files…
                    </td>
                  </tr>
                ) : null}
                {files.data && visible.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="py-3 text-slate-600">
                      {search || purpose
                        ? "No file matches the search and filter."
                        : "No files yet. Upload some above."}
                    </td>
                  </tr>
                ) : null}
                {visible.map((f) => (
                  <tr
                    key={f.id}
                    className="border-b border-slate-100 align-top max-md:flex max-md:flex-wrap max-md:gap-x-3 max-md:py-2 max-md:[&>td]:p-0 max-md:[&>td]:text-xs max-md:[&>td:last-child]:w-full"
                  >
                    <th
                      scope="row"
                      className="max-w-xs py-2 pr-3 font-medium max-md:w-full max-md:max-w-full max-md:p-0"
                    >
                      <span className="block truncate" title={f.filename}>
                        {f.filename}
                      </span>
                      <span className="block font-mono text-xs font-normal text-slate-600">{f.id}</span>
                    </th>
                    <td className="py-2 pr-3 whitespace-nowrap">{formatBytes(f.bytes)}</td>
                    <td className="py-2 pr-3">{f.purpose}</td>
                    <td className="py-2 pr-3 whitespace-nowrap">{formatTimestamp(f.created_at)}</td>
                    <td className="py-2 pr-3">{f.status ?? "—"}</td>
                    <td className="py-2">
                      <div className="flex flex-wrap justify-end gap-1">
                        <Button
                          variant="ghost"
                          aria-label={`Preview ${f.filename}`}
                          aria-haspopup="dialog"
                          onClick={() => setPreviewId(f.id)}
                        >
                          Preview
                        </Button>
                        {direct && scope ? (
                          <a
                            href={fileContentUrl(f.id, scope.connection)}
                            download={f.filename}
                            aria-label={`Download ${f.filename}`}
                            className="inline-flex items-center rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
                          >
                            Download
                          </a>
                        ) : (
                          <Button
                            variant="ghost"
                            aria-label={`Download ${f.filename}`}
                            onClick={() => scope && download.mutate(f)}
                          >
                            Download
                          </Button>
                        )}
                        <Button
                          variant="danger"
                          aria-label={`Delete ${f.filename}`}
                          onClick={() => setPendingDelete(f)}
                        >
                          Delete
                        </Button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </main>
      {/* A dialog over the list (it was a section under the table, off screen on a long list). */}
      <Modal
        title={`Preview: ${previewed?.filename ?? ""}`}
        open={previewed !== null && scope !== null}
        onClose={() => setPreviewId(null)}
        wide
      >
        {previewed && scope ? (
          <>
            <p className="mb-2 font-mono text-xs text-slate-600">
              {previewed.id} · {formatBytes(previewed.bytes)} · {formatTimestamp(previewed.created_at)}
            </p>
            <FilePreview scope={scope} file={previewed} />
          </>
        ) : null}
      </Modal>
      <ConfirmDialog
        open={pendingDelete !== null}
        title={`Delete ${pendingDelete?.filename ?? "file"}?`}
        confirmLabel="Delete file"
        busy={remove.isPending}
        onCancel={() => {
          setPendingDelete(null);
          remove.reset();
        }}
        onConfirm={() => pendingDelete && remove.mutate(pendingDelete)}
      >
        <p>
          The file is removed from the connection, from every vector store that holds it and from code
          interpreter resources. This cannot be undone.
        </p>
        {remove.error ? (
          <div className="mt-2">
            <ErrorAlert error={remove.error} />
          </div>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
