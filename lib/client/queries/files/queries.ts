import { queryOptions, skipToken } from "@tanstack/react-query";
import type { FileObject } from "openai/resources/files";
import type { ConnectionRef } from "../../sdk";
import { collectPages } from "../pages";
import { NO_CONNECTION, type ClientScope } from "../scope";

export const fileKeys = {
  all: ["files"] as const,
  /** A connection's files under every api-version: what an upload or a delete makes stale. */
  connection: (name: string) => [...fileKeys.all, name] as const,
  scope: (c: ConnectionRef) => [...fileKeys.connection(c.name), c.apiVersion] as const,
  lists: (c: ConnectionRef) => [...fileKeys.scope(c), "list"] as const,
  list: (c: ConnectionRef, purpose: string | null = null) =>
    [...fileKeys.lists(c), purpose ?? "all"] as const,
  detail: (c: ConnectionRef, id: string) => [...fileKeys.scope(c), "detail", id] as const,
  preview: (c: ConnectionRef, id: string, maxBytes: number) =>
    [...fileKeys.detail(c, id), "preview", maxBytes] as const,
  // Outside fileKeys.all: invalidating a connection's files (after an upload) must not fetch every shown image again.
  blob: (c: ConnectionRef, id: string) => ["file-blob", c.name, c.apiVersion, id] as const,
};

/** Every file of the connection (auto-paging), newest first; `purpose` filters on the server. */
export function fileListQuery(scope: ClientScope | null, purpose: string | null = null) {
  return queryOptions({
    queryKey: fileKeys.list(scope?.connection ?? NO_CONNECTION, purpose),
    queryFn: scope
      ? async ({ signal }): Promise<FileObject[]> => {
          const params = purpose ? { purpose, order: "desc" as const } : { order: "desc" as const };
          return collectPages(scope.client.files.list(params, { signal }), 10_000);
        }
      : skipToken,
  });
}

export function fileDetailQuery(scope: ClientScope | null, id: string | null) {
  return queryOptions({
    queryKey: fileKeys.detail(scope?.connection ?? NO_CONNECTION, id ?? ""),
    queryFn: scope && id ? ({ signal }) => scope.client.files.retrieve(id, { signal }) : skipToken,
  });
}

/**
 * A file's bytes, fetched through the SDK: an <img src> could not send the connection header, so
 * this works for every connection, not only the default one. Show them with useObjectUrl.
 */
export function fileBlobQuery(scope: ClientScope | null, id: string | null) {
  return queryOptions({
    queryKey: fileKeys.blob(scope?.connection ?? NO_CONNECTION, id ?? ""),
    queryFn:
      scope && id
        ? async ({ signal }) => (await scope.client.files.content(id, { signal })).blob()
        : skipToken,
    staleTime: Infinity,
    gcTime: 5 * 60_000,
  });
}

/** The first `maxBytes` of a text file, for a preview. */
export function fileTextPreviewQuery(scope: ClientScope | null, id: string | null, maxBytes = 64 * 1024) {
  return queryOptions({
    queryKey: fileKeys.preview(scope?.connection ?? NO_CONNECTION, id ?? "", maxBytes),
    queryFn:
      scope && id
        ? async ({ signal }): Promise<{ text: string; truncated: boolean }> => {
            const res = await scope.client.files.content(id, { signal });
            const reader = res.body?.getReader();
            if (!reader) return { text: await res.text(), truncated: false };
            const parts: Uint8Array[] = [];
            let size = 0;
            let truncated = false;
            for (;;) {
              const { done, value } = await reader.read();
              if (done) break;
              parts.push(value);
              size += value.length;
              if (size >= maxBytes) {
                truncated = true;
                await reader.cancel();
                break;
              }
            }
            const all = new Uint8Array(Math.min(size, maxBytes));
            let at = 0;
            for (const p of parts) {
              const n = Math.min(p.length, all.length - at);
              all.set(p.subarray(0, n), at);
              at += n;
              if (at >= all.length) break;
            }
            return { text: new TextDecoder().decode(all), truncated };
          }
        : skipToken,
    staleTime: Infinity,
  });
}

/** Purposes a person can pick when uploading (v2); v1 knows the first four. */
export const UPLOAD_PURPOSES = ["assistants", "vision", "batch", "fine-tune"] as const;
export const LIST_PURPOSES = [
  "assistants",
  "assistants_output",
  "vision",
  "batch",
  "batch_output",
  "fine-tune",
  "fine-tune-results",
] as const;
