import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env-schema";

const cwd = "/srv/playground";

describe("parseEnv", () => {
  it("with nothing set: local engine only, data under the project", () => {
    expect(parseEnv({}, cwd)).toEqual({
      azure: null,
      engineDataDir: path.join(cwd, ".data", "engine"),
      playgroundPublic: false,
    });
  });

  it("empty strings count as unset", () => {
    const env = parseEnv(
      {
        AZURE_OPENAI_ENDPOINT: "",
        AZURE_OPENAI_API_KEY: " ",
        AZURE_OPENAI_API_VERSION: "",
        ENGINE_DATA_DIR: "",
        PLAYGROUND_PUBLIC: "",
        PLAYGROUND_CONNECTIONS: "",
      },
      cwd,
    );
    expect(env).toEqual({
      azure: null,
      engineDataDir: path.join(cwd, ".data", "engine"),
      playgroundPublic: false,
    });
  });

  it("reads an Azure connection, normalising the endpoint, defaulting the api-version", () => {
    const env = parseEnv(
      { AZURE_OPENAI_ENDPOINT: "https://myres.openai.azure.com/openai/", AZURE_OPENAI_API_KEY: "k" },
      cwd,
    );
    expect(env.azure).toEqual({
      endpoint: "https://myres.openai.azure.com",
      apiKey: "k",
      apiVersion: "2024-05-01-preview",
      deployments: [],
    });
    expect(
      parseEnv(
        {
          AZURE_OPENAI_ENDPOINT: "https://x.example/",
          AZURE_OPENAI_API_KEY: "k",
          AZURE_OPENAI_API_VERSION: "2024-10-01-preview",
        },
        cwd,
      ).azure?.apiVersion,
    ).toBe("2024-10-01-preview");
  });

  it("reads AZURE_OPENAI_DEPLOYMENTS as a list, and explains a malformed one", () => {
    const base = { AZURE_OPENAI_ENDPOINT: "https://x.example", AZURE_OPENAI_API_KEY: "k" };
    expect(
      parseEnv({ ...base, AZURE_OPENAI_DEPLOYMENTS: "gpt-4o, gpt-4o-mini" }, cwd).azure?.deployments,
    ).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect(() => parseEnv({ ...base, AZURE_OPENAI_DEPLOYMENTS: "gpt 4o;x" }, cwd)).toThrow(
      /AZURE_OPENAI_DEPLOYMENTS must be a comma-separated list/,
    );
  });

  it("allows plain http only to this machine", () => {
    for (const endpoint of ["http://127.0.0.1:8080", "http://localhost:1234/gw", "http://[::1]:9"]) {
      expect(
        parseEnv({ AZURE_OPENAI_ENDPOINT: endpoint, AZURE_OPENAI_API_KEY: "k" }, cwd).azure?.endpoint,
      ).toBe(endpoint.replace(/\/$/, ""));
    }
  });

  it("resolves ENGINE_DATA_DIR against the working directory; reads PLAYGROUND_PUBLIC", () => {
    const env = parseEnv({ ENGINE_DATA_DIR: "state/engine", PLAYGROUND_PUBLIC: "TRUE" }, cwd);
    expect(env.engineDataDir).toBe(path.join(cwd, "state", "engine"));
    expect(env.playgroundPublic).toBe(true);
    expect(parseEnv({ PLAYGROUND_PUBLIC: "false" }, cwd).playgroundPublic).toBe(false);
  });

  it("accepts PLAYGROUND_CONNECTIONS (reserved) without acting on it", () => {
    expect(parseEnv({ PLAYGROUND_CONNECTIONS: '[{"name":"x"}]' }, cwd).azure).toBeNull();
  });

  it.each([
    [
      { AZURE_OPENAI_ENDPOINT: "https://myres.openai.azure.com" },
      "AZURE_OPENAI_API_KEY is not set but AZURE_OPENAI_ENDPOINT is",
    ],
    [
      { AZURE_OPENAI_API_KEY: "secret-value-1" },
      "AZURE_OPENAI_ENDPOINT is not set but AZURE_OPENAI_API_KEY is",
    ],
    [
      { AZURE_OPENAI_ENDPOINT: "myres.openai.azure.com", AZURE_OPENAI_API_KEY: "secret-value-1" },
      "AZURE_OPENAI_ENDPOINT must be the resource's https URL",
    ],
    [
      { AZURE_OPENAI_ENDPOINT: "https://user:pw@x.example", AZURE_OPENAI_API_KEY: "secret-value-1" },
      "AZURE_OPENAI_ENDPOINT must be the resource's https URL",
    ],
    [
      { AZURE_OPENAI_ENDPOINT: "ftp://x.example", AZURE_OPENAI_API_KEY: "secret-value-1" },
      "AZURE_OPENAI_ENDPOINT must be the resource's https URL",
    ],
    [
      { AZURE_OPENAI_ENDPOINT: "http://myres.openai.azure.com", AZURE_OPENAI_API_KEY: "secret-value-1" },
      "http only for localhost",
    ],
    [{ AZURE_OPENAI_API_VERSION: "latest" }, "AZURE_OPENAI_API_VERSION must look like 2024-05-01-preview"],
    [{ PLAYGROUND_PUBLIC: "yes" }, 'PLAYGROUND_PUBLIC must be "true" or "false"'],
  ])("refuses %j with a message saying what to fix, without echoing values", (source, expected) => {
    let error: unknown;
    try {
      parseEnv(source, cwd);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as EnvError).message;
    expect(message).toContain(expected);
    expect(message).not.toContain("secret-value-1");
  });
});
