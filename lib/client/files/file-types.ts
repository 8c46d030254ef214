/**
 * What may be uploaded, checked in the browser before a byte is sent, against the protocol's file
 * types and largest file (lib/protocol/file-types.ts, lib/protocol/limits.ts).
 */
import {
  CODE_INTERPRETER_EXTENSIONS,
  FILE_SEARCH_EXTENSIONS,
  IMAGE_EXTENSIONS,
} from "@/lib/protocol/file-types";
import { LIMITS } from "@/lib/protocol/limits";

const MAX_FILE_BYTES = LIMITS.maxFileBytes;

export type FileUse = "any" | "code_interpreter" | "file_search" | "vision";

const LISTS: Record<Exclude<FileUse, "any">, readonly string[]> = {
  code_interpreter: CODE_INTERPRETER_EXTENSIONS,
  file_search: FILE_SEARCH_EXTENSIONS,
  vision: IMAGE_EXTENSIONS,
};

/** Every type some tool accepts. */
export const ANY_EXTENSIONS: readonly string[] = [
  ...new Set([...CODE_INTERPRETER_EXTENSIONS, ...FILE_SEARCH_EXTENSIONS, ...IMAGE_EXTENSIONS]),
].sort();

export function acceptedExtensions(use: FileUse): readonly string[] {
  return use === "any" ? ANY_EXTENSIONS : [...LISTS[use]].sort();
}

/** For `<input type="file" accept>`: ".c,.cpp,…". */
export function acceptAttribute(use: FileUse): string {
  return acceptedExtensions(use)
    .map((e) => `.${e}`)
    .join(",");
}

export function extensionOf(name: string): string {
  const i = name.lastIndexOf(".");
  return i <= 0 || i === name.length - 1 ? "" : name.slice(i + 1).toLowerCase();
}

const USE_LABEL: Record<FileUse, string> = {
  any: "the assistant tools",
  code_interpreter: "code interpreter",
  file_search: "file search",
  vision: "images",
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? Math.round(v) : Math.round(v * 10) / 10} ${units[u]}`;
}

/** Says what is wrong with a file before upload, or null when it may go. */
export function checkFile(
  file: { name: string; size: number },
  use: FileUse = "any",
  limit: { bytes: number; reason: string | null } = { bytes: MAX_FILE_BYTES, reason: null },
): string | null {
  const ext = extensionOf(file.name);
  const accepted = acceptedExtensions(use);
  if (!accepted.includes(ext)) {
    const what = ext ? `.${ext} files are` : "Files without an extension are";
    return `${what} not supported for ${USE_LABEL[use]}. Accepted types: ${accepted.map((e) => `.${e}`).join(", ")}.`;
  }
  if (file.size === 0) return `${file.name} is empty (0 bytes). Choose a file with content.`;
  if (limit.reason !== null && limit.bytes < MAX_FILE_BYTES && file.size > limit.bytes)
    return `${file.name} is too large for this host: ${file.size.toLocaleString("en-US")} bytes (${formatBytes(file.size)}); ${limit.reason}, so files here can be at most ${formatBytes(limit.bytes)} (${limit.bytes.toLocaleString("en-US")} bytes). Deploy on a server without that cap (see docs/deploy.md) for files up to ${formatBytes(MAX_FILE_BYTES)}.`;
  if (file.size > MAX_FILE_BYTES)
    return `${file.name} is too large: ${file.size.toLocaleString("en-US")} bytes (${formatBytes(file.size)}); the limit is ${formatBytes(MAX_FILE_BYTES)} (${MAX_FILE_BYTES.toLocaleString("en-US")} bytes).`;
  return null;
}

/** Which tools can use a file, by its name. */
export function toolsForFile(name: string): { codeInterpreter: boolean; fileSearch: boolean } {
  const ext = extensionOf(name);
  return {
    codeInterpreter: (CODE_INTERPRETER_EXTENSIONS as readonly string[]).includes(ext),
    fileSearch: (FILE_SEARCH_EXTENSIONS as readonly string[]).includes(ext),
  };
}

export function isImageName(name: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extensionOf(name));
}

const TEXT_PREVIEW = new Set([
  "txt",
  "md",
  "csv",
  "json",
  "py",
  "js",
  "ts",
  "c",
  "cpp",
  "cs",
  "java",
  "php",
  "rb",
  "tex",
  "css",
  "sh",
  "xml",
  "html",
  "log",
  "yaml",
  "yml",
  "tsv",
]);

export function isTextName(name: string): boolean {
  return TEXT_PREVIEW.has(extensionOf(name));
}
