/**
 * Runs a TypeScript snippet in its own Node process (through tsx) and kills it after a deadline. For
 * liveness tests whose regression is a synchronous endless loop (no in-process timeout can interrupt
 * that, a separate process can be killed), and for memory measured from a clean baseline. The
 * snippet's own modules are named from the repository root (`@root/lib/...`).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface IsolatedResult {
  /** False when the deadline killed the process. */
  finished: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export async function runIsolated(source: string, timeoutMs: number): Promise<IsolatedResult> {
  // Inside the repository, so the snippet's bare imports ("fflate") resolve from its node_modules.
  const parent = path.join(ROOT, "node_modules", ".cache");
  await fs.promises.mkdir(parent, { recursive: true });
  const dir = await fs.promises.mkdtemp(path.join(parent, "isolated-"));
  const file = path.join(dir, "snippet.mts");
  const rootUrl = pathToFileURL(ROOT).href.replace(/\/?$/, "/");
  await fs.promises.writeFile(file, source.replaceAll("@root/", rootUrl));
  const started = Date.now();
  try {
    return await new Promise<IsolatedResult>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", file], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill("SIGKILL");
      }, timeoutMs);
      child.on("error", reject);
      child.on("close", (exitCode) => {
        clearTimeout(timer);
        resolve({ finished: !killed, exitCode, stdout, stderr, ms: Date.now() - started });
      });
    });
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
