/**
 * Sessions of the local Python sandbox over time: idle expiry, closing, the session cap, and the
 * status it reports when it cannot run.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PythonSandbox, sanitizeFileName } from "@/lib/engine/sandbox/python";

let tmp: string;
const opened: PythonSandbox[] = [];

function make(options: ConstructorParameters<typeof PythonSandbox>[0] = {}): PythonSandbox {
  const sandbox = new PythonSandbox({ workDir: tmp, ...options });
  opened.push(sandbox);
  return sandbox;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-life-"));
  fs.chmodSync(tmp, 0o711);
});

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

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

describe("PythonSandbox: sessions over time", () => {
  it("ends an idle session: process gone, directory removed, state gone", async () => {
    const sandbox = make({ idleTimeoutMs: 400 });
    const first = await sandbox.execute("idle", "x = 1\nopen('/mnt/data/f.txt', 'w').write('x')");
    expect(first.error).toBeNull();
    const info = sandbox.inspectSession("idle")!;
    expect(fs.existsSync(path.join(info.dir, "f.txt"))).toBe(true);
    expect(info.pid && alive(info.pid)).toBe(true);
    expect(await waitFor(() => sandbox.inspectSession("idle") === null, 5000)).toBe(true);
    expect(await waitFor(() => !alive(info.pid!) && !fs.existsSync(info.dir), 2000)).toBe(true);
    const after = await sandbox.execute("idle", "import os\nprint(os.listdir('/mnt/data'))\nprint(x)");
    expect(after.logs).toBe("[]\n");
    expect(after.error).toMatchObject({ kind: "exception", name: "NameError" });
  });

  it("an execution resets the idle clock", async () => {
    const sandbox = make({ idleTimeoutMs: 600 });
    await sandbox.execute("busy", "n = 0");
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 300));
      expect((await sandbox.execute("busy", "n += 1")).error).toBeNull();
    }
    expect(await sandbox.execute("busy", "print(n)")).toMatchObject({ logs: "4\n" });
  });

  it("closeSession and close end processes and remove directories", async () => {
    const sandbox = make();
    await sandbox.execute("a", "pass");
    await sandbox.execute("b", "pass");
    const a = sandbox.inspectSession("a")!;
    const b = sandbox.inspectSession("b")!;
    await sandbox.closeSession("a");
    expect(sandbox.inspectSession("a")).toBeNull();
    expect(alive(a.pid!)).toBe(false);
    expect(fs.existsSync(a.dir)).toBe(false);
    expect(alive(b.pid!)).toBe(true);
    await sandbox.closeSession("never-opened");
    await sandbox.close();
    expect(alive(b.pid!)).toBe(false);
    expect(fs.existsSync(b.dir)).toBe(false);
    expect(await sandbox.execute("a", "pass")).toMatchObject({ error: { kind: "unavailable" } });
  });

  it("closing a session mid-execution ends the execution", async () => {
    const sandbox = make();
    const running = sandbox.execute("mid", "import time\ntime.sleep(30)");
    expect(await waitFor(() => !!sandbox.inspectSession("mid")?.pid, 10_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    await sandbox.closeSession("mid");
    expect((await running).error).toMatchObject({ kind: "unavailable" });
  });

  it("keeps at most maxSessions, ending the least recently used idle one", async () => {
    const sandbox = make({ maxSessions: 2 });
    await sandbox.execute("one", "v = 1");
    await sandbox.execute("two", "v = 2");
    await sandbox.execute("one", "v += 10");
    await sandbox.execute("three", "v = 3");
    expect(sandbox.inspectSession("two")).toBeNull();
    expect(await sandbox.execute("one", "print(v)")).toMatchObject({ logs: "11\n" });
  });

  it("a cancelled signal before the run runs nothing", async () => {
    const sandbox = make();
    const r = await sandbox.execute("pre", "print('ran')", { signal: AbortSignal.abort() });
    expect(r).toMatchObject({ logs: "", error: { kind: "cancelled" } });
  });
});

describe("PythonSandbox: status when it cannot run", () => {
  it("says bwrap is missing", async () => {
    const sandbox = make({ bwrapPath: path.join(tmp, "no-bwrap") });
    expect(sandbox.status()).toEqual({
      kind: "off",
      available: false,
      description: "off: bwrap not found: install bubblewrap",
    });
    expect(await sandbox.execute("x", "print(1)")).toMatchObject({
      error: { kind: "unavailable", message: "off: bwrap not found: install bubblewrap" },
    });
  });

  it("says the python lacks the libraries", () => {
    expect(make({ pythonPath: path.join(tmp, "no-python") }).status()).toMatchObject({
      kind: "off",
      description: "off: no python3 with numpy/pandas/matplotlib (set pythonPath)",
    });
    // A venv without the system's site-packages: the same interpreter, none of the libraries.
    const venv = path.join(tmp, "venv");
    expect(spawnSync("/usr/bin/python3", ["-m", "venv", "--without-pip", venv]).status).toBe(0);
    expect(make({ pythonPath: path.join(venv, "bin", "python3") }).status()).toMatchObject({
      kind: "off",
      description: "off: no python3 with numpy/pandas/matplotlib",
    });
  });

  it("says so loudly when isolation is switched off", async () => {
    const sandbox = make({ unsafeNoIsolation: true });
    expect(sandbox.status()).toMatchObject({
      kind: "python",
      available: true,
      description: expect.stringContaining("NOT isolated"),
    });
    expect(await sandbox.execute("u", "import os\nprint(os.getcwd() != '/mnt/data')")).toMatchObject({
      logs: "True\n",
      error: null,
    });
  });

  it("sanitises input names to a bare file name", () => {
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFileName("a\\b\\c.csv")).toBe("c.csv");
    expect(sanitizeFileName("..")).toBeNull();
    expect(sanitizeFileName("dir/")).toBeNull();
    expect(sanitizeFileName("x\u0000y.txt")).toBe("xy.txt");
  });
});
