/**
 * The local code-interpreter backend: one long-lived CPython process per session (thread), each in
 * its own bubblewrap sandbox — no network, only the Python runtime and the session's /mnt/data
 * visible, no server environment, an unprivileged uid, resource limits. See ./README.md.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { LIMITS } from "../limits";
import { KERNEL_SOURCE } from "./kernel";
import type {
  CodeSandbox,
  ExecuteOptions,
  ExecutionResult,
  SandboxError,
  SandboxInputFile,
  SandboxOutputFile,
  SandboxStatus,
} from "./types";

export interface PythonSandboxOptions {
  /** The interpreter; it needs numpy, pandas and matplotlib. Default `/usr/bin/python3` (Debian's). */
  pythonPath?: string;
  /** Default `/usr/bin/bwrap`. */
  bwrapPath?: string;
  /** Where session directories are made (under `engine-sandbox/`). Default `os.tmpdir()`. */
  workDir?: string;
  /** Wall time of one execution, and the most `execute(…, {timeoutMs})` may ask for. Default 60 s. */
  timeoutMs?: number;
  /** A session with no execution for this long ends (process killed, files removed). Default 1 h. */
  idleTimeoutMs?: number;
  /** CPU seconds one execution may use (RLIMIT_CPU, per process). Default twice the wall time. */
  cpuSeconds?: number;
  /** Address space of each process (RLIMIT_AS). Default 2 GiB. */
  memoryBytes?: number;
  /** Processes and threads in a session (RLIMIT_NPROC, counted inside the session's user namespace). Default 64. */
  maxProcesses?: number;
  /** Open files per process (RLIMIT_NOFILE). Default 256. */
  maxOpenFiles?: number;
  /** Largest file the code may write (RLIMIT_FSIZE). Default 512 MiB. */
  maxFileSizeBytes?: number;
  /** Size of the session's private /tmp (a tmpfs: it counts against the host's memory). Default 256 MiB. */
  tmpBytes?: number;
  /** Output (stdout and stderr together) kept per execution. Default 64 KiB. */
  maxOutputBytes?: number;
  /** Bytes of written files returned per execution. Default 64 MiB. */
  maxReturnedBytes?: number;
  /** Sessions alive at once; past it the least recently used idle one ends. Default 16. */
  maxSessions?: number;
  /**
   * Runs the code WITHOUT any isolation: as the server's user, with the server's files and network.
   * Only for a machine where bubblewrap cannot run and every user is trusted. Default false.
   */
  unsafeNoIsolation?: boolean;
}

type Config = Required<PythonSandboxOptions>;

const SANDBOX_UID = 65534;
const MiB = 2 ** 20;
/** Beyond these a frame is a broken kernel, not output. */
const MAX_FRAME_BYTES = 1024 * MiB;
const START_TIMEOUT_MS = 30_000;
const FONT_CACHE_MOUNT = "/var/cache/matplotlib";
/** What numpy, matplotlib and fontconfig read from /etc; nothing else of the host's /etc is shown. */
const ETC_PATHS = [
  "/etc/alternatives",
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/fonts",
  "/etc/matplotlibrc",
  "/etc/localtime",
  "/etc/mime.types",
];
const SANDBOX_ENV: Record<string, string> = {
  PATH: "/usr/local/bin:/usr/bin:/bin",
  HOME: "/tmp",
  TMPDIR: "/tmp",
  LANG: "C.UTF-8",
  MPLBACKEND: "Agg",
  MPLCONFIGDIR: "/tmp/.matplotlib",
  // BLAS threads count against the process limit and compete with the host.
  OPENBLAS_NUM_THREADS: "2",
  OMP_NUM_THREADS: "2",
  MKL_NUM_THREADS: "2",
};
const PROBE_SOURCE =
  "import sys, importlib.util\n" +
  "import numpy\n" +
  "missing = [m for m in ('pandas', 'matplotlib') if importlib.util.find_spec(m) is None]\n" +
  "open('.probe', 'w').close()\n" +
  "print('%d.%d' % sys.version_info[:2], ','.join(missing))\n";

function resolveConfig(o: PythonSandboxOptions): Config {
  const timeoutMs = o.timeoutMs ?? 60_000;
  return {
    pythonPath: o.pythonPath ?? "/usr/bin/python3",
    bwrapPath: o.bwrapPath ?? "/usr/bin/bwrap",
    workDir: o.workDir ?? os.tmpdir(),
    timeoutMs,
    idleTimeoutMs: o.idleTimeoutMs ?? 3_600_000,
    cpuSeconds: o.cpuSeconds ?? Math.max(1, Math.ceil((2 * timeoutMs) / 1000)),
    memoryBytes: o.memoryBytes ?? 2048 * MiB,
    maxProcesses: o.maxProcesses ?? 64,
    maxOpenFiles: o.maxOpenFiles ?? 256,
    // A file the code writes becomes an Assistants file: no larger than the protocol allows.
    maxFileSizeBytes: o.maxFileSizeBytes ?? LIMITS.maxFileBytes,
    tmpBytes: o.tmpBytes ?? 256 * MiB,
    maxOutputBytes: o.maxOutputBytes ?? 64 * 1024,
    maxReturnedBytes: o.maxReturnedBytes ?? 64 * MiB,
    maxSessions: o.maxSessions ?? 16,
    unsafeNoIsolation: o.unsafeNoIsolation ?? false,
  };
}

/** A bare file name for /mnt/data, or null when nothing usable is left. */
export function sanitizeFileName(name: string): string | null {
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim();
  if (base === "" || base === "." || base === "..") return null;
  return Buffer.byteLength(base) > 255 ? null : base;
}

// ── the kernel process ────────────────────────────────────────────────────────────────────────────

interface DoneFrame {
  t: "done";
  id: number;
  error: SandboxError | null;
  truncated: boolean;
  images: string[];
  files: { name: string; b64: string }[];
  notes: string[];
}
type Frame = { t: "ready"; version: string } | { t: "out"; d: string } | DoneFrame;

type Outcome =
  | { kind: "done"; frame: DoneFrame }
  | { kind: "exit"; code: number | null; signal: NodeJS.Signals | null }
  | { kind: "timeout" }
  | { kind: "cancelled" };

/** Splits a byte stream into length-prefixed JSON frames without re-copying large bodies per chunk. */
class FrameReader {
  private chunks: Buffer[] = [];
  private length = 0;

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.length < 4) return frames;
      const head = this.take(4, false);
      const size = head.readUInt32BE(0);
      if (size > MAX_FRAME_BYTES) throw new Error("oversized frame from the kernel");
      if (this.length < 4 + size) return frames;
      this.take(4, true);
      frames.push(JSON.parse(this.take(size, true).toString("utf8")) as Frame);
    }
  }

  private take(n: number, consume: boolean): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
    this.chunks = [all];
    const out = all.subarray(0, n);
    if (consume) {
      this.chunks = this.length > n ? [all.subarray(n)] : [];
      this.length -= n;
    }
    return out;
  }
}

class Kernel {
  readonly proc: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited = false;
  version = "";
  private reader = new FrameReader();
  private onFrame: ((frame: Frame) => void) | null = null;
  private onExit: (() => void) | null = null;
  private nextId = 1;
  logs: string[] = [];
  private logChars = 0;
  private logLimit: number;

  constructor(command: string, args: string[], spawnOptions: Parameters<typeof spawn>[2], logLimit: number) {
    this.logLimit = logLimit;
    this.proc = spawn(command, args, { ...spawnOptions, stdio: ["pipe", "pipe", "pipe"], detached: true });
    this.exited = new Promise((resolve) => {
      this.proc.once("exit", (code, signal) => {
        this.hasExited = true;
        resolve({ code, signal });
        this.onExit?.();
      });
      this.proc.once("error", () => {
        this.hasExited = true;
        resolve({ code: null, signal: null });
        this.onExit?.();
      });
    });
    this.proc.stdout!.on("data", (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.reader.push(chunk);
      } catch {
        this.kill();
        return;
      }
      for (const frame of frames) {
        if (frame.t === "out") {
          if (this.logChars < this.logLimit) {
            this.logs.push(frame.d);
            this.logChars += frame.d.length;
          }
        } else this.onFrame?.(frame);
      }
    });
    // bwrap's own complaints (and a kernel that died before redirecting fd 2); kept out of results.
    this.proc.stderr!.resume();
    this.proc.stdin!.on("error", () => {});
    // An idle session must not keep the server's process alive; while it works, hold() keeps it.
    this.proc.unref();
    for (const s of [this.proc.stdin, this.proc.stdout, this.proc.stderr])
      (s as unknown as { unref?: () => void }).unref?.();
  }

  /** Keeps the event loop alive until the returned release is called (or the process exits). */
  private hold(): () => void {
    this.proc.ref();
    return () => this.proc.unref();
  }

  /** Waits for the kernel's first frame. */
  ready(timeoutMs: number): Promise<boolean> {
    const release = this.hold();
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (ok: boolean) => {
        release();
        clearTimeout(timer);
        this.onFrame = null;
        this.onExit = null;
        resolve(ok);
      };
      if (this.hasExited) return finish(false);
      this.onFrame = (frame) => {
        if (frame.t === "ready") {
          this.version = frame.version;
          finish(true);
        }
      };
      this.onExit = () => finish(false);
    });
  }

  run(
    code: string,
    cpuSeconds: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Outcome> {
    const id = this.nextId++;
    this.logs = [];
    this.logChars = 0;
    const release = this.hold();
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const finish = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        release();
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.onFrame = null;
        this.onExit = null;
        resolve(outcome);
      };
      const stop = (kind: "timeout" | "cancelled") => {
        this.kill();
        // The result is only given once the process (and with it the whole sandbox) is gone.
        void this.exited.then(() => finish({ kind }));
      };
      const timer = setTimeout(() => stop("timeout"), timeoutMs);
      const onAbort = () => stop("cancelled");
      signal?.addEventListener("abort", onAbort, { once: true });
      this.onFrame = (frame) => {
        if (frame.t === "done" && frame.id === id) finish({ kind: "done", frame });
      };
      this.onExit = () => void this.exited.then((e) => finish({ kind: "exit", ...e }));
      if (this.hasExited) return this.onExit();
      const body = Buffer.from(JSON.stringify({ id, code, cpuSeconds }), "utf8");
      const head = Buffer.alloc(4);
      head.writeUInt32BE(body.length, 0);
      this.proc.stdin!.write(Buffer.concat([head, body]));
    });
  }

  kill(): void {
    if (this.hasExited || this.proc.pid === undefined) return;
    // bwrap runs in its own process group; --die-with-parent and the PID namespace take the rest.
    try {
      process.kill(-this.proc.pid, "SIGKILL");
    } catch {
      try {
        this.proc.kill("SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }

  async close(): Promise<void> {
    const release = this.hold();
    this.kill();
    await this.exited;
    release();
  }
}

// ── sessions ──────────────────────────────────────────────────────────────────────────────────────

interface Session {
  id: string;
  dir: string;
  kernel: Kernel | null;
  queue: Promise<unknown>;
  busy: number;
  /** Order of last use (a counter: two uses within one millisecond still differ). */
  lastUsed: number;
  idleTimer: NodeJS.Timeout | null;
  closed: boolean;
  /** Settles once the process is gone and the directory removed. */
  ended: Promise<void>;
}

interface Probe {
  status: SandboxStatus;
  disableUserns: boolean;
}

export class PythonSandbox implements CodeSandbox {
  private readonly config: Config;
  private probe: Probe | null = null;
  private sessions = new Map<string, Session>();
  private root: string | null = null;
  private closed = false;
  private useCounter = 0;
  private readonly asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  /** matplotlib's font list, built once in a sandbox and copied into each session's /tmp at start. */
  private fontCache: { dir: string; ready: boolean; process: ChildProcess | null } | null = null;

  constructor(options: PythonSandboxOptions = {}) {
    this.config = resolveConfig(options);
  }

  status(): SandboxStatus {
    if (!this.probe) {
      this.probe = this.runProbe();
      if (this.probe.status.available && !this.config.unsafeNoIsolation) this.warmFontCache();
    }
    return this.probe.status;
  }

  /** For diagnostics and tests: the sandbox's host process id and the session's host directory. */
  inspectSession(sessionId: string): { pid: number | null; dir: string } | null {
    const s = this.sessions.get(sessionId);
    if (!s) return null;
    return { pid: s.kernel && !s.kernel.hasExited ? (s.kernel.proc.pid ?? null) : null, dir: s.dir };
  }

  async execute(sessionId: string, code: string, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    const started = performance.now();
    const result = (partial: Partial<ExecutionResult>): ExecutionResult => ({
      logs: "",
      logsTruncated: false,
      images: [],
      files: [],
      error: null,
      ...partial,
      durationMs: Math.round(performance.now() - started),
    });
    const status = this.status();
    if (!status.available) return result({ error: { kind: "unavailable", message: status.description } });
    if (this.closed) return result({ error: { kind: "unavailable", message: "the sandbox is closed" } });
    if (options.signal?.aborted)
      return result({ error: { kind: "cancelled", message: "Cancelled before the code ran." } });

    let session = this.sessions.get(sessionId);
    if (!session) {
      // Decided synchronously, so two first calls for one session share it.
      if (!this.makeRoom())
        return result({
          error: { kind: "unavailable", message: `all ${this.config.maxSessions} sandbox sessions are busy` },
        });
      try {
        session = this.newSession(sessionId);
      } catch {
        return result({
          error: { kind: "unavailable", message: "the sandbox session directory cannot be created" },
        });
      }
    }
    const s = session;
    s.busy++;
    if (s.idleTimer) clearTimeout(s.idleTimer);
    const run = s.queue
      .then(() => this.runIn(s, code, options, result))
      .catch(() => result({ error: { kind: "unavailable", message: "the Python sandbox failed" } }));
    s.queue = run.catch(() => {});
    try {
      return await run;
    } finally {
      s.busy--;
      s.lastUsed = ++this.useCounter;
      if (s.busy === 0 && !s.closed) {
        s.idleTimer = setTimeout(() => void this.destroy(s), this.config.idleTimeoutMs);
        s.idleTimer.unref();
      }
    }
  }

  async closeSession(sessionId: string): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (s) await this.destroy(s);
  }

  private destroy(s: Session): Promise<void> {
    if (this.sessions.get(s.id) === s) this.sessions.delete(s.id);
    if (!s.closed) {
      s.closed = true;
      if (s.idleTimer) clearTimeout(s.idleTimer);
      const kernel = s.kernel;
      s.kernel = null;
      s.ended = (async () => {
        await kernel?.close();
        await fs.promises.rm(s.dir, { recursive: true, force: true }).catch(() => {});
      })();
    }
    return s.ended;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.fontCache?.process && this.fontCache.process.exitCode === null)
      this.fontCache.process.kill("SIGKILL");
    await Promise.all([...this.sessions.values()].map((s) => this.destroy(s)));
    if (this.root) await fs.promises.rm(this.root, { recursive: true, force: true }).catch(() => {});
    this.root = null;
  }

  // ── one execution ──

  private async runIn(
    s: Session,
    code: string,
    options: ExecuteOptions,
    result: (partial: Partial<ExecutionResult>) => ExecutionResult,
  ): Promise<ExecutionResult> {
    if (s.closed) return result({ error: { kind: "unavailable", message: "the session was closed" } });
    if (options.signal?.aborted)
      return result({ error: { kind: "cancelled", message: "Cancelled before the code ran." } });
    const c = this.config;
    let kernel = s.kernel;
    if (!kernel || kernel.hasExited) {
      kernel = await this.startKernel(s.dir);
      if (!kernel)
        return result({ error: { kind: "unavailable", message: "the Python sandbox did not start" } });
      if (s.closed) {
        await kernel.close();
        return result({ error: { kind: "unavailable", message: "the session was closed" } });
      }
      s.kernel = kernel;
    }
    const notes = await this.placeFiles(s.dir, options.files ?? []);
    const timeoutMs = Math.max(1, Math.min(options.timeoutMs ?? c.timeoutMs, c.timeoutMs));
    const outcome = await kernel.run(code, c.cpuSeconds, timeoutMs, options.signal);
    if (s.closed)
      return result({ error: { kind: "unavailable", message: "the session was closed while the code ran" } });
    const logs = kernel.logs.join("");
    const cut = logs.length > c.maxOutputBytes ? logs.slice(0, c.maxOutputBytes) : logs;
    const lost =
      "The session was restarted: its variables and imports were lost (files in /mnt/data were kept).";
    const stopped = (error: SandboxError): ExecutionResult => {
      s.kernel = null;
      return result({ logs: cut, logsTruncated: cut.length < logs.length, error });
    };
    switch (outcome.kind) {
      case "timeout":
        return stopped({
          kind: "timeout",
          message: `The execution exceeded the time limit of ${formatSeconds(timeoutMs)} and was stopped. ${lost}`,
        });
      case "cancelled":
        return stopped({ kind: "cancelled", message: `The execution was cancelled. ${lost}` });
      case "exit":
        return stopped(exitError(outcome.code, outcome.signal, lost));
      case "done": {
        const f = outcome.frame;
        let error = f.error;
        if (error?.kind === "resource") {
          // The process may be out of memory or full of stray children: start clean next time.
          await kernel.close();
          s.kernel = null;
          error = { kind: "resource", message: `${error.message}. ${lost}` };
        }
        const allNotes = [...notes, ...f.notes];
        const logsOut = allNotes.length
          ? `${cut}${cut && !cut.endsWith("\n") ? "\n" : ""}${allNotes.join("\n")}`
          : cut;
        return result({
          logs: logsOut,
          logsTruncated: f.truncated || cut.length < logs.length,
          images: f.images.map((b64) => ({
            format: "png" as const,
            bytes: new Uint8Array(Buffer.from(b64, "base64")),
          })),
          files: f.files.map((file): SandboxOutputFile => ({
            name: file.name,
            bytes: new Uint8Array(Buffer.from(file.b64, "base64")),
          })),
          error,
        });
      }
    }
  }

  /**
   * Copies input files into the session directory. The code may have left a symlink or a directory
   * under the same name, so the bytes go to a fresh name first and are renamed over it (rename
   * replaces a symlink; it never writes through one).
   */
  private async placeFiles(dir: string, files: SandboxInputFile[]): Promise<string[]> {
    const notes: string[] = [];
    for (const file of files) {
      const name = sanitizeFileName(file.name);
      if (!name) {
        notes.push(`[input file skipped: unusable name]`);
        continue;
      }
      const dest = path.join(/* turbopackIgnore: true */ dir, name);
      try {
        const [src, existing] = await Promise.all([
          fs.promises.stat(file.path),
          fs.promises.lstat(dest).catch(() => null),
        ]);
        if (existing?.isFile() && existing.size === src.size) continue;
        const tmp = path.join(/* turbopackIgnore: true */ dir, `.input-${randomBytes(12).toString("hex")}`);
        await fs.promises.copyFile(file.path, tmp, fs.constants.COPYFILE_EXCL);
        await fs.promises.chmod(tmp, 0o644);
        if (this.asRoot && !this.config.unsafeNoIsolation)
          await fs.promises.chown(tmp, SANDBOX_UID, SANDBOX_UID);
        if (existing?.isDirectory()) await fs.promises.rm(dest, { recursive: true, force: true });
        await fs.promises.rename(tmp, dest);
      } catch {
        notes.push(`[input file ${name} could not be placed in /mnt/data]`);
      }
    }
    return notes;
  }

  // ── sessions and processes ──

  /** A private directory the sandbox user owns (bound at /mnt/data). */
  private makeSessionDir(): string {
    const dir = path.join(
      /* turbopackIgnore: true */ this.ensureRoot(),
      `s-${randomBytes(8).toString("hex")}`,
    );
    fs.mkdirSync(dir, { mode: 0o700 });
    if (this.asRoot && !this.config.unsafeNoIsolation) fs.chownSync(dir, SANDBOX_UID, SANDBOX_UID);
    return dir;
  }

  private newSession(id: string): Session {
    const session: Session = {
      id,
      dir: this.makeSessionDir(),
      kernel: null,
      queue: Promise.resolve(),
      busy: 0,
      lastUsed: ++this.useCounter,
      idleTimer: null,
      closed: false,
      ended: Promise.resolve(),
    };
    this.sessions.set(id, session);
    return session;
  }

  /** Ends the least recently used idle session when the pool is full; false when all are busy. */
  private makeRoom(): boolean {
    while (this.sessions.size >= this.config.maxSessions) {
      const idle = [...this.sessions.values()]
        .filter((s) => s.busy === 0)
        .sort((a, b) => a.lastUsed - b.lastUsed);
      if (!idle[0]) return false;
      void this.destroy(idle[0]);
    }
    return true;
  }

  /**
   * `<workDir>/engine-sandbox/<pid>-<random>/`, traversable but not listable, so the unprivileged
   * sandbox user can reach its own session directory and nothing else. Directories of engine
   * processes that died are removed on the way.
   */
  private ensureRoot(): string {
    if (this.root) return this.root;
    const base = path.join(/* turbopackIgnore: true */ this.config.workDir, "engine-sandbox");
    fs.mkdirSync(base, { recursive: true, mode: 0o711 });
    fs.chmodSync(base, 0o711);
    for (const entry of fs.readdirSync(base)) {
      const pid = Number(entry.split("-")[0]);
      if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
      try {
        process.kill(pid, 0);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ESRCH")
          fs.rmSync(path.join(/* turbopackIgnore: true */ base, entry), { recursive: true, force: true });
      }
    }
    this.root = path.join(
      /* turbopackIgnore: true */ base,
      `${process.pid}-${randomBytes(6).toString("hex")}`,
    );
    fs.mkdirSync(this.root, { mode: 0o711 });
    return this.root;
  }

  private async startKernel(dir: string): Promise<Kernel | null> {
    const c = this.config;
    const kernelConfig = JSON.stringify({
      dataDir: c.unsafeNoIsolation ? dir : "/mnt/data",
      memoryBytes: c.memoryBytes,
      maxProcesses: c.maxProcesses,
      maxOpenFiles: c.maxOpenFiles,
      maxFileSizeBytes: c.maxFileSizeBytes,
      maxOutputBytes: c.maxOutputBytes,
      maxReturnedBytes: c.maxReturnedBytes,
      fontCacheDir: this.fontCache?.ready ? FONT_CACHE_MOUNT : null,
    });
    const python = [c.pythonPath, "-E", "-s", "-B", "-c", KERNEL_SOURCE, kernelConfig];
    const kernel = c.unsafeNoIsolation
      ? new Kernel(
          python[0]!,
          python.slice(1),
          { cwd: dir, env: SANDBOX_ENV as NodeJS.ProcessEnv },
          c.maxOutputBytes * 2,
        )
      : new Kernel(
          c.bwrapPath,
          [...this.bwrapArgs(dir), ...python],
          {
            cwd: "/",
            env: {} as NodeJS.ProcessEnv,
            ...(this.asRoot ? { uid: SANDBOX_UID, gid: SANDBOX_UID } : {}),
          },
          c.maxOutputBytes * 2,
        );
    if (await kernel.ready(START_TIMEOUT_MS)) return kernel;
    await kernel.close();
    return null;
  }

  /**
   * The sandbox: every namespace new (user, PID, network, IPC, UTS, cgroup, mount), a root holding
   * only /usr read-only, the few /etc entries the libraries read, a private /proc, /dev and /tmp,
   * and the session's directory at /mnt/data. No environment is passed through.
   */
  private bwrapArgs(dir: string, disableUserns = this.probe?.disableUserns ?? true): string[] {
    const c = this.config;
    const args = ["--unshare-all", "--unshare-user"];
    if (disableUserns) args.push("--disable-userns");
    args.push(
      "--die-with-parent",
      "--new-session",
      "--clearenv",
      "--hostname",
      "sandbox",
      "--ro-bind",
      "/usr",
      "/usr",
    );
    for (const top of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
      const st = lstatOrNull(top);
      if (st?.isSymbolicLink()) args.push("--symlink", fs.readlinkSync(top), top);
      else if (st?.isDirectory()) args.push("--ro-bind", top, top);
    }
    for (const p of ETC_PATHS) if (lstatOrNull(p)) args.push("--ro-bind", p, p);
    args.push("--proc", "/proc", "--dev", "/dev", "--size", String(c.tmpBytes), "--tmpfs", "/tmp");
    if (this.fontCache?.ready) args.push("--ro-bind", this.fontCache.dir, FONT_CACHE_MOUNT);
    // An interpreter outside /usr (a venv, conda) brings its own prefix, read-only — never a whole
    // top-level directory such as /home or /root.
    for (const p of new Set([c.pythonPath, realpathOrNull(c.pythonPath) ?? c.pythonPath])) {
      const prefix = path.dirname(path.dirname(path.resolve(/* turbopackIgnore: true */ p)));
      if (!`${p}/`.startsWith("/usr/") && prefix.split("/").length > 2)
        args.push("--ro-bind", prefix, prefix);
    }
    args.push(
      "--bind",
      dir,
      "/mnt/data",
      "--chdir",
      "/mnt/data",
      "--uid",
      String(SANDBOX_UID),
      "--gid",
      String(SANDBOX_UID),
    );
    for (const [k, v] of Object.entries(SANDBOX_ENV)) args.push("--setenv", k, v);
    return args;
  }

  /**
   * Without a cache, each session's first `import matplotlib.pyplot` scans the system fonts
   * (1–2 s). One sandboxed run builds the list (no user code is involved), and later sessions get it
   * read-only.
   */
  private warmFontCache(): void {
    let dir: string;
    try {
      dir = this.makeSessionDir();
    } catch {
      return;
    }
    const args = [
      ...this.bwrapArgs(dir),
      "--setenv",
      "MPLCONFIGDIR",
      "/mnt/data",
      this.config.pythonPath,
      "-E",
      "-s",
      "-B",
      "-c",
      "import matplotlib.font_manager",
    ];
    const child = spawn(this.config.bwrapPath, args, {
      cwd: "/",
      env: {} as NodeJS.ProcessEnv,
      stdio: "ignore",
      ...(this.asRoot ? { uid: SANDBOX_UID, gid: SANDBOX_UID } : {}),
    });
    const cache = { dir, ready: false, process: child as ChildProcess | null };
    this.fontCache = cache;
    child.unref();
    child.once("error", () => (cache.process = null));
    child.once("exit", (code) => {
      cache.process = null;
      cache.ready = code === 0 && fs.readdirSync(dir).some((f) => f.startsWith("fontlist"));
    });
  }

  /** Runs a trivial program the way sessions run, once, so status() can say what works and why not. */
  private runProbe(): Probe {
    const c = this.config;
    const off = (description: string): Probe => ({
      status: { kind: "off", available: false, description: `off: ${description}` },
      disableUserns: false,
    });
    if (!isExecutable(c.pythonPath)) return off("no python3 with numpy/pandas/matplotlib (set pythonPath)");
    let dir: string;
    try {
      dir = this.makeSessionDir();
    } catch {
      return off("the sandbox work directory cannot be created (set workDir)");
    }
    try {
      return this.probeIn(dir, off);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  private probeIn(dir: string, off: (description: string) => Probe): Probe {
    const c = this.config;
    if (c.unsafeNoIsolation) {
      const r = spawnSync(c.pythonPath, ["-E", "-s", "-B", "-c", PROBE_SOURCE], {
        cwd: dir,
        env: SANDBOX_ENV as NodeJS.ProcessEnv,
        encoding: "utf8",
        timeout: 20_000,
      });
      const parsed = parseProbe(r.stdout);
      if (r.status !== 0 || !parsed || parsed.missing) return off("no python3 with numpy/pandas/matplotlib");
      return {
        status: {
          kind: "python",
          available: true,
          description: `Python ${parsed.version}, NOT isolated (unsafeNoIsolation): code runs as the server's user, with its files and network`,
        },
        disableUserns: false,
      };
    }
    if (!isExecutable(c.bwrapPath)) return off("bwrap not found: install bubblewrap");
    const help = spawnSync(c.bwrapPath, ["--help"], { encoding: "utf8", timeout: 10_000 });
    const disableUserns = `${help.stdout}${help.stderr}`.includes("--disable-userns");
    const args = [...this.bwrapArgs(dir, disableUserns), c.pythonPath, "-E", "-s", "-B", "-c", PROBE_SOURCE];
    const r = spawnSync(c.bwrapPath, args, {
      cwd: "/",
      env: {} as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 20_000,
      ...(this.asRoot ? { uid: SANDBOX_UID, gid: SANDBOX_UID } : {}),
    });
    if (r.status !== 0) {
      const why = `${r.stderr ?? ""}`;
      if (/source path|Permission denied/i.test(why))
        return off("the work directory is out of the sandbox user's reach (set workDir under /tmp)");
      if (/namespace|uid map|setting up uid|Operation not permitted|No permissions/i.test(why))
        return off("user namespaces unavailable (bubblewrap cannot create its sandbox here)");
      if (/No module named|ImportError/.test(why)) return off("no python3 with numpy/pandas/matplotlib");
      return off("bubblewrap could not start a sandbox");
    }
    const parsed = parseProbe(r.stdout);
    if (!parsed || parsed.missing) return off("no python3 with numpy/pandas/matplotlib");
    return {
      status: {
        kind: "python",
        available: true,
        description: `Python ${parsed.version}, isolated (bubblewrap), no network`,
      },
      disableUserns,
    };
  }
}

function parseProbe(stdout: string | null | undefined): { version: string; missing: boolean } | null {
  const m = /^(\d+\.\d+) ?(.*)$/m.exec(stdout ?? "");
  return m ? { version: m[1]!, missing: (m[2] ?? "").trim() !== "" } : null;
}

function exitError(code: number | null, signal: NodeJS.Signals | null, lost: string): SandboxError {
  // bwrap reports a child killed by signal N as exit status 128 + N.
  const signo = signal ? os.constants.signals[signal] : code !== null && code > 128 ? code - 128 : null;
  if (signo === os.constants.signals.SIGXCPU)
    return { kind: "timeout", message: `The execution used up its CPU time limit and was stopped. ${lost}` };
  if (signo === os.constants.signals.SIGKILL)
    return { kind: "resource", message: `The Python process was killed (out of memory?). ${lost}` };
  const how = signo !== null ? `was killed by signal ${signo}` : `exited with status ${code ?? "unknown"}`;
  return {
    kind: "exception",
    name: "KernelDied",
    message: `The Python process ${how}. ${lost}`,
    traceback: "",
  };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

function realpathOrNull(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
