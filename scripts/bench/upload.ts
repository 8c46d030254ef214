/**
 * Uploads: one large file as multipart `POST /files` (purpose assistants), generated as a stream
 * (one reused chunk, written with backpressure: the bench never holds the file), sent direct to the
 * engine's HTTP server, through the bare streaming pipe (the floor) and through the proxy. For each,
 * the wall time and the serving process's peak RSS above its idle RSS.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { LIMITS } from "../../lib/protocol/limits";
import { DEFAULT_LIMITS } from "../../lib/server/proxy/body";
import { watchRss, type RssWatch } from "./rss";
import type { Served } from "./servers";
import type { SummaryRow } from "./summary";
import { API_VERSION, median, mib, sec } from "./util";

export const UPLOAD_MB = Number(process.env.BENCH_UPLOAD_MB ?? 512);
const UPLOAD_ROUNDS = Number(process.env.BENCH_UPLOAD_ROUNDS ?? 3);
const CHUNK = 256 * 1024;
const TARGET_RSS = 64 * 2 ** 20;
const TARGET_TIME_RATIO = 1.2;

interface UploadResult {
  ms: number;
  status: number;
  body: string;
}

/** Sends `bytes` of generated file content as multipart/form-data with a declared content-length. */
function upload(
  url: string,
  headers: Record<string, string>,
  bytes: number,
  filename: string,
): Promise<UploadResult> {
  const boundary = `----playground-bench-${randomBytes(8).toString("hex")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(CHUNK, "playground bench upload 0123456789\n");
  const t = performance.now();
  return new Promise<UploadResult>((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      agent: false,
      headers: {
        ...headers,
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "content-length": String(head.length + bytes + tail.length),
      },
    });
    req.on("response", (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () =>
        resolve({
          ms: performance.now() - t,
          status: res.statusCode ?? 0,
          body: Buffer.concat(parts).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    void (async () => {
      const wait = () => new Promise<void>((r) => req.once("drain", () => r()));
      if (!req.write(head)) await wait();
      let left = bytes;
      while (left > 0) {
        const n = Math.min(CHUNK, left);
        // The server may answer early (an error) and close: stop writing then.
        if (req.destroyed) return;
        if (!req.write(n === CHUNK ? chunk : chunk.subarray(0, n))) await wait();
        left -= n;
      }
      req.end(tail);
    })().catch(reject);
  });
}

export interface UploadPath {
  name: string;
  kind: "direct" | "bare" | "bare-counted" | "proxy-http" | "proxy-local";
  /** Base URL of the Assistants surface. */
  base: string;
  headers: Record<string, string>;
  /** The process that serves this path (sampled). */
  server: Served;
}

interface Measured {
  path: UploadPath;
  /** Wall time of each successful upload. */
  times: number[];
  ms: number;
  error: string | null;
  idle: number;
  peakAbove: number;
  samples: number;
}

async function deleteFile(p: UploadPath, file: { id: string }): Promise<void> {
  const res = await fetch(`${p.base}/files/${file.id}?api-version=${API_VERSION}`, {
    method: "DELETE",
    headers: p.headers,
  });
  await res.arrayBuffer();
}

/** One upload through a path, checked: the engine must have stored every byte. */
async function uploadOnce(
  p: UploadPath,
  bytes: number,
  filename: string,
): Promise<{ ms: number; error: string | null }> {
  try {
    const r = await upload(`${p.base}/files?api-version=${API_VERSION}`, p.headers, bytes, filename);
    if (r.status !== 200) return { ms: r.ms, error: `${r.status} ${r.body.slice(0, 300)}` };
    const file = JSON.parse(r.body) as { id: string; bytes: number };
    await deleteFile(p, file);
    return {
      ms: r.ms,
      error: file.bytes === bytes ? null : `the engine stored ${file.bytes} bytes, not ${bytes}`,
    };
  } catch (e) {
    return { ms: NaN, error: (e as Error).message };
  }
}

export async function benchUploads(
  paths: UploadPath[],
): Promise<{ markdown: string; summary: SummaryRow[] }> {
  const bytes = UPLOAD_MB * 2 ** 20;
  // Warm-up: load each route, busboy and the body pipes before the idle figures are taken.
  for (const p of paths) await uploadOnce(p, 2 ** 20, "bench-warmup.bin");
  const pids = [...new Set(paths.map((p) => p.server.pid))];
  const watches = new Map<number, RssWatch>();
  for (const pid of pids) watches.set(pid, await watchRss(pid));
  const times: number[][] = paths.map(() => []);
  const errors: (string | null)[] = paths.map(() => null);
  // Rounds of one upload per path, each round starting one path later, so drift hits all alike.
  for (let round = 0; round < UPLOAD_ROUNDS; round++) {
    for (let j = 0; j < paths.length; j++) {
      const k = (round + j) % paths.length;
      const p = paths[k]!;
      console.log(`Upload ${UPLOAD_MB} MiB (round ${round + 1}/${UPLOAD_ROUNDS}): ${p.name}…`);
      const r = await uploadOnce(p, bytes, `bench-${UPLOAD_MB}mb.bin`);
      if (r.error) errors[k] ??= r.error;
      else times[k]!.push(r.ms);
    }
  }
  const memory = new Map([...watches].map(([pid, w]) => [pid, w.stop()]));
  const results: Measured[] = paths.map((p, k) => {
    const m = memory.get(p.server.pid)!;
    return {
      path: p,
      times: times[k]!,
      ms: times[k]!.length ? median(times[k]!) : NaN,
      error: errors[k]!,
      idle: m.idle,
      peakAbove: m.peak - m.idle,
      samples: m.samples,
    };
  });
  const floor = results.find((r) => r.path.kind === "bare");
  const counted = results.find((r) => r.path.kind === "bare-counted");
  const rows = results.map((r) => {
    const ratio = floor && r !== floor && Number.isFinite(r.ms) ? `${(r.ms / floor.ms).toFixed(2)}×` : "—";
    return `| ${r.path.name} | ${r.error ? `**failed:** ${r.error.replace(/\|/g, "\\|")}` : `${r.times.length} × 200`} | ${sec(r.ms)} | ${r.times.map((t) => sec(t)).join(", ")} | ${ratio} | ${(bytes / 2 ** 20 / (r.ms / 1000)).toFixed(0)} | ${mib(r.idle)} | **${mib(r.peakAbove)}** | ${r.path.server.command} (pid ${r.path.server.pid}), ${r.samples} samples |`;
  });
  const summary: SummaryRow[] = [];
  for (const r of results.filter((x) => x.path.kind === "proxy-http" || x.path.kind === "proxy-local")) {
    if (r.error) {
      summary.push({
        target: `Upload ${UPLOAD_MB} MiB ${r.path.name}`,
        measured: "failed",
        floor: "—",
        verdict: "not met",
        why: r.error.slice(0, 200),
      });
      continue;
    }
    const memOk = r.peakAbove <= TARGET_RSS;
    summary.push({
      target: `Upload ${r.path.name}: ≤ 64 MiB above idle`,
      measured: `${mib(r.peakAbove)} MiB`,
      floor: floor ? `bare pipe ${floor.error ? "failed" : `${mib(floor.peakAbove)} MiB`}` : "—",
      verdict: memOk ? "met" : "not met",
    });
    const ratio = floor && !floor.error ? r.ms / floor.ms : NaN;
    summary.push({
      target: `Upload ${r.path.name}: time ≤ ${TARGET_TIME_RATIO}× the floor`,
      measured: `${sec(r.ms)} s (${Number.isFinite(ratio) ? ratio.toFixed(2) : "—"}×)`,
      floor:
        floor && !floor.error
          ? `bare pipe ${sec(floor.ms)} s; direct ${sec(results.find((x) => x.path.kind === "direct")?.ms ?? NaN)} s`
          : "no floor",
      verdict: Number.isFinite(ratio) ? (ratio <= TARGET_TIME_RATIO ? "met" : "not met") : "not conclusive",
      ...(Number.isFinite(ratio) && ratio > TARGET_TIME_RATIO && counted && floor && !counted.error
        ? {
            why: `the bare pipe with only a counting TransformStream added (what the proxy's body check does) takes ${(counted.ms / floor.ms).toFixed(2)}× the bare pipe`,
          }
        : {}),
    });
  }
  const markdown = `## Uploads

One ${UPLOAD_MB} MiB file (${bytes.toLocaleString("en")} bytes; the engine's and Azure's per-file limit) as multipart
\`POST /files\` (purpose \`assistants\`), generated by the bench as a stream (one reused ${CHUNK / 1024} KiB chunk,
written with backpressure) with a declared content-length. The engine streams it to disk with busboy;
the bench deletes it afterwards. The caps it must pass: the engine's per-file limit
(\`lib/protocol/limits.ts\` maxFileBytes, ${LIMITS.maxFileBytes.toLocaleString("en")} bytes) and the proxy's multipart limit
(\`lib/server/proxy/body.ts\` DEFAULT_LIMITS, ${DEFAULT_LIMITS.multipart.toLocaleString("en")} bytes for file and form). Each serving process is fresh, warmed with one 1 MiB upload, then
its idle RSS is taken (median of 0.5 s of samples) and \`/proc/<pid>/status\` VmRSS is sampled every
10 ms during the upload (plus the kernel's high-water mark, reset before the upload, so no spike
between samples is missed). The bare pipe is the floor: the same standalone Next.js server kind,
a route handler piping \`request.body\` to the engine with node:http.

${UPLOAD_ROUNDS} rounds of one upload per path (each round starting one path later); the wall time is the
median. Memory: each serving process's peak over all its uploads above its idle RSS before the first
(the engine process is the "direct" row's server and the receiving end of every path). The row "bare
pipe + a counting TransformStream" is a diagnostic: the same bare process (so the same memory figure),
its request body passed through one byte-counting TransformStream as \`lib/server/proxy/body.ts\` does,
to show what that step alone costs.

| path | result | wall time s (median) | each upload s | vs bare pipe | MiB/s | server idle RSS MiB | server peak above idle MiB | process sampled |
|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

`;
  return { markdown, summary };
}
