/**
 * The local Python sandbox running real code (Debian's python3 with numpy/pandas/matplotlib, inside
 * bubblewrap): charts, state per session, files in and out of /mnt/data, exceptions, output limits.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PythonSandbox } from "@/lib/engine/sandbox/python";

let tmp: string;
let sandbox: PythonSandbox;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-exec-"));
  // The sandbox user (uid 65534 when the tests run as root) must be able to reach its session dir.
  fs.chmodSync(tmp, 0o711);
  sandbox = new PythonSandbox({ workDir: tmp });
});

afterAll(async () => {
  await sandbox.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function meanLuminance(png: PNG): number {
  let sum = 0;
  for (let i = 0; i < png.data.length; i += 4)
    sum += 0.2126 * png.data[i]! + 0.7152 * png.data[i + 1]! + 0.0722 * png.data[i + 2]!;
  return sum / (png.data.length / 4);
}

const SINE = [
  "import numpy as np, matplotlib.pyplot as plt",
  "x = np.linspace(0, 4 * np.pi, 200)",
  "plt.figure(figsize=(6, 4), dpi=100)",
  "plt.plot(x, np.sin(x))",
  "plt.show()",
].join("\n");

describe("PythonSandbox: running code", () => {
  it("says what it is", () => {
    expect(sandbox.status()).toEqual({
      kind: "python",
      available: true,
      description: expect.stringMatching(/^Python 3\.\d+, isolated \(bubblewrap\), no network$/),
    });
  });

  it("turns the sine wave into one 600×400 PNG; the dark style is darker", async () => {
    const light = await sandbox.execute("charts", SINE);
    expect(light.error).toBeNull();
    expect(light.images).toHaveLength(1);
    const png = PNG.sync.read(Buffer.from(light.images[0]!.bytes));
    expect([png.width, png.height]).toEqual([600, 400]);
    const first = png.data.readUInt32BE(0);
    let distinct = false;
    for (let i = 4; i < png.data.length && !distinct; i += 4) distinct = png.data.readUInt32BE(i) !== first;
    expect(distinct).toBe(true);

    const dark = await sandbox.execute("charts", `plt.style.use('dark_background')\n${SINE}`);
    expect(dark.error).toBeNull();
    expect(dark.images).toHaveLength(1);
    const darkPng = PNG.sync.read(Buffer.from(dark.images[0]!.bytes));
    expect(meanLuminance(darkPng)).toBeLessThan(meanLuminance(png) - 100);
  });

  it("returns a figure left open without plt.show(), and closes it", async () => {
    const r = await sandbox.execute("open-figure", "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\n");
    expect(r.images).toHaveLength(1);
    const again = await sandbox.execute("open-figure", "print(len(plt.get_fignums()))");
    expect(again.images).toHaveLength(0);
    expect(again.logs).toBe("0\n");
  });

  it("keeps state across executions of one session, not across sessions", async () => {
    expect((await sandbox.execute("state-a", "counter = 41\nimport math")).error).toBeNull();
    const same = await sandbox.execute("state-a", "counter += 1\nprint(counter, math.pi > 3)");
    expect(same).toMatchObject({ logs: "42 True\n", error: null });
    const other = await sandbox.execute("state-b", "print(counter)");
    expect(other.error).toMatchObject({ kind: "exception", name: "NameError" });
  });

  it("interleaves stdout and stderr, from Python and from child processes", async () => {
    const r = await sandbox.execute(
      "logs",
      "import sys, subprocess\nprint('one')\nprint('two', file=sys.stderr)\nsubprocess.run(['echo', 'three'])\nprint('four')",
    );
    expect(r).toMatchObject({ logs: "one\ntwo\nthree\nfour\n", logsTruncated: false, error: null });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("reads a CSV given in files with pandas, and returns what the code writes with equal bytes", async () => {
    const blob = path.join(tmp, "blob-sales");
    fs.writeFileSync(blob, "region,amount\nnorth,10\nsouth,32\n");
    const r = await sandbox.execute(
      "files",
      [
        "import pandas as pd",
        "df = pd.read_csv('/mnt/data/sales.csv')",
        "print(int(df['amount'].sum()))",
        "open('/mnt/data/out.bin', 'wb').write(bytes(range(256)) * 10)",
        "import os; os.makedirs('/mnt/data/sub', exist_ok=True)",
        "df.to_csv('/mnt/data/sub/copy.csv', index=False)",
      ].join("\n"),
      { files: [{ name: "sales.csv", path: blob }] },
    );
    expect(r.error).toBeNull();
    expect(r.logs).toBe("42\n");
    const byName = new Map(r.files.map((f) => [f.name, Buffer.from(f.bytes)]));
    expect([...byName.keys()].sort()).toEqual(["out.bin", "sub/copy.csv"]);
    const expected = Buffer.alloc(2560);
    for (let i = 0; i < 2560; i++) expected[i] = i % 256;
    expect(byName.get("out.bin")!.equals(expected)).toBe(true);
    expect(byName.get("sub/copy.csv")!.toString()).toBe("region,amount\nnorth,10\nsouth,32\n");

    // Unchanged files are not reported again; a changed input is.
    const again = await sandbox.execute("files", "open('/mnt/data/sales.csv', 'a').write('east,1\\n')", {
      files: [{ name: "sales.csv", path: blob }],
    });
    expect(again.files.map((f) => f.name)).toEqual(["sales.csv"]);
  });

  it("places input files under their bare name only", async () => {
    const blob = path.join(tmp, "blob-name");
    fs.writeFileSync(blob, "x");
    const r = await sandbox.execute("names", "import os; print(sorted(os.listdir('/mnt/data')))", {
      files: [
        { name: "../../escape.txt", path: blob },
        { name: "dir/inner.txt", path: blob },
        { name: "..", path: blob },
      ],
    });
    expect(r.logs).toMatch(/^\['escape\.txt', 'inner\.txt'\]\n/);
    expect(r.logs).toContain("[input file skipped: unusable name]");
    expect(fs.existsSync(path.join(tmp, "escape.txt"))).toBe(false);
  });

  it("never writes an input file through a symlink the code left under the same name", async () => {
    const victim = path.join(tmp, "victim.txt");
    fs.writeFileSync(victim, "untouched");
    const blob = path.join(tmp, "blob-link");
    fs.writeFileSync(blob, "the input");
    // The symlink points at a host path; followed by the host, it would overwrite the victim.
    const link = await sandbox.execute(
      "links",
      `import os; os.symlink(${JSON.stringify(victim)}, '/mnt/data/in.txt')`,
    );
    expect(link.error).toBeNull();
    const r = await sandbox.execute("links", "print(open('/mnt/data/in.txt').read())", {
      files: [{ name: "in.txt", path: blob }],
    });
    expect(r.logs).toBe("the input\n");
    expect(fs.readFileSync(victim, "utf8")).toBe("untouched");
  });

  it("reports an exception with its traceback, keeps the logs, and the next execution works", async () => {
    const r = await sandbox.execute(
      "errors",
      "print('before')\ndef divide(a, b):\n    return a / b\nkept = 1\ndivide(1, 0)\nprint('after')",
    );
    expect(r.logs).toBe("before\n");
    expect(r.error).toMatchObject({
      kind: "exception",
      name: "ZeroDivisionError",
      message: "division by zero",
    });
    const tb = (r.error as { traceback: string }).traceback;
    expect(tb).toMatch(/^Traceback \(most recent call last\):\n {2}File "<cell \d+>", line 5, in <module>\n/);
    expect(tb).toContain("line 3, in divide\n    return a / b");
    expect(tb).not.toMatch(/kernel|exec\(compile/);
    const next = await sandbox.execute("errors", "print(kept + 1)");
    expect(next).toMatchObject({ logs: "2\n", error: null });
  });

  it("reports a syntax error with the line and no kernel frames", async () => {
    const r = await sandbox.execute("syntax", "x = 1\ny = (\n");
    expect(r.error).toMatchObject({ kind: "exception", name: "SyntaxError" });
    const tb = (r.error as { traceback: string }).traceback;
    expect(tb).toMatch(/File "<cell \d+>", line 2/);
    expect(tb).not.toContain("Traceback");
  });

  it("cuts output at the limit and says so", async () => {
    const r = await sandbox.execute("big-output", "print('a' * 200_000)\nprint('end')");
    expect(r.error).toBeNull();
    expect(r.logsTruncated).toBe(true);
    expect(r.logs.length).toBe(64 * 1024);
    expect(r.logs).toMatch(/^a+$/);
    const next = await sandbox.execute("big-output", "print('small')");
    expect(next).toMatchObject({ logs: "small\n", logsTruncated: false });
  });

  it("runs executions of one session one after another", async () => {
    const results = await Promise.all([
      sandbox.execute("queue", "import time\norder = ['first']\ntime.sleep(0.3)"),
      sandbox.execute("queue", "order.append('second')\nprint(order)"),
    ]);
    expect(results[1]).toMatchObject({ logs: "['first', 'second']\n", error: null });
  });
});
