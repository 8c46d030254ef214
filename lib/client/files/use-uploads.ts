"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { FileObject } from "openai/resources/files";
import { toPlaygroundError, type PlaygroundError } from "../errors";
import { onFileUploaded } from "../queries/files/mutations";
import type { ClientScope } from "../queries/scope";
import { useDeployment } from "../deployment";
import { checkFile, type FileUse } from "./file-types";
import { UploadCancelledError, uploadFile } from "./upload";

export type UploadStatus = "uploading" | "done" | "failed" | "cancelled" | "rejected";

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  loaded: number;
  status: UploadStatus;
  /** Why a file was refused before sending (rejected) or why the upload failed. */
  error: PlaygroundError | null;
  file: FileObject | null;
  /** When it was chosen (ms since the epoch): tells apart two uploads of the same name. */
  startedAt: number;
}

let seq = 0;

/**
 * Uploads with a progress bar and a cancel per file. Files are checked first (type, size, empty);
 * a refused file never leaves the browser and its message stays in the list.
 */
export function useUploads({
  scope,
  purpose = "assistants",
  use = "any",
  onUploaded,
}: {
  scope: ClientScope | null;
  purpose?: string;
  use?: FileUse;
  onUploaded?: (file: FileObject) => void;
}) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const controllers = useRef(new Map<string, AbortController>());
  const queryClient = useQueryClient();
  const { maxUploadBytes, uploadLimitReason } = useDeployment();
  const onUploadedRef = useRef(onUploaded);
  useEffect(() => {
    onUploadedRef.current = onUploaded;
  });
  useEffect(() => {
    const map = controllers.current;
    return () => {
      for (const c of map.values()) c.abort();
    };
  }, []);

  const patch = useCallback((key: string, p: Partial<UploadItem>) => {
    setItems((list) => list.map((i) => (i.key === key ? { ...i, ...p } : i)));
  }, []);

  const add = useCallback(
    (files: Iterable<File>) => {
      const fresh: UploadItem[] = [];
      const starts: { key: string; file: File }[] = [];
      const startedAt = Date.now();
      for (const file of files) {
        const key = `u${++seq}`;
        const problem = checkFile(file, use, { bytes: maxUploadBytes, reason: uploadLimitReason });
        if (problem || !scope) {
          fresh.push({
            key,
            name: file.name,
            size: file.size,
            loaded: 0,
            status: "rejected",
            file: null,
            startedAt,
            error: {
              status: null,
              code: problem ? "invalid_file" : "no_connection",
              message: problem ?? "No connection is selected.",
              hint: problem ? "Choose another file." : "Wait for the connections to load, then try again.",
            },
          });
          continue;
        }
        fresh.push({
          key,
          name: file.name,
          size: file.size,
          loaded: 0,
          status: "uploading",
          error: null,
          file: null,
          startedAt,
        });
        starts.push({ key, file });
      }
      setItems((list) => [...fresh, ...list]);
      if (!scope) return;
      for (const { key, file } of starts) {
        const controller = new AbortController();
        controllers.current.set(key, controller);
        uploadFile({
          connection: scope.connection,
          file,
          purpose,
          signal: controller.signal,
          onProgress: ({ loaded }) => patch(key, { loaded }),
          deleteFile: (id) => scope.client.files.delete(id),
        })
          .then((created) => {
            patch(key, { status: "done", loaded: file.size, file: created });
            void onFileUploaded(queryClient, scope, created);
            onUploadedRef.current?.(created);
          })
          .catch((err: unknown) => {
            if (err instanceof UploadCancelledError) patch(key, { status: "cancelled" });
            else patch(key, { status: "failed", error: toPlaygroundError(err) });
          })
          .finally(() => controllers.current.delete(key));
      }
    },
    [scope, purpose, use, patch, queryClient, maxUploadBytes, uploadLimitReason],
  );

  const cancel = useCallback((key: string) => controllers.current.get(key)?.abort(), []);
  const dismiss = useCallback((key: string) => setItems((list) => list.filter((i) => i.key !== key)), []);
  const clearFinished = useCallback(
    () => setItems((list) => list.filter((i) => i.status === "uploading")),
    [],
  );

  return { items, add, cancel, dismiss, clearFinished };
}
