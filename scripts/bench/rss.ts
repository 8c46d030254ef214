/**
 * A server process's resident memory, read from /proc/<pid>/status (Linux). `watch()` samples
 * VmRSS every ~10 ms and, where the kernel lets us, also resets the high-water mark (VmHWM, via
 * /proc/<pid>/clear_refs) so a spike between two samples is not missed.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { sleep } from "./util";

function statusField(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  if (!m) throw new Error(`no ${field} for pid ${pid}`);
  return Number(m[1]) * 1024;
}

export const rssOf = (pid: number) => statusField(pid, "VmRSS");

/** The command line of a process, for the report ("node server.js"). */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "?";
  }
}

/** The direct children of a process (a wrapper such as serve-standalone.mjs spawns the real server). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // Kernels without CONFIG_PROC_CHILDREN: scan every process's parent.
    const out: number[] = [];
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const m = /^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${name}/status`, "utf8"));
        if (m && Number(m[1]) === pid) out.push(Number(name));
      } catch {
        // gone
      }
    }
    return out;
  }
}

function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

export interface RssWatch {
  /** Stops sampling; the idle figure and the peak seen while watching, in bytes. */
  stop(): { idle: number; peak: number; samples: number };
}

/**
 * Idle RSS (the median of ~0.5 s of samples taken now, with nothing in flight), then samples every
 * `everyMs` until `stop()`.
 */
export async function watchRss(pid: number, everyMs = 10): Promise<RssWatch> {
  const idleSamples: number[] = [];
  for (let i = 0; i < 25; i++) {
    idleSamples.push(rssOf(pid));
    await sleep(20);
  }
  idleSamples.sort((a, b) => a - b);
  const idle = idleSamples[Math.floor(idleSamples.length / 2)] ?? NaN;
  const hwm = resetPeak(pid);
  let peak = rssOf(pid);
  let samples = 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOf(pid));
      samples += 1;
    } catch {
      // the process ended; the last peak stands
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        peak = Math.max(peak, rssOf(pid), hwm ? statusField(pid, "VmHWM") : 0);
      } catch {
        // gone
      }
      return { idle, peak, samples };
    },
  };
}
