import { describe, expect, it } from "vitest";
import {
  acceptAttribute,
  acceptedExtensions,
  checkFile,
  extensionOf,
  formatBytes,
  toolsForFile,
} from "./file-types";
import { LIMITS } from "@/lib/protocol/limits";

const MAX_FILE_BYTES = LIMITS.maxFileBytes;

describe("checkFile", () => {
  it("refuses a file over the host's request cap, saying why and what to do", () => {
    const limit = { bytes: 4_700_000, reason: "Vercel refuses request bodies over 4.5 MB" };
    expect(checkFile({ name: "small.pdf", size: 4_700_000 }, "any", limit)).toBeNull();
    const problem = checkFile({ name: "big.pdf", size: 4_700_001 }, "any", limit);
    expect(problem).toContain("big.pdf is too large for this host");
    expect(problem).toContain("Vercel refuses request bodies over 4.5 MB");
    expect(problem).toContain("4,700,000 bytes");
  });

  it("accepts the documented types within the limit", () => {
    expect(checkFile({ name: "report.PDF", size: 10 })).toBeNull();
    expect(checkFile({ name: "data.csv", size: MAX_FILE_BYTES }, "code_interpreter")).toBeNull();
    expect(checkFile({ name: "notes.sh", size: 1 }, "file_search")).toBeNull();
  });

  it("says which types a tool accepts when the type is wrong", () => {
    expect(checkFile({ name: "setup.exe", size: 10 })).toMatch(
      /^\.exe files are not supported for the assistant tools\. Accepted types: \.c, /,
    );
    // .csv is code interpreter's, not file search's.
    const msg = checkFile({ name: "data.csv", size: 10 }, "file_search");
    expect(msg).toMatch(/^\.csv files are not supported for file search\. Accepted types: /);
    expect(msg).toContain(".docx");
    expect(msg).not.toContain(".csv,");
    expect(checkFile({ name: "Makefile", size: 10 })).toMatch(
      /^Files without an extension are not supported/,
    );
    expect(checkFile({ name: "photo.pdf", size: 10 }, "vision")).toMatch(
      /Accepted types: \.gif, \.jpeg, \.jpg, \.png, \.webp\./,
    );
  });

  it("refuses empty files and files over 512 MB, with the numbers", () => {
    expect(checkFile({ name: "a.txt", size: 0 })).toBe(
      "a.txt is empty (0 bytes). Choose a file with content.",
    );
    expect(checkFile({ name: "big.txt", size: MAX_FILE_BYTES + 1 })).toBe(
      "big.txt is too large: 536,870,913 bytes (512 MB); the limit is 512 MB (536,870,912 bytes).",
    );
  });
});

describe("type lists", () => {
  it("follow Azure's code interpreter and file search lists", () => {
    expect(acceptedExtensions("code_interpreter")).toEqual(
      [
        "c",
        "cpp",
        "csv",
        "docx",
        "html",
        "java",
        "json",
        "md",
        "pdf",
        "php",
        "pptx",
        "py",
        "rb",
        "tex",
        "txt",
        "css",
        "jpeg",
        "jpg",
        "js",
        "gif",
        "png",
        "tar",
        "ts",
        "xlsx",
        "xml",
        "zip",
      ].sort(),
    );
    expect(acceptedExtensions("file_search")).toContain("doc");
    expect(acceptedExtensions("file_search")).not.toContain("png");
    expect(acceptAttribute("vision")).toBe(".gif,.jpeg,.jpg,.png,.webp");
    expect(toolsForFile("a.csv")).toEqual({ codeInterpreter: true, fileSearch: false });
    expect(toolsForFile("a.pdf")).toEqual({ codeInterpreter: true, fileSearch: true });
    expect(toolsForFile("a.sh")).toEqual({ codeInterpreter: false, fileSearch: true });
  });

  it("reads extensions and formats sizes", () => {
    expect(extensionOf("archive.tar.GZ")).toBe("gz");
    expect(extensionOf(".bashrc")).toBe("");
    expect(extensionOf("trailing.")).toBe("");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(MAX_FILE_BYTES)).toBe("512 MB");
  });
});
