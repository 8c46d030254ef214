import { afterEach, describe, expect, it, vi } from "vitest";
import { checkStartup, enforceStartup } from "./startup";

const azure = {
  AZURE_OPENAI_ENDPOINT: "https://myres.openai.azure.com",
  AZURE_OPENAI_API_KEY: "the-secret-key",
};
const PASSWORD = "correct horse battery staple";

describe("never an open server", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("a production server without sign-in refuses, whatever its connections, and says what to set", () => {
    for (const env of [{ NODE_ENV: "production" }, { NODE_ENV: "production", ...azure }]) {
      const verdict = checkStartup(env);
      expect(verdict.ok).toBe(false);
      if (verdict.ok) return;
      expect(verdict.message).toContain("PLAYGROUND_PASSWORD");
      expect(verdict.message).toContain("PLAYGROUND_TRUST_SWA_AUTH=true");
      expect(verdict.message).toContain("PLAYGROUND_PUBLIC=true");
      expect(verdict.message).not.toContain("the-secret-key");
    }
    expect(checkStartup({ NODE_ENV: "production", PLAYGROUND_PUBLIC: "false" }).ok).toBe(false);
  });

  it("a production server starts with a password, a trusted SWA, or declared public", () => {
    for (const extra of [
      { PLAYGROUND_PASSWORD: PASSWORD },
      { PLAYGROUND_TRUST_SWA_AUTH: "true" },
      { PLAYGROUND_PUBLIC: "true" },
    ]) {
      const verdict = checkStartup({ NODE_ENV: "production", ...azure, ...extra });
      expect(verdict).toMatchObject({ ok: true });
      expect(JSON.stringify(verdict)).not.toContain(PASSWORD);
      expect(JSON.stringify(verdict)).not.toContain("the-secret-key");
    }
  });

  it("development starts without sign-in; the notice says which sign-in applies", () => {
    const dev = checkStartup({ NODE_ENV: "development", ...azure });
    expect(dev).toMatchObject({ ok: true });
    expect(dev.ok && dev.notice).toContain("No sign-in");
    const withPassword = checkStartup({ NODE_ENV: "development", PLAYGROUND_PASSWORD: PASSWORD });
    expect(withPassword.ok && withPassword.notice).toContain("Sign-in required: password");
  });

  it("warns about a short password and about missing PLAYGROUND_ORIGINS in production", () => {
    const verdict = checkStartup({ NODE_ENV: "production", PLAYGROUND_PASSWORD: "short" });
    expect(verdict.ok && verdict.notice).toContain("shorter than 12 characters");
    expect(verdict.ok && verdict.notice).toContain("PLAYGROUND_ORIGINS");
    expect(verdict.ok && verdict.notice).not.toContain("short.");
    const configured = checkStartup({
      NODE_ENV: "production",
      PLAYGROUND_PASSWORD: PASSWORD,
      PLAYGROUND_ORIGINS: "https://play.example.com",
    });
    expect(configured.ok && configured.notice).not.toContain("PLAYGROUND_ORIGINS");
  });

  it("an invalid environment refuses with the reason, naming the variable and never its value", () => {
    const verdict = checkStartup({
      NODE_ENV: "development",
      AZURE_OPENAI_ENDPOINT: "https://myres.openai.azure.com",
    });
    expect(verdict).toMatchObject({ ok: false });
    expect(!verdict.ok && verdict.message).toContain("AZURE_OPENAI_API_KEY is not set");
    const origins = checkStartup({
      NODE_ENV: "development",
      PLAYGROUND_ORIGINS: "https://ok.example.com,secret-path/x",
    });
    expect(!origins.ok && origins.message).toContain("PLAYGROUND_ORIGINS");
    expect(!origins.ok && origins.message).not.toContain("secret-path");
    const secret = checkStartup({ NODE_ENV: "development", PLAYGROUND_SESSION_SECRET: "too-short-secret" });
    expect(!secret.ok && secret.message).toContain("PLAYGROUND_SESSION_SECRET");
    expect(!secret.ok && secret.message).not.toContain("too-short-secret");
  });

  it("enforceStartup exits non-zero with the message; otherwise logs and returns", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    enforceStartup({ NODE_ENV: "production" });
    expect(exit).toHaveBeenCalledWith(1);
    expect(String(error.mock.calls[0]?.[0])).toContain("PLAYGROUND_PASSWORD");
    exit.mockClear();
    enforceStartup({ NODE_ENV: "production", PLAYGROUND_PUBLIC: "true" });
    expect(exit).not.toHaveBeenCalled();
    expect(String(log.mock.calls[0]?.[0])).toContain("local engine only");
  });

  it("instrumentation's register() applies the gate under the Node runtime only", async () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "log").mockImplementation(() => {});
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("PLAYGROUND_PUBLIC", "");
    vi.stubEnv("PLAYGROUND_PASSWORD", "");
    vi.stubEnv("PLAYGROUND_TRUST_SWA_AUTH", "");
    const { register } = await import("@/instrumentation");
    vi.stubEnv("NEXT_RUNTIME", "edge");
    await register();
    expect(exit).not.toHaveBeenCalled();
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    await register();
    expect(exit).toHaveBeenCalledWith(1);
  });
});
