// Every protocol value (lib/protocol) is written once: this scans the app's source for the literals
// that used to be copied around and fails where one appears outside lib/protocol.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const SOURCE_DIRS = ["app", "components", "lib", "scripts"];
const ROOT_FILES = ["proxy.ts", "instrumentation.ts", "next.config.mjs"];

/** What a copy looks like, and where its one home is. */
const COPIES: { name: string; pattern: RegExp }[] = [
  { name: "512 MB written out (LIMITS.maxFileBytes)", pattern: /\b512\s*\*\s*(1024\s*\*\s*1024|MiB)\b/ },
  {
    name: "a list of api-versions (API_VERSIONS, FOUNDRY_API_VERSIONS)",
    pattern:
      /(["'])(\d{4}-\d{2}-\d{2}(-preview)?|v\d)\1\s*,\s*(["'])(\d{4}-\d{2}-\d{2}(-preview)?|v\d)\4|version:\s*["']\d{4}-\d{2}-\d{2}/,
  },
  {
    name: "an api-version compared as a string (speaksGeneration)",
    pattern: /[<>]=?\s*["']\d{4}-\d{2}-\d{2}|["']\d{4}-\d{2}-\d{2}(-preview)?["']\s*[<>]/,
  },
  { name: "the structured-outputs date (STRUCTURED_OUTPUTS_SINCE)", pattern: /["']2024-08-01["']/ },
  {
    name: "static chunking limits (LIMITS.staticChunkSize)",
    pattern: /\b100\b[^\n]{0,40}\b4096\b|\b4096\b[^\n]{0,60}\b800\b/,
  },
  { name: "instructions lengths (LIMITS.instructionsLength)", pattern: /\b32_?768\b[^\n]{0,40}\b256_?000\b/ },
  {
    name: "a length limit written out (LIMITS.nameLength …)",
    pattern: /\b(name|description)\.length\s*>\s*(256|512)\b/,
  },
  { name: "the function-name pattern (FUNCTION_NAME_PATTERN)", pattern: /\/\^\[a-zA-Z0-9_-\]\{1,64\}\$\// },
  { name: "the archive id pattern (ARCHIVE_ID_PATTERN)", pattern: /\/\^\[A-Za-z0-9_-\]\{1,128\}\$\// },
  {
    name: "a backup archive entry name (ARCHIVE_ENTRIES, filePath, threadPath)",
    pattern:
      /(["'`])(manifest|assistants|files|vector_stores)\.json\1|["'`]assistants-playground\.backup["'`]|threads\/\$\{[^}]*\}\.json|\/\^(files|threads)\\\//,
  },
  {
    name: "a tool's file-type list (lib/protocol/file-types.ts)",
    pattern: /["']c["']\s*,\s*["']c(pp|s)["']|["']png["']\s*,\s*["']jpg["']\s*,\s*["']jpeg["']/,
  },
];

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const rel = path.relative(ROOT, full);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules" || rel === path.join("lib", "protocol")) continue;
      sourceFiles(full, out);
    } else if (/\.(ts|tsx|mjs|js)$/.test(entry.name) && !/\.(test|spec)\.tsx?$/.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

export function findCopies(text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    for (const { name, pattern } of COPIES) if (pattern.test(line)) found.push(`${i + 1}: ${name}`);
  });
  return found;
}

describe("protocol values live once, in lib/protocol", () => {
  it("finds none of the known literals elsewhere in the app's source", () => {
    const files = [
      ...SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d))),
      ...ROOT_FILES.map((f) => path.join(ROOT, f)),
    ];
    expect(files.length).toBeGreaterThan(100);
    const copies = files.flatMap((file) =>
      findCopies(readFileSync(file, "utf8")).map((c) => `${path.relative(ROOT, file)}:${c}`),
    );
    expect(copies).toEqual([]);
  });

  it("recognises each kind of copy it looks for", () => {
    const olds = [
      "export const MAX_FILE_BYTES = 512 * 1024 * 1024;",
      'const V1_VERSIONS = new Set(["2024-02-15-preview", "2024-03-01-preview"]);',
      'export const FOUNDRY_API_VERSIONS = ["v1", "2025-05-01"] as const;',
      '  { version: "2024-02-15-preview", generation: "v1" },',
      '  return apiVersion < "2024-05-01-preview";',
      'export const STRUCTURED_OUTPUTS_SINCE = "2024-08-01";',
      "export const CHUNK_LIMITS = { min: 100, max: 4096, defaultSize: 800, defaultOverlap: 400 } as const;",
      "  instructions: { v1: 32_768, v2: 256_000 },",
      '  if (d.name.length > 256) e.name = "At most 256 characters.";',
      "  functionName: /^[a-zA-Z0-9_-]{1,64}$/,",
      "const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;",
      '      ["manifest.json", "assistants.json", "files.json", "vector_stores.json"].includes(name) ||',
      "export const threadPath = (id: string) => `threads/${id}.json`;",
      "    const fileMatch = /^files\\/([A-Za-z0-9_-]{1,128})$/.exec(name);",
      'export const IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "gif", "webp"] as const;',
      '  "c",\n  "cpp",'.replace("\n", ""),
    ];
    for (const old of olds) expect(findCopies(old), old).not.toEqual([]);
    // Single versions in messages and examples are not lists.
    expect(findCopies('apiVersion: "2024-05-01-preview",')).toEqual([]);
    expect(findCopies("`threads/${thread.id}/messages`")).toEqual([]);
  });
});
