/**
 * The code-interpreter sandbox: one stateful session per thread (like the service's Jupyter
 * kernel), files at `/mnt/data`, idle expiry. Backends: `./python` (an isolated local CPython
 * process) and `./azure-sessions` (Azure Container Apps dynamic sessions). The engine only sees
 * this interface.
 */

/** What runs code on this engine, as the setup panel and Settings show it. */
export interface SandboxStatus {
  kind: "python" | "azure-sessions" | "off";
  available: boolean;
  /** One line a person reads, e.g. "Python 3.11, isolated, no network" or "off: bwrap not found". */
  description: string;
}

/** A file placed in the session's `/mnt/data` under `name` (a bare file name, no directories). */
export interface SandboxInputFile {
  name: string;
  /** Host path of the bytes (an engine blob); read by the backend, never exposed to the code. */
  path: string;
}

export interface SandboxImage {
  /** Always PNG: matplotlib figures (plt.show() and every figure left open at the end). */
  format: "png";
  bytes: Uint8Array;
}

export interface SandboxOutputFile {
  /** Name under /mnt/data. */
  name: string;
  bytes: Uint8Array;
}

export type SandboxError =
  /** The code raised: `name` is the exception class, `traceback` as Python prints it. */
  | { kind: "exception"; name: string; message: string; traceback: string }
  /** Wall-time limit of one execution reached; the session's process was killed (state lost). */
  | { kind: "timeout"; message: string }
  /** Memory, process or file limit reached; the process was killed (state lost). */
  | { kind: "resource"; message: string }
  /** Cancelled through the signal; the process was killed (state lost). */
  | { kind: "cancelled"; message: string }
  /** The backend could not run the code at all (process failed to start, remote error). */
  | { kind: "unavailable"; message: string };

export interface ExecutionResult {
  /** stdout and stderr interleaved as printed, cut at the backend's output limit. */
  logs: string;
  /** True when `logs` was cut. */
  logsTruncated: boolean;
  images: SandboxImage[];
  /** Files created or changed under /mnt/data by this execution (input files excluded unless changed). */
  files: SandboxOutputFile[];
  error: SandboxError | null;
  durationMs: number;
}

export interface ExecuteOptions {
  /** Files to place in /mnt/data before the code runs (already-present names with equal size are skipped). */
  files?: SandboxInputFile[];
  /** Aborting kills the running execution; the result then has `error.kind === "cancelled"`. */
  signal?: AbortSignal;
  /** Overrides the backend's per-execution wall-time limit (never raises it above the backend's maximum). */
  timeoutMs?: number;
}

export interface CodeSandbox {
  status(): SandboxStatus;
  /**
   * Runs `code` in the session `sessionId` (the thread id), creating the session when it does not
   * exist or has expired. Never throws for anything the code does: failures are in `error`.
   */
  execute(sessionId: string, code: string, options?: ExecuteOptions): Promise<ExecutionResult>;
  /** Ends a session now (thread deleted); a no-op when there is none. */
  closeSession(sessionId: string): Promise<void>;
  /** Ends every session and stops timers (engine close). */
  close(): Promise<void>;
}
