/** Small helpers shared by the bench sections: ports, waiting, quantiles, formatting. */
import net from "node:net";
import { DEFAULT_API_VERSION } from "../../lib/protocol/api-versions";

export const API_VERSION = DEFAULT_API_VERSION;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export const sleep = (msec: number) => new Promise<void>((r) => setTimeout(r, msec));

/** Polls `url` until it answers 2xx (a server still starting refuses the connection). */
export async function waitFor(url: string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}
export const median = (xs: readonly number[]) => quantile(xs, 0.5);

/** Milliseconds with two decimals. */
export const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "—");
/** Bytes as MiB with one decimal. */
export const mib = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(1) : "—");
/** Seconds with two decimals. */
export const sec = (msec: number) => (Number.isFinite(msec) ? (msec / 1000).toFixed(2) : "—");
