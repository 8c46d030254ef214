import { describe, expect, it, vi } from "vitest";
import { PlaygroundHttpError } from "../errors";
import { requestLog } from "../request-log";
import { userConnectionStore } from "../user-connections";
import { UploadCancelledError, uploadFile, uploadUrl } from "./upload";

/** Enough of XMLHttpRequest for uploadFile: the test drives progress, load and abort by hand. */
class FakeXhr {
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  responseText = "";
  responseType = "";
  aborted = false;
  upload: { onprogress: ((e: { loaded: number }) => void) | null; onload: (() => void) | null } = {
    onprogress: null,
    onload: null,
  };
  onload: (() => void) | null = null;
  onabort: (() => void) | null = null;
  onerror: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

const connection = { name: "local", apiVersion: "2024-05-01-preview" };
const file = new File(["hello world"], "hello.txt", { type: "text/plain" });
const created = {
  id: "assistant-1",
  object: "file",
  bytes: 11,
  filename: "hello.txt",
  purpose: "assistants",
};

function start(extra: Partial<Parameters<typeof uploadFile>[0]> = {}) {
  const xhr = new FakeXhr();
  const progress: number[] = [];
  const controller = new AbortController();
  const deleteFile = vi.fn(async () => ({}));
  const promise = uploadFile({
    connection,
    file,
    purpose: "assistants",
    onProgress: (p) => progress.push(p.loaded),
    signal: controller.signal,
    deleteFile,
    xhr: () => xhr as unknown as XMLHttpRequest,
    ...extra,
  });
  return { xhr, progress, controller, deleteFile, promise };
}

describe("uploadFile", () => {
  it("is recorded in the request log (parts summarised, never bytes or keys), and a user connection's details travel with it", async () => {
    requestLog.clear();
    userConnectionStore.set({
      kind: "openai-compatible",
      endpoint: "https://compat.example/v1",
      apiKey: "sk-user-secret-123456",
    });
    try {
      const { xhr, promise } = start({ connection: { name: "user", apiVersion: "v2" } });
      expect(xhr.headers["x-playground-user-key"]).toBe("sk-user-secret-123456");
      expect(xhr.headers["x-playground-user-endpoint"]).toBe("https://compat.example/v1");
      xhr.respond(200, created);
      await expect(promise).resolves.toEqual(created);
      const [entry] = requestLog.getSnapshot();
      expect(entry).toMatchObject({
        method: "POST",
        path: "/files?api-version=v2",
        status: 200,
        connection: "user",
      });
      const logged = JSON.stringify(entry);
      expect(logged).toContain("hello.txt");
      expect(logged).not.toContain("hello world");
      expect(logged).not.toContain("sk-user-secret-123456");
    } finally {
      userConnectionStore.set(null);
      requestLog.clear();
    }
  });

  it("posts multipart through the proxy with the connection header and reports bytes sent", async () => {
    const { xhr, progress, promise } = start();
    expect(xhr.method).toBe("POST");
    expect(xhr.url).toBe(uploadUrl(connection));
    expect(xhr.url).toBe("/api/openai/files?api-version=2024-05-01-preview");
    expect(xhr.headers["x-playground-connection"]).toBe("local");
    expect(xhr.body?.get("purpose")).toBe("assistants");
    expect((xhr.body?.get("file") as File).name).toBe("hello.txt");
    xhr.upload.onprogress?.({ loaded: 4 });
    xhr.upload.onprogress?.({ loaded: 11 });
    xhr.upload.onload?.();
    xhr.respond(200, created);
    await expect(promise).resolves.toEqual(created);
    expect(progress).toEqual([0, 4, 11, 11]);
  });

  it("turns an error body into a PlaygroundHttpError with status, code and message", async () => {
    const { xhr, promise } = start();
    xhr.respond(413, { error: { code: "file_too_large", message: "File exceeds the maximum size." } });
    const err = await promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlaygroundHttpError);
    expect(err).toMatchObject({
      status: 413,
      code: "file_too_large",
      message: "File exceeds the maximum size.",
    });
  });

  it("cancelling mid-transfer aborts the request: nothing reaches the server whole", async () => {
    const { xhr, controller, deleteFile, promise } = start();
    xhr.upload.onprogress?.({ loaded: 3 });
    controller.abort();
    await expect(promise).rejects.toBeInstanceOf(UploadCancelledError);
    expect(xhr.aborted).toBe(true);
    expect(deleteFile).not.toHaveBeenCalled();
  });

  it("cancelling after the last byte waits for the answer and deletes the file the server created", async () => {
    const { xhr, controller, deleteFile, promise } = start();
    xhr.upload.onload?.();
    controller.abort();
    expect(xhr.aborted).toBe(false);
    xhr.respond(200, created);
    await expect(promise).rejects.toBeInstanceOf(UploadCancelledError);
    expect(deleteFile).toHaveBeenCalledWith("assistant-1");
  });

  it("does not start when already cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    const xhr = vi.fn();
    await expect(
      uploadFile({ connection, file, purpose: "assistants", signal: controller.signal, xhr }),
    ).rejects.toBeInstanceOf(UploadCancelledError);
    expect(xhr).not.toHaveBeenCalled();
  });
});
