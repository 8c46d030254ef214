/**
 * createSandbox: which backend each configuration gets, and what an off sandbox answers.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureSessionsSandbox, createSandbox, OffSandbox, PythonSandbox } from "@/lib/engine/sandbox";
import type { CodeSandbox } from "@/lib/engine/sandbox/types";

let tmp: string;
const made: CodeSandbox[] = [];
const create = (config: Parameters<typeof createSandbox>[0]) => {
  const sandbox = createSandbox(config);
  made.push(sandbox);
  return sandbox;
};
const azureOptions = {
  poolManagementEndpoint: "http://127.0.0.1:9/subscriptions/s/resourceGroups/g/sessionPools/pool-a",
  getToken: async () => "token",
};

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-factory-"));
  fs.chmodSync(tmp, 0o711);
});

afterAll(async () => {
  await Promise.all(made.map((s) => s.close()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("createSandbox", () => {
  it("off: says so, and executions are unavailable", async () => {
    const sandbox = create({ backend: "off" });
    expect(sandbox).toBeInstanceOf(OffSandbox);
    expect(sandbox.status()).toMatchObject({ kind: "off", available: false });
    expect(await sandbox.execute("t", "print(1)")).toMatchObject({
      logs: "",
      error: { kind: "unavailable", message: sandbox.status().description },
    });
  });

  it("python: the local backend, running code", async () => {
    const sandbox = create({ backend: "python", python: { workDir: tmp } });
    expect(sandbox).toBeInstanceOf(PythonSandbox);
    expect(await sandbox.execute("t", "print(6 * 7)")).toMatchObject({ logs: "42\n", error: null });
  });

  it("auto: the local backend when it can run isolated, else off with its reason", () => {
    expect(create({ python: { workDir: tmp } })).toBeInstanceOf(PythonSandbox);
    const off = create({ python: { workDir: tmp, bwrapPath: path.join(tmp, "missing-bwrap") } });
    expect(off).toBeInstanceOf(OffSandbox);
    expect(off.status().description).toBe("off: bwrap not found: install bubblewrap");
  });

  it("azure-sessions (and auto with its options): the Azure backend; misconfigured is off", () => {
    expect(create({ backend: "azure-sessions", azureSessions: azureOptions })).toBeInstanceOf(
      AzureSessionsSandbox,
    );
    expect(create({ azureSessions: azureOptions }).status()).toMatchObject({ kind: "azure-sessions" });
    expect(create({ backend: "azure-sessions" }).status()).toMatchObject({
      kind: "off",
      description: "off: azure-sessions needs a pool management endpoint",
    });
    const plainHttp = create({
      backend: "azure-sessions",
      azureSessions: { ...azureOptions, poolManagementEndpoint: "http://example.com/sessionPools/p" },
    });
    expect(plainHttp.status().description).toMatch(/^off: azure-sessions is misconfigured: /);
  });
});
