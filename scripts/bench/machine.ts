/** What the bench ran on, for the head of docs/benchmarks.md (figures mean little without it). */
import { readFileSync } from "node:fs";
import os from "node:os";

export interface MachineInfo {
  line: string;
  /** One-minute load averages at the start and the end: how quiet the machine was. */
  loadStart: number;
  loadNow(): number;
}

function nextVersion(): string {
  try {
    return (JSON.parse(readFileSync("node_modules/next/package.json", "utf8")) as { version: string })
      .version;
  } catch {
    return "?";
  }
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown CPU";
  const line =
    `${cpus.length} × ${model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
    `Node ${process.version}, Next.js ${nextVersion()}, ${os.platform()} ${os.release()}`;
  return { line, loadStart: os.loadavg()[0] ?? NaN, loadNow: () => os.loadavg()[0] ?? NaN };
}
