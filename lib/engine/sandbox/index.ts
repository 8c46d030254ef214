/**
 * Chooses the code-interpreter backend: the local isolated Python (./python.ts), Azure Container
 * Apps dynamic sessions (./azure-sessions.ts), or none. See ./README.md.
 */
import { AzureSessionsSandbox, type AzureSessionsSandboxOptions } from "./azure-sessions";
import { OFF_STATUS } from "./execute";
import { PythonSandbox, type PythonSandboxOptions } from "./python";
import type { CodeSandbox, ExecutionResult, SandboxStatus } from "./types";

export type { CodeSandbox, ExecutionResult, SandboxStatus } from "./types";
export { PythonSandbox, type PythonSandboxOptions } from "./python";
export { AzureSessionsSandbox, type AzureSessionsSandboxOptions } from "./azure-sessions";

export type SandboxBackend = "python" | "azure-sessions" | "off" | "auto";

export interface SandboxConfig {
  /**
   * `auto` (default): Azure sessions when `azureSessions` is given, else the local Python when it
   * can run isolated here, else off with the local backend's reason.
   */
  backend?: SandboxBackend;
  python?: PythonSandboxOptions;
  azureSessions?: AzureSessionsSandboxOptions;
}

export function createSandbox(config: SandboxConfig = {}): CodeSandbox {
  const backend = config.backend ?? "auto";
  switch (backend) {
    case "off":
      return new OffSandbox(OFF_STATUS);
    case "python":
      return new PythonSandbox(config.python);
    case "azure-sessions":
      return azure(config.azureSessions);
    case "auto": {
      if (config.azureSessions) return azure(config.azureSessions);
      const python = new PythonSandbox(config.python);
      const status = python.status();
      return status.available ? python : new OffSandbox(status);
    }
  }
}

function azure(options: AzureSessionsSandboxOptions | undefined): CodeSandbox {
  if (!options) return off("azure-sessions needs a pool management endpoint");
  try {
    return new AzureSessionsSandbox(options);
  } catch (e) {
    return off(`azure-sessions is misconfigured: ${(e as Error).message}`);
  }
}

function off(reason: string): CodeSandbox {
  return new OffSandbox({ kind: "off", available: false, description: `off: ${reason}` });
}

/** No sandbox: every execution answers `unavailable` with the reason. */
export class OffSandbox implements CodeSandbox {
  constructor(private readonly offStatus: SandboxStatus) {}

  status(): SandboxStatus {
    return this.offStatus;
  }

  async execute(): Promise<ExecutionResult> {
    return {
      logs: "",
      logsTruncated: false,
      images: [],
      files: [],
      error: { kind: "unavailable", message: this.offStatus.description },
      durationMs: 0,
    };
  }

  async closeSession(): Promise<void> {}

  async close(): Promise<void> {}
}
