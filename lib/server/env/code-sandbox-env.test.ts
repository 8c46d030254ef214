import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, type ServerEnv } from "../env-schema";
import { checkStartup } from "../startup";

const cwd = "/srv/playground";
const POOL = "https://westeurope.dynamicsessions.io/subscriptions/s/resourceGroups/rg/sessionPools/pool-1";

function sandboxOf(env: ServerEnv, name = "local") {
  const c = env.connections.find((x) => x.name === name);
  if (!c || c.kind !== "local") throw new Error(`no local connection ${name}`);
  return c.codeSandbox;
}

function problems(source: Record<string, string>): string {
  try {
    parseEnv(source, cwd);
  } catch (err) {
    if (err instanceof EnvError) return err.message;
    throw err;
  }
  throw new Error("parseEnv accepted it");
}

describe("ENGINE_CODE_SANDBOX*", () => {
  it("with nothing set: auto, idle sessions end after an hour, backend defaults elsewhere", () => {
    const env = parseEnv({}, cwd);
    expect(env.engineCodeSandbox).toEqual({
      backend: "auto",
      pythonPath: null,
      timeoutSeconds: null,
      memoryMb: null,
      idleMinutes: 60,
      unsafeNoIsolation: false,
      poolEndpoint: null,
    });
    expect(sandboxOf(env)).toEqual(env.engineCodeSandbox);
  });

  it("reads the local Python backend's settings; empty strings count as unset", () => {
    const env = parseEnv(
      {
        ENGINE_CODE_SANDBOX: "python",
        ENGINE_CODE_SANDBOX_PYTHON: "/opt/venv/bin/python3",
        ENGINE_CODE_SANDBOX_TIMEOUT_SECONDS: "30",
        ENGINE_CODE_SANDBOX_MEMORY_MB: "1024",
        ENGINE_CODE_SANDBOX_IDLE_MINUTES: "",
        ENGINE_CODE_SANDBOX_POOL_ENDPOINT: " ",
      },
      cwd,
    );
    expect(sandboxOf(env)).toEqual({
      backend: "python",
      pythonPath: "/opt/venv/bin/python3",
      timeoutSeconds: 30,
      memoryMb: 1024,
      idleMinutes: 60,
      unsafeNoIsolation: false,
      poolEndpoint: null,
    });
  });

  it("reads Azure sessions: the pool endpoint without a trailing slash; auto with a pool is Azure", () => {
    const env = parseEnv(
      {
        ENGINE_CODE_SANDBOX: "azure-sessions",
        ENGINE_CODE_SANDBOX_POOL_ENDPOINT: `${POOL}/`,
        ENGINE_CODE_SANDBOX_IDLE_MINUTES: "15",
      },
      cwd,
    );
    expect(sandboxOf(env)).toMatchObject({ backend: "azure-sessions", poolEndpoint: POOL, idleMinutes: 15 });
    expect(parseEnv({ ENGINE_CODE_SANDBOX_POOL_ENDPOINT: POOL }, cwd).engineCodeSandbox).toMatchObject({
      backend: "auto",
      poolEndpoint: POOL,
    });
  });

  it.each([
    [{ ENGINE_CODE_SANDBOX: "docker" }, "ENGINE_CODE_SANDBOX"],
    [{ ENGINE_CODE_SANDBOX_PYTHON: "python3" }, "ENGINE_CODE_SANDBOX_PYTHON must be an absolute path"],
    [
      { ENGINE_CODE_SANDBOX_TIMEOUT_SECONDS: "1.5" },
      "ENGINE_CODE_SANDBOX_TIMEOUT_SECONDS must be a whole number",
    ],
    [{ ENGINE_CODE_SANDBOX_TIMEOUT_SECONDS: "0" }, "ENGINE_CODE_SANDBOX_TIMEOUT_SECONDS must be at least 1"],
    [{ ENGINE_CODE_SANDBOX_MEMORY_MB: "64" }, "ENGINE_CODE_SANDBOX_MEMORY_MB must be at least 256"],
    [{ ENGINE_CODE_SANDBOX_IDLE_MINUTES: "abc" }, "ENGINE_CODE_SANDBOX_IDLE_MINUTES must be a whole number"],
    [
      { ENGINE_CODE_SANDBOX_UNSAFE_NO_ISOLATION: "yes" },
      'ENGINE_CODE_SANDBOX_UNSAFE_NO_ISOLATION must be "true"',
    ],
    [
      { ENGINE_CODE_SANDBOX_UNSAFE_NO_ISOLATION: "true" },
      "ENGINE_CODE_SANDBOX_UNSAFE_NO_ISOLATION only applies with ENGINE_CODE_SANDBOX=python",
    ],
    [
      { ENGINE_CODE_SANDBOX: "azure-sessions" },
      "ENGINE_CODE_SANDBOX_POOL_ENDPOINT is required with ENGINE_CODE_SANDBOX=azure-sessions",
    ],
    [
      { ENGINE_CODE_SANDBOX_POOL_ENDPOINT: "http://pool.example.com/sessionPools/p" },
      "ENGINE_CODE_SANDBOX_POOL_ENDPOINT must be an https URL",
    ],
    [
      { ENGINE_CODE_SANDBOX: "off", ENGINE_CODE_SANDBOX_POOL_ENDPOINT: POOL },
      "ENGINE_CODE_SANDBOX_POOL_ENDPOINT is set but ENGINE_CODE_SANDBOX is off",
    ],
    [
      { ENGINE_CODE_SANDBOX_POOL_ENDPOINT: POOL, ENGINE_CODE_SANDBOX_MEMORY_MB: "1024" },
      "ENGINE_CODE_SANDBOX_MEMORY_MB applies to the local Python backend",
    ],
    [
      { ENGINE_CODE_SANDBOX_POOL_ENDPOINT: POOL, ENGINE_CODE_SANDBOX_TIMEOUT_SECONDS: "600" },
      "ENGINE_CODE_SANDBOX_TIMEOUT_SECONDS must be at most 220 with azure-sessions",
    ],
  ])("refuses %j, naming the variable", (source, expected) => {
    expect(problems(source)).toContain(expected);
  });

  it("never echoes a value it refuses", () => {
    const message = problems({
      ENGINE_CODE_SANDBOX_POOL_ENDPOINT: "https://user:s3cret-pw@pool.example.com/p",
      ENGINE_CODE_SANDBOX_PYTHON: "relative/s3cret-path",
    });
    expect(message).toContain("ENGINE_CODE_SANDBOX_POOL_ENDPOINT");
    expect(message).toContain("ENGINE_CODE_SANDBOX_PYTHON");
    expect(message).not.toContain("s3cret");
  });

  it("reports every problem at once", () => {
    const message = problems({ ENGINE_CODE_SANDBOX: "bogus", ENGINE_CODE_SANDBOX_MEMORY_MB: "1" });
    expect(message).toContain("ENGINE_CODE_SANDBOX ");
    expect(message).toContain("ENGINE_CODE_SANDBOX_MEMORY_MB");
  });
});

describe("a local connection's own codeSandbox", () => {
  const connections = (list: unknown[]) => ({ PLAYGROUND_CONNECTIONS: JSON.stringify(list) });

  it("replaces the ENGINE_CODE_SANDBOX* settings for that connection; others inherit them", () => {
    const env = parseEnv(
      {
        ENGINE_CODE_SANDBOX: "python",
        ENGINE_CODE_SANDBOX_TIMEOUT_SECONDS: "30",
        ...connections([
          { name: "cloud", kind: "local", codeSandbox: { backend: "azure-sessions", poolEndpoint: POOL } },
          { name: "plain", kind: "local" },
          { name: "none", kind: "local", codeSandbox: { backend: "off" } },
        ]),
      },
      cwd,
    );
    expect(sandboxOf(env, "cloud")).toMatchObject({
      backend: "azure-sessions",
      poolEndpoint: POOL,
      timeoutSeconds: null,
    });
    expect(sandboxOf(env, "plain")).toMatchObject({ backend: "python", timeoutSeconds: 30 });
    expect(sandboxOf(env, "none")).toMatchObject({ backend: "off" });
    expect(sandboxOf(env, "local")).toMatchObject({ backend: "python", timeoutSeconds: 30 });
  });

  it.each([
    [
      { backend: "python", memoryMb: 10 },
      "PLAYGROUND_CONNECTIONS[0].codeSandbox.memoryMb must be at least 256",
    ],
    [{ backend: "python", pythonPath: "/usr/bin/python3" }, "PLAYGROUND_CONNECTIONS[0].codeSandbox"],
    [{ backend: "azure-sessions" }, "PLAYGROUND_CONNECTIONS[0].codeSandbox.poolEndpoint is required"],
    [
      { backend: "auto", unsafeNoIsolation: true },
      "PLAYGROUND_CONNECTIONS[0].codeSandbox.unsafeNoIsolation only applies with PLAYGROUND_CONNECTIONS[0].codeSandbox.backend=python",
    ],
    [
      { backend: "python", python: "python3" },
      "PLAYGROUND_CONNECTIONS[0].codeSandbox.python must be an absolute path",
    ],
  ])("refuses %j, naming the field", (codeSandbox, expected) => {
    expect(problems(connections([{ name: "eng", kind: "local", codeSandbox }]))).toContain(expected);
  });
});

describe("the unisolated opt-in", () => {
  it("is accepted with the python backend and warned about loudly at start-up", () => {
    const source = { ENGINE_CODE_SANDBOX: "python", ENGINE_CODE_SANDBOX_UNSAFE_NO_ISOLATION: "true" };
    expect(sandboxOf(parseEnv(source, cwd))).toMatchObject({ backend: "python", unsafeNoIsolation: true });
    const verdict = checkStartup(source);
    expect(verdict.ok).toBe(true);
    expect(verdict.ok && verdict.notice).toMatch(
      /WARNING: code interpreter runs WITHOUT ISOLATION on "local"/,
    );
    const quiet = checkStartup({});
    expect(quiet.ok && quiet.notice).not.toMatch(/WITHOUT ISOLATION/);
  });
});
