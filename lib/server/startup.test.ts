import { afterEach, describe, expect, it, vi } from "vitest";
import { checkStartup, enforceStartup } from "./startup";

const azure = {
  AZURE_OPENAI_ENDPOINT: "https://myres.openai.azure.com",
  AZURE_OPENAI_API_KEY: "the-secret-key",
};

describe("never an open relay", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("a production server with a real connection refuses unless PLAYGROUND_PUBLIC=true", () => {
    const verdict = checkStartup({ NODE_ENV: "production", ...azure });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.message).toContain("PLAYGROUND_PUBLIC=true");
    expect(verdict.message).toContain("myres.openai.azure.com");
    expect(verdict.message).not.toContain("the-secret-key");
    expect(checkStartup({ NODE_ENV: "production", ...azure, PLAYGROUND_PUBLIC: "false" }).ok).toBe(false);
    expect(checkStartup({ NODE_ENV: "production", ...azure, PLAYGROUND_PUBLIC: "true" }).ok).toBe(true);
  });

  it("local-only always starts; development with a real connection starts", () => {
    expect(checkStartup({ NODE_ENV: "production" }).ok).toBe(true);
    expect(
      checkStartup({ NODE_ENV: "production", AZURE_OPENAI_ENDPOINT: "", AZURE_OPENAI_API_KEY: "" }).ok,
    ).toBe(true);
    expect(checkStartup({ NODE_ENV: "development", ...azure }).ok).toBe(true);
  });

  it("an invalid environment refuses with the reason", () => {
    const verdict = checkStartup({
      NODE_ENV: "development",
      AZURE_OPENAI_ENDPOINT: "https://myres.openai.azure.com",
    });
    expect(verdict).toMatchObject({ ok: false });
    expect(!verdict.ok && verdict.message).toContain("AZURE_OPENAI_API_KEY is not set");
  });

  it("enforceStartup exits non-zero with the message; otherwise logs and returns", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    enforceStartup({ NODE_ENV: "production", ...azure });
    expect(exit).toHaveBeenCalledWith(1);
    expect(String(error.mock.calls[0]?.[0])).toContain("PLAYGROUND_PUBLIC=true");
    exit.mockClear();
    enforceStartup({ NODE_ENV: "production" });
    expect(exit).not.toHaveBeenCalled();
    expect(String(log.mock.calls[0]?.[0])).toContain("local engine only");
  });

  it("instrumentation's register() applies the gate under the Node runtime only", async () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "log").mockImplementation(() => {});
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("AZURE_OPENAI_ENDPOINT", azure.AZURE_OPENAI_ENDPOINT);
    vi.stubEnv("AZURE_OPENAI_API_KEY", azure.AZURE_OPENAI_API_KEY);
    vi.stubEnv("PLAYGROUND_PUBLIC", "");
    const { register } = await import("@/instrumentation");
    vi.stubEnv("NEXT_RUNTIME", "edge");
    await register();
    expect(exit).not.toHaveBeenCalled();
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    await register();
    expect(exit).toHaveBeenCalledWith(1);
  });
});
