import type { FileObject } from "openai/resources/files";
import { PlaygroundHttpError } from "../errors";
import { recordManually } from "../request-log";
import { CONNECTION_HEADER, PROXY_PATH, type ConnectionRef } from "../sdk";
import { USER_CONNECTION_NAME, userConnectionHeaders, userConnectionStore } from "../user-connections";

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  connection: ConnectionRef;
  file: Blob & { name?: string };
  filename?: string;
  purpose: string;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
  /** Deletes a file the server created although the caller no longer wants it. */
  deleteFile?: (id: string) => Promise<unknown>;
  /** For tests. */
  xhr?: () => XMLHttpRequest;
  origin?: string;
}

export class UploadCancelledError extends Error {
  constructor() {
    super("The upload was cancelled.");
    this.name = "UploadCancelledError";
  }
}

export function uploadUrl(connection: ConnectionRef, origin = ""): string {
  return `${origin}${PROXY_PATH}/files?${new URLSearchParams({ "api-version": connection.apiVersion }).toString()}`;
}

/**
 * `POST /files` through the proxy with XMLHttpRequest, because `fetch` reports no upload progress.
 * Cancelling while bytes are still going aborts the request (the server never gets a whole body
 * and keeps nothing); cancelling after the last byte waits for the answer and deletes the file the
 * server created, so nothing half-done is left either way.
 */
export function uploadFile(options: UploadOptions): Promise<FileObject> {
  const { connection, file, purpose, onProgress, signal } = options;
  const filename = options.filename ?? file.name ?? "upload";
  return new Promise<FileObject>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new UploadCancelledError());
      return;
    }
    const xhr = options.xhr ? options.xhr() : new XMLHttpRequest();
    let sent = false;
    let cancelled = false;
    const total = file.size;
    const url = uploadUrl(connection, options.origin);
    xhr.open("POST", url);
    const visibleHeaders = { [CONNECTION_HEADER]: connection.name, accept: "application/json" };
    for (const [name, value] of Object.entries(visibleHeaders)) xhr.setRequestHeader(name, value);
    // A connection typed in by the user travels with its details, as the SDK's requests do.
    const user = connection.name === USER_CONNECTION_NAME ? userConnectionStore.get() : null;
    if (user)
      for (const [name, value] of Object.entries(userConnectionHeaders(user)))
        xhr.setRequestHeader(name, value);
    const form = new FormData();
    form.append("purpose", purpose);
    form.append("file", file, filename);
    // XHR bypasses the SDK's fetch: the request log hears of the upload here (parts summarised, no
    // bytes; the user connection's key is never recorded).
    const logged = recordManually({ method: "POST", url, headers: visibleHeaders, body: form });
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => onProgress?.({ loaded: Math.min(e.loaded, total), total });
    xhr.upload.onload = () => {
      sent = true;
      onProgress?.({ loaded: total, total });
    };
    const onAbort = () => {
      cancelled = true;
      if (!sent) xhr.abort();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);
    xhr.onabort = () => {
      done();
      logged.cancelled();
      reject(new UploadCancelledError());
    };
    xhr.onerror = () => {
      done();
      const error = new Error("The upload did not reach the server (network error).");
      logged.failed(error);
      reject(error);
    };
    xhr.onload = () => {
      done();
      logged.done({
        status: xhr.status,
        statusText: xhr.statusText,
        headers: parseHeaders(xhr.getAllResponseHeaders?.() ?? ""),
        body: xhr.responseText,
      });
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      const ok = xhr.status >= 200 && xhr.status < 300;
      const created =
        ok && body && typeof (body as { id?: unknown }).id === "string" ? (body as FileObject) : null;
      if (cancelled || signal?.aborted) {
        if (created) void options.deleteFile?.(created.id)?.catch(() => {});
        reject(new UploadCancelledError());
        return;
      }
      if (!created) {
        reject(
          ok
            ? new PlaygroundHttpError(xhr.status, null, "The server answered without a file object.")
            : PlaygroundHttpError.fromBody(xhr.status, body),
        );
        return;
      }
      resolve(created);
    };
    onProgress?.({ loaded: 0, total });
    xhr.send(form);
  });
}

function parseHeaders(raw: string): [string, string][] {
  return raw
    .split(/\r?\n/)
    .map((line): [string, string] => {
      const at = line.indexOf(":");
      return at < 0 ? ["", ""] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
    })
    .filter(([name]) => name !== "");
}
