import { describe, expect, it } from "vitest";
import { deploymentInfo } from "./deployment";
import { parseEnv } from "./env-schema";

const MB = 1024 * 1024;

describe("deploymentInfo", () => {
  it("on a long-lived server: the engine is on and uploads go up to the protocol's 512 MB", () => {
    const info = deploymentInfo(parseEnv({}, "/srv/app"));
    expect(info).toEqual({
      localEngine: "on",
      serverless: null,
      maxUploadBytes: 512 * MB,
      uploadLimitReason: null,
    });
  });

  it("on Vercel: the engine is off, and uploads are capped below the 4.5 MB request limit with the reason", () => {
    const env = parseEnv(
      {
        VERCEL: "1",
        PLAYGROUND_CONNECTIONS:
          '[{"name":"oai","kind":"openai-compatible","baseURL":"https://a.example/v1","apiKey":"k"}]',
      },
      "/srv/app",
    );
    expect(env.connections.map((c) => c.name)).toEqual(["oai"]);
    const info = deploymentInfo(env);
    expect(info.localEngine).toBe("off");
    expect(info.serverless).toBe("Vercel");
    expect(info.maxUploadBytes).toBeLessThan(4.5 * MB);
    expect(info.maxUploadBytes).toBeGreaterThan(4.4 * MB);
    expect(info.uploadLimitReason).toBe("Vercel refuses request bodies over 4.5 MB");
  });

  it("on Vercel with nothing else configured, start-up is refused with a way forward", () => {
    expect(() => parseEnv({ VERCEL: "1" }, "/srv/app")).toThrow(/local engine is off on this host/);
  });

  it("a demo engine on a serverless host runs in a temporary directory", () => {
    const env = parseEnv({ VERCEL: "1", PLAYGROUND_LOCAL_ENGINE: "demo" }, "/srv/app");
    expect(deploymentInfo(env).localEngine).toBe("demo");
    expect(env.engineDataDir).toMatch(/playground-demo-engine$/);
    expect(env.engineDataDir.startsWith("/srv/app")).toBe(false);
  });

  it("PLAYGROUND_MAX_REQUEST_BYTES caps uploads on any host; a cap above 512 MB changes nothing", () => {
    expect(
      deploymentInfo(parseEnv({ PLAYGROUND_MAX_REQUEST_BYTES: String(100 * MB) }, "/srv/app")),
    ).toMatchObject({
      maxUploadBytes: 100 * MB - 16 * 1024,
      uploadLimitReason: "This host refuses request bodies over 100.0 MB",
    });
    expect(
      deploymentInfo(parseEnv({ PLAYGROUND_MAX_REQUEST_BYTES: String(600 * MB) }, "/srv/app")),
    ).toMatchObject({
      maxUploadBytes: 512 * MB,
      uploadLimitReason: null,
    });
  });
});
