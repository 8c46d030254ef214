// Pieces of the chat-completions driver: marker scanning, retry-after, URLs, error bodies.
import { describe, expect, it } from "vitest";
import { CitationScanner } from "@/lib/engine/model/chat-completions/citations";
import { chatTools, chatUrl, searchToolName } from "@/lib/engine/model/chat-completions/request";
import { describeErrorBody, retryAfterMs } from "@/lib/engine/model/chat-completions/upstream";
import type { FileSearchHit } from "@/lib/engine/model/types";

const hit = (file_id: string, text = "passage"): FileSearchHit => ({
  file_id,
  file_name: `${file_id}.txt`,
  score: 1,
  text,
});

describe("CitationScanner", () => {
  it("reports a marker once it is complete, with indexes into the whole text, however it is split", () => {
    const text = "Ünïcode 🌊 first【0:0†a.txt】 and second【0:1】.";
    const hits = new Map([
      ["0:0", hit("file-a")],
      ["0:1", hit("file-b")],
    ]);
    for (let size = 1; size <= text.length; size++) {
      const scanner = new CitationScanner(hits);
      const found = [];
      for (let i = 0; i < text.length; i += size) found.push(...scanner.push(text.slice(i, i + size)));
      expect(found.map((a) => [a.file_id, text.slice(a.start_index, a.end_index)])).toEqual([
        ["file-a", "【0:0†a.txt】"],
        ["file-b", "【0:1】"],
      ]);
    }
  });

  it("ignores markers that name no result and brackets that never close", () => {
    const scanner = new CitationScanner(new Map([["1:0", hit("f")]]));
    expect(scanner.push("【9:9†x】 【 open bracket " + "x".repeat(300))).toEqual([]);
    const later = scanner.push(" then【1:0†f.txt】");
    expect(later).toHaveLength(1);
    expect(later[0]).toMatchObject({ file_id: "f", text: "【1:0†f.txt】", quote: "passage" });
  });
});

describe("retryAfterMs", () => {
  it("prefers retry-after-ms, then retry-after seconds or date", () => {
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(retryAfterMs(new Headers({ "retry-after": "3" }))).toBe(3000);
    const soon = retryAfterMs(new Headers({ "retry-after": new Date(Date.now() + 5000).toUTCString() }));
    expect(soon).toBeGreaterThan(3000);
    expect(soon).toBeLessThanOrEqual(5000);
    expect(retryAfterMs(new Headers())).toBeNull();
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }))).toBeNull();
  });
});

describe("chatUrl", () => {
  it("builds each endpoint kind's URL and tolerates the suffixes people paste", () => {
    expect(chatUrl("azure-deployment", "https://r.openai.azure.com/openai/", "2024-10-21", "gpt 4o")).toBe(
      "https://r.openai.azure.com/openai/deployments/gpt%204o/chat/completions?api-version=2024-10-21",
    );
    expect(chatUrl("azure-v1", "https://r.openai.azure.com/openai/v1", "x", "m")).toBe(
      "https://r.openai.azure.com/openai/v1/chat/completions",
    );
    expect(chatUrl("openai-compatible", "http://localhost:11434/v1/", "x", "m")).toBe(
      "http://localhost:11434/v1/chat/completions",
    );
  });
});

describe("tools", () => {
  it("renames the engine's search tool when an assistant function already has its name", () => {
    const fn = { type: "function" as const, function: { name: "file_search", strict: null } };
    expect(searchToolName([fn])).toBe("engine_file_search");
    expect(
      chatTools([fn, { type: "file_search" }, { type: "code_interpreter" }], true).map(
        (t) => t.function.name,
      ),
    ).toEqual(["file_search", "engine_file_search"]);
    // strict: null is not sent (chat completions takes a boolean only).
    expect(chatTools([fn], false)[0]!.function).toEqual({ name: "file_search" });
  });
});

describe("describeErrorBody", () => {
  it("reads OpenAI/Azure, Ollama and plain-text error bodies", () => {
    expect(
      describeErrorBody(
        '{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}',
      ),
    ).toEqual({
      code: "DeploymentNotFound",
      message: "The API deployment for this resource does not exist.",
    });
    expect(describeErrorBody('{"error":"model \\"llama9\\" not found, try pulling it first"}')).toEqual({
      code: null,
      message: 'model "llama9" not found, try pulling it first',
    });
    expect(describeErrorBody("Bad Gateway")).toEqual({ code: null, message: "Bad Gateway" });
  });
});
