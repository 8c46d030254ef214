/**
 * What the local Python sandbox keeps the code from: the network (even the host's loopback), the
 * host's files, the server's environment, unbounded time, memory and processes — and that the
 * server stays responsive and able to spawn while hostile code runs.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PythonSandbox } from "@/lib/engine/sandbox/python";

const SECRET = `env-secret-${randomBytes(8).toString("hex")}`;
let tmp: string;
let sandbox: PythonSandbox;

beforeAll(() => {
  // Set before the sandbox (and its first process) exists: nothing of it may reach the code.
  process.env.SANDBOX_TEST_SECRET = SECRET;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-iso-"));
  fs.chmodSync(tmp, 0o711);
  sandbox = new PythonSandbox({ workDir: tmp, timeoutMs: 2000, memoryBytes: 512 * 2 ** 20 });
});

afterAll(async () => {
  delete process.env.SANDBOX_TEST_SECRET;
  await sandbox.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The process `pid` and all its descendants, from /proc. */
function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* gone meanwhile */
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]!) ?? []));
  return tree;
}

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe("PythonSandbox: isolation", () => {
  it("has no network: a loopback HTTP server on the host sees no request, the code gets an error", async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.end("reached");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const r = await sandbox.execute(
        "net",
        [
          "import socket, urllib.request",
          "try:",
          `    print(urllib.request.urlopen('http://127.0.0.1:${port}/', timeout=1).read())`,
          "except Exception as e:",
          "    print('blocked', type(e).__name__)",
          "print(sorted(name for _, name in socket.if_nameindex()))",
        ].join("\n"),
      );
      expect(r.error).toBeNull();
      expect(r.logs).toMatch(/^blocked URLError\n\['lo'\]\n$/);
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });

  it("cannot read the repository, the engine's data dir or /root", async () => {
    const dataDir = path.join(tmp, "engine-data");
    fs.mkdirSync(dataDir);
    const dataSecret = path.join(dataDir, "secret.txt");
    fs.writeFileSync(dataSecret, "data secret");
    const targets = [path.resolve("package.json"), dataSecret, "/etc/hostname", "/etc/passwd"];
    let rootSecret: string | null = path.join("/root", `.sandbox-secret-${randomBytes(6).toString("hex")}`);
    try {
      fs.writeFileSync(rootSecret, "root secret");
      targets.push(rootSecret);
    } catch {
      rootSecret = null; // not root: /root itself must still be absent below
    }
    try {
      const r = await sandbox.execute(
        "files",
        [
          "import json, os",
          `for p in ${JSON.stringify(targets)}:`,
          "    try:",
          "        open(p).read()",
          "        print('READ', p)",
          "    except OSError as e:",
          "        print(type(e).__name__)",
          "print(json.dumps(sorted(os.listdir('/'))))",
          "print(os.path.exists('/root'), os.path.exists('/home'), os.path.exists('/work'))",
          "print(sorted(os.listdir('/etc')))",
          "print(os.getuid(), os.getgid(), os.access('/usr/bin', os.W_OK))",
        ].join("\n"),
      );
      expect(r.error).toBeNull();
      const lines = r.logs.trim().split("\n");
      expect(lines.slice(0, targets.length)).toEqual(targets.map(() => "FileNotFoundError"));
      // The host's /bin, /lib… (symlinks or directories), and /var/cache/matplotlib (a shared font list).
      const root = JSON.parse(lines[targets.length]!) as string[];
      expect(root).toEqual(expect.arrayContaining(["etc", "mnt", "proc", "tmp", "usr"]));
      const allowed = [
        "bin",
        "dev",
        "etc",
        "lib",
        "lib32",
        "lib64",
        "libx32",
        "mnt",
        "proc",
        "sbin",
        "tmp",
        "usr",
        "var",
      ];
      expect(root.filter((entry) => !allowed.includes(entry))).toEqual([]);
      expect(lines[targets.length + 1]).toBe("False False False");
      expect(lines[targets.length + 2]).not.toMatch(/passwd|shadow|hostname|ssh/);
      expect(lines[targets.length + 3]).toBe("65534 65534 False");
    } finally {
      if (rootSecret) fs.rmSync(rootSecret, { force: true });
    }
  });

  it("cannot read the server's environment, not even through /proc", async () => {
    const r = await sandbox.execute(
      "env",
      [
        "import os",
        `secret = ${JSON.stringify(SECRET)}`,
        "found = [k for k, v in os.environ.items() if secret in v]",
        "checked = 0",
        "for pid in [d for d in os.listdir('/proc') if d.isdigit()] + [str(os.getppid()), '1', 'self']:",
        "    try:",
        "        data = open('/proc/%s/environ' % pid, 'rb').read()",
        "    except OSError:",
        "        continue",
        "    checked += 1",
        "    if secret.encode() in data:",
        "        found.append(pid)",
        "print(found, checked > 0, 'SANDBOX_TEST_SECRET' in os.environ)",
      ].join("\n"),
    );
    expect(r.error).toBeNull();
    expect(r.logs).toBe("[] True False\n");
  });

  it("stops `while True: pass` at the time limit while the event loop stays responsive", async () => {
    let last = performance.now();
    let maxGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 20);
    try {
      await sandbox.execute("spin", "state = 'set'");
      const r = await sandbox.execute("spin", "print('spinning', flush=True)\nwhile True: pass");
      expect(r.error).toMatchObject({ kind: "timeout" });
      expect((r.error as { message: string }).message).toMatch(
        /time limit of 2 s.*state.*lost|variables.*lost/,
      );
      expect(r.logs).toBe("spinning\n");
      expect(r.durationMs).toBeGreaterThanOrEqual(2000);
      expect(r.durationMs).toBeLessThan(10_000);
      const after = await sandbox.execute("spin", "print(state)");
      expect(after.error).toMatchObject({ kind: "exception", name: "NameError" });
    } finally {
      clearInterval(ticker);
    }
    expect(maxGap).toBeLessThan(1000);
  });

  it("a memory hog gets a resource error; the host and the next execution are fine", async () => {
    const big = await sandbox.execute("memory", "kept = 1\nb = bytearray(10**10)");
    expect(big.error).toMatchObject({ kind: "resource", message: expect.stringMatching(/memory limit/) });
    const growing = await sandbox.execute(
      "memory",
      "chunks = []\nwhile True:\n    chunks.append(bytearray(10**7))",
    );
    expect(growing.error).toMatchObject({ kind: "resource", message: expect.stringMatching(/memory limit/) });
    const next = await sandbox.execute("memory", "print('fine')");
    expect(next).toMatchObject({ logs: "fine\n", error: null });
    expect(spawnSync("/bin/true").status).toBe(0);
  });

  it("contains a fork bomb; the host can still spawn processes", async () => {
    const r = await sandbox.execute("fork", "import os\nwhile True:\n    os.fork()");
    expect(["resource", "timeout"]).toContain(r.error?.kind);
    expect(spawnSync("/bin/true").status).toBe(0);
    const next = await sandbox.execute(
      "fork",
      "import os\nprint(len([d for d in os.listdir('/proc') if d.isdigit()]))",
    );
    expect(next.error).toBeNull();
    expect(Number(next.logs)).toBeLessThan(5);
  });

  it("cancels a running execution through its AbortSignal; the process is gone", async () => {
    const controller = new AbortController();
    const running = sandbox.execute("cancel", "import time\nprint('started', flush=True)\ntime.sleep(30)", {
      signal: controller.signal,
    });
    let tree: number[] = [];
    const started = await waitFor(() => {
      const pid = sandbox.inspectSession("cancel")?.pid;
      tree = pid ? processTree(pid) : [];
      return tree.length >= 3; // bwrap, its PID 1, python
    }, 10_000);
    expect(started).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    controller.abort();
    const r = await running;
    expect(r.error).toMatchObject({ kind: "cancelled" });
    expect(r.logs).toBe("started\n");
    expect(await waitFor(() => tree.every((pid) => !alive(pid)), 2000)).toBe(true);
  });
});
