import { rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildPolicy } from "@/lib/server/auth/policy";
import { AccessTokenStore } from "@/lib/server/auth/tokens";
import { parseEnv } from "@/lib/server/env-schema";

const modeOf = (p: string) => statSync(p).mode & 0o777;
const made = new Set<string>();
afterAll(() => {
  // Only what mkdtemp made for this test: never the shared temporary directory itself.
  for (const dir of made)
    if (path.dirname(dir) === os.tmpdir() && path.basename(dir).startsWith("playground-"))
      rmSync(dir, { recursive: true, force: true });
});

describe("the demo engine's directory", () => {
  it("is private to this server: made by mkdtemp (0700, owned by us), never a fixed shared /tmp path", () => {
    const env = parseEnv({ PLAYGROUND_LOCAL_ENGINE: "demo" }, "/srv/app");
    const tokensDir = buildPolicy(env, {}).dataDir;
    made.add(tokensDir);
    expect(env.engineDataDir).not.toBe(path.join(os.tmpdir(), "playground-demo-engine"));
    expect(tokensDir).not.toBe(os.tmpdir());
    expect(path.dirname(env.engineDataDir)).toBe(tokensDir);
    expect(statSync(tokensDir).uid).toBe(process.getuid!());
    expect(modeOf(tokensDir)).toBe(0o700);
    expect(modeOf(env.engineDataDir)).toBe(0o700);
    // One directory per process: the proxy and the auth routes parse the environment separately.
    expect(parseEnv({ PLAYGROUND_LOCAL_ENGINE: "demo" }, "/srv/app").engineDataDir).toBe(env.engineDataDir);
  });

  it("keeps access tokens in an owner-only file", () => {
    const env = parseEnv({ PLAYGROUND_LOCAL_ENGINE: "demo" }, "/srv/app");
    const store = new AccessTokenStore(buildPolicy(env, {}).dataDir);
    store.create("notebook");
    expect(modeOf(store.file)).toBe(0o600);
    expect(modeOf(path.dirname(store.file))).toBe(0o700);
  });
});
