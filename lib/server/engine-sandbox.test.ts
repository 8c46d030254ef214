// lib/server/engine.ts: each local connection's code sandbox, made from its configuration, probed
// once, handed to its engine (whose health reports it), and Azure sessions authenticated with the
// server's Entra credential for the dynamic-sessions scope.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startFakeSessionPool, type FakeSessionPool } from "@/tests/sandbox/fake-session-pool";
import { SANDBOX_OFF, type CodeSandboxConfig } from "./env/code-sandbox-env";

type EngineModule = typeof import("./engine");
type EntraModule = typeof import("./entra");

let dir: string;
let engineModule: EngineModule;
let entra: EntraModule;
let pool: FakeSessionPool | null = null;

beforeEach(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "engine-sandbox-server-test-"));
  vi.resetModules();
  engineModule = await import("./engine");
  entra = await import("./entra");
});

afterEach(async () => {
  await engineModule.closeEngine();
  entra.setEntraCredentialForTests(undefined);
  await pool?.close();
  pool = null;
  await fs.promises.rm(dir, { recursive: true, force: true });
});

function local(name: string, codeSandbox: CodeSandboxConfig | undefined) {
  return {
    name,
    kind: "local" as const,
    label: null,
    model: { kind: "scripted" as const },
    dataDir: path.join(dir, name),
    ...(codeSandbox ? { codeSandbox } : {}),
  };
}

async function health(name: string, codeSandbox: CodeSandboxConfig | undefined) {
  const engine = engineModule.getEngineFor(local(name, codeSandbox));
  const res = await engine.fetch(new Request("http://engine.test/_engine/health"));
  return ((await res.json()) as { codeSandbox: unknown }).codeSandbox;
}

describe("a local connection's code sandbox", () => {
  it("python: isolated, probed once, the same sandbox the engine runs code in", async () => {
    const config = local("py", { ...SANDBOX_OFF, backend: "python", timeoutSeconds: 20 });
    const status = engineModule.codeSandboxStatus(config);
    expect(status).toMatchObject({ kind: "python", available: true });
    expect(status.description).toMatch(/^Python 3\.\d+, isolated .*no network/);
    // Cached: the probe (a sandboxed python3 started synchronously) does not run again.
    expect(engineModule.codeSandboxStatus(config)).toBe(status);
    expect(engineModule.codeSandboxFor(config)).toBe(engineModule.codeSandboxFor(config));
    expect(await health("py", config.codeSandbox)).toEqual(status);
    const ran = await engineModule.codeSandboxFor(config).execute("thread_a", "print(6 * 7)");
    expect(ran).toMatchObject({ logs: "42\n", error: null });
  });

  it("off, or no configuration at all: off, saying so, and nothing runs", async () => {
    expect(engineModule.codeSandboxStatus(local("none", undefined))).toEqual({
      kind: "off",
      available: false,
      description: "off: turned off in this server's configuration",
    });
    expect(await health("off", SANDBOX_OFF)).toMatchObject({ kind: "off", available: false });
    const ran = await engineModule.codeSandboxFor(local("off", SANDBOX_OFF)).execute("t", "print(1)");
    expect(ran.error).toMatchObject({ kind: "unavailable" });
  });

  it("auto or python without a usable interpreter: off with the reason, never a crash", () => {
    const missing = { ...SANDBOX_OFF, pythonPath: path.join(dir, "no-such-python3") };
    for (const backend of ["auto", "python"] as const) {
      const status = engineModule.codeSandboxStatus(local(`missing-${backend}`, { ...missing, backend }));
      expect(status).toMatchObject({ kind: "off", available: false });
      expect(status.description).toMatch(/^off: .*python/i);
      expect(status.description).not.toContain(dir);
    }
  });

  it("maps the settings onto the backends' options", () => {
    const config = engineModule.sandboxConfigFor({
      backend: "auto",
      pythonPath: "/opt/py/bin/python3",
      timeoutSeconds: 30,
      memoryMb: 512,
      idleMinutes: 5,
      unsafeNoIsolation: false,
      poolEndpoint: "https://p.dynamicsessions.io/subscriptions/s/resourceGroups/r/sessionPools/p",
    });
    expect(config.python).toEqual({
      pythonPath: "/opt/py/bin/python3",
      timeoutMs: 30_000,
      memoryBytes: 512 * 2 ** 20,
      idleTimeoutMs: 300_000,
      unsafeNoIsolation: false,
    });
    expect(config.azureSessions).toMatchObject({
      poolManagementEndpoint: "https://p.dynamicsessions.io/subscriptions/s/resourceGroups/r/sessionPools/p",
      timeoutMs: 30_000,
      idleExpiryMs: 300_000,
    });
    expect(
      engineModule.sandboxConfigFor({ ...SANDBOX_OFF, backend: "python" }).azureSessions,
    ).toBeUndefined();
  });

  it("azure-sessions: the pool is called with the server's Entra token for https://dynamicsessions.io/.default", async () => {
    pool = await startFakeSessionPool({ poolName: "pool-e2e", tokens: ["entra-token-1"] });
    const scopes: string[] = [];
    entra.setEntraCredentialForTests({
      getToken: async (scope: string | string[]) => {
        scopes.push(...[scope].flat());
        return { token: "entra-token-1", expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    });
    const config = local("cloud", { ...SANDBOX_OFF, backend: "azure-sessions", poolEndpoint: pool.endpoint });
    expect(engineModule.codeSandboxStatus(config)).toEqual({
      kind: "azure-sessions",
      available: true,
      description: expect.stringContaining("pool-e2e"),
    });
    const ran = await engineModule.codeSandboxFor(config).execute("thread_z", "print('hello')");
    expect(ran.error).toBeNull();
    expect(ran.logs).toContain("hello");
    expect(scopes).toEqual(["https://dynamicsessions.io/.default"]);
    expect(pool.requests.length).toBeGreaterThan(0);
    expect(pool.requests.every((r) => r.authorization === "Bearer entra-token-1")).toBe(true);
  });

  it("closeEngine closes sandboxes made for the connection list whose engine never started", async () => {
    const config = local("listed", { ...SANDBOX_OFF, backend: "python" });
    const sandbox = engineModule.codeSandboxFor(config);
    await sandbox.execute("thread_l", "x = 1");
    await engineModule.closeEngine();
    const after = await sandbox.execute("thread_l", "print(x)");
    expect(after.error).toMatchObject({ kind: "unavailable", message: "the sandbox is closed" });
    expect(engineModule.codeSandboxFor(config)).not.toBe(sandbox);
  });
});
