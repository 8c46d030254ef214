/**
 * One code-interpreter call of a run: the thread's session runs the code with the run's
 * code-interpreter files at /mnt/data, and what it produced becomes engine files (images and
 * written files, purpose `assistants_output`) and the tool call's outputs.
 */
import path from "node:path";
import type { ModelFile } from "../model/types";
import type { CodeSandbox, SandboxError, SandboxStatus } from "./types";

export type CodeOutput = { type: "logs"; logs: string } | { type: "image"; file_id: string };

/** What a model gets back from one execution. */
export interface CodeExecution {
  /** The tool call's outputs as the protocol records them (logs first, then images). */
  outputs: CodeOutput[];
  /** Logs plus the error's text, as a model should read them. */
  text: string;
  /** Files the code wrote under /mnt/data, stored as engine files. */
  files: { name: string; file_id: string }[];
  error: SandboxError | null;
}

export interface ExecuteDeps {
  sandbox: CodeSandbox;
  blobDir: string;
  writeFile(filename: string, data: Uint8Array): Promise<{ id: string; filename: string }>;
}

/** What an off sandbox answers, so a model can say so honestly. */
export const OFF_STATUS: SandboxStatus = {
  kind: "off",
  available: false,
  description: "off: no code sandbox is configured for this engine",
};

export async function executeCode(
  deps: ExecuteDeps,
  threadId: string,
  code: string,
  files: ModelFile[],
  signal: AbortSignal,
): Promise<CodeExecution> {
  const result = await deps.sandbox.execute(threadId, code, {
    files: files.map((f) => ({ name: f.filename, path: path.join(deps.blobDir, f.file_id) })),
    signal,
  });
  const outputs: CodeOutput[] = [];
  const errorText = result.error ? describeError(result.error) : "";
  const logs = [result.logs, errorText].filter(Boolean).join(result.logs.endsWith("\n") ? "" : "\n");
  if (logs) outputs.push({ type: "logs", logs: result.logsTruncated ? `${logs}\n[output truncated]` : logs });
  let n = 0;
  for (const image of result.images) {
    n++;
    const stored = await deps.writeFile(`image_${n}.png`, image.bytes);
    outputs.push({ type: "image", file_id: stored.id });
  }
  const written: CodeExecution["files"] = [];
  for (const f of result.files) {
    const stored = await deps.writeFile(f.name, f.bytes);
    written.push({ name: f.name, file_id: stored.id });
  }
  const notes = [
    result.images.length > 0 ? `[${result.images.length} image(s) shown to the user]` : "",
    ...written.map((f) => `[file written: sandbox:/mnt/data/${f.name}]`),
  ].filter(Boolean);
  return {
    outputs,
    text: [logs || "(no output)", ...notes].join("\n"),
    files: written,
    error: result.error,
  };
}

function describeError(e: SandboxError): string {
  switch (e.kind) {
    case "exception":
      return e.traceback || `${e.name}: ${e.message}`;
    case "timeout":
    case "resource":
    case "cancelled":
    case "unavailable":
      return `${e.kind === "unavailable" ? "Sandbox unavailable" : "Execution stopped"}: ${e.message}`;
  }
}
