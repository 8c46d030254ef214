import { hkdfSync, scryptSync } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildPolicy, SESSION_SCRYPT } from "@/lib/server/auth/policy";
import { parseEnv } from "@/lib/server/env-schema";

const policy = (env: Record<string, string>) => buildPolicy(parseEnv(env, "/srv/app"), env);

describe("who must sign in", () => {
  it("production: always, unless PLAYGROUND_PUBLIC=true; development: when a sign-in is configured", () => {
    expect(policy({ NODE_ENV: "production" }).signInRequired).toBe(true);
    expect(policy({ NODE_ENV: "production", PLAYGROUND_PASSWORD: "x".repeat(16) }).signInRequired).toBe(true);
    expect(policy({ NODE_ENV: "production", PLAYGROUND_PUBLIC: "true" }).signInRequired).toBe(false);
    expect(policy({ NODE_ENV: "development" }).signInRequired).toBe(false);
    expect(policy({ NODE_ENV: "development", PLAYGROUND_PASSWORD: "x".repeat(16) }).signInRequired).toBe(
      true,
    );
    expect(policy({ NODE_ENV: "development", PLAYGROUND_TRUST_SWA_AUTH: "true" }).signInRequired).toBe(true);
  });

  it("keeps tokens beside the engine's data unless PLAYGROUND_DATA_DIR says otherwise", () => {
    expect(policy({}).dataDir).toBe(path.resolve("/srv/app/.data"));
    expect(policy({ ENGINE_DATA_DIR: "/var/lib/pg/engine" }).dataDir).toBe("/var/lib/pg");
    expect(policy({ PLAYGROUND_DATA_DIR: "/var/lib/tokens" }).dataDir).toBe("/var/lib/tokens");
  });

  it("answers for PLAYGROUND_ORIGINS and the platform's own names", () => {
    const p = policy({
      PLAYGROUND_ORIGINS: "https://Play.Example.com, http://10.0.0.5:8080/",
      WEBSITE_HOSTNAME: "myplay.azurewebsites.net",
      VERCEL_URL: "myplay-abc.vercel.app",
    });
    expect([...p.hosts].sort()).toEqual([
      "10.0.0.5:8080",
      "myplay-abc.vercel.app",
      "myplay.azurewebsites.net",
      "play.example.com",
    ]);
  });

  it("signs sessions with a key that changes with the password unless a secret is set", () => {
    const a = policy({ PLAYGROUND_PASSWORD: "first password!" }).sessionKey!;
    const b = policy({ PLAYGROUND_PASSWORD: "second password" }).sessionKey!;
    expect(a.equals(b)).toBe(false);
    const secret = "s".repeat(40);
    const c = policy({
      PLAYGROUND_PASSWORD: "first password!",
      PLAYGROUND_SESSION_SECRET: secret,
    }).sessionKey!;
    const d = policy({
      PLAYGROUND_PASSWORD: "second password",
      PLAYGROUND_SESSION_SECRET: secret,
    }).sessionKey!;
    expect(c.equals(d)).toBe(true);
    expect(policy({ PLAYGROUND_TRUST_SWA_AUTH: "true" }).sessionKey).toBeNull();
  });
});

describe("the session key", () => {
  it("is stretched with scrypt when it comes from the password, so a stolen cookie cannot test guesses cheaply", () => {
    const password = "first password!";
    const key = policy({ PLAYGROUND_PASSWORD: password }).sessionKey!;
    const expected = scryptSync(password, "assistants-playground/session/v1/password", 32, SESSION_SCRYPT);
    expect(key.equals(expected)).toBe(true);
    expect(SESSION_SCRYPT.N * SESSION_SCRYPT.r * 128).toBeGreaterThanOrEqual(32 * 1024 * 1024);
  });

  it("comes from PLAYGROUND_SESSION_SECRET through HKDF-SHA256 when one is set", () => {
    const secret = "s".repeat(40);
    const key = policy({
      PLAYGROUND_PASSWORD: "first password!",
      PLAYGROUND_SESSION_SECRET: secret,
    }).sessionKey!;
    const expected = Buffer.from(
      hkdfSync("sha256", secret, "assistants-playground/session/v1", "session-cookie-mac", 32),
    );
    expect(key.equals(expected)).toBe(true);
  });
});
