import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, type ServerEnv } from "./env-schema";

/** The foundation's single Azure connection, in the shape its tests were written against. */
function azureOf(env: ServerEnv) {
  const c = env.connections.find((x) => x.name === "azure");
  if (!c || c.kind !== "azure-openai") return null;
  return { endpoint: c.endpoint, apiKey: c.apiKey, apiVersion: c.apiVersion, deployments: c.deployments };
}

const cwd = "/srv/playground";

describe("parseEnv", () => {
  it("with nothing set: local engine only, data under the project", () => {
    const env = parseEnv({}, cwd);
    expect(azureOf(env)).toBeNull();
    expect(env.connections.map((c) => c.name)).toEqual(["local"]);
    expect(env.engineDataDir).toBe(path.join(cwd, ".data", "engine"));
    expect(env.playgroundPublic).toBe(false);
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
    expect(azureOf(env)).toBeNull();
    expect(env.connections.map((c) => c.name)).toEqual(["local"]);
    expect(env.engineDataDir).toBe(path.join(cwd, ".data", "engine"));
    expect(env.playgroundPublic).toBe(false);
  });

  it("reads an Azure connection, normalising the endpoint, defaulting the api-version", () => {
    const env = parseEnv(
      { AZURE_OPENAI_ENDPOINT: "https://myres.openai.azure.com/openai/", AZURE_OPENAI_API_KEY: "k" },
      cwd,
    );
    expect(azureOf(env)).toEqual({
      endpoint: "https://myres.openai.azure.com",
      apiKey: "k",
      apiVersion: "2024-05-01-preview",
      deployments: [],
    });
    expect(
      azureOf(
        parseEnv(
          {
            AZURE_OPENAI_ENDPOINT: "https://x.example/",
            AZURE_OPENAI_API_KEY: "k",
            AZURE_OPENAI_API_VERSION: "2024-10-01-preview",
          },
          cwd,
        ),
      )?.apiVersion,
    ).toBe("2024-10-01-preview");
  });

  it("reads AZURE_OPENAI_DEPLOYMENTS as a list, and explains a malformed one", () => {
    const base = { AZURE_OPENAI_ENDPOINT: "https://x.example", AZURE_OPENAI_API_KEY: "k" };
    expect(
      azureOf(parseEnv({ ...base, AZURE_OPENAI_DEPLOYMENTS: "gpt-4o, gpt-4o-mini" }, cwd))?.deployments,
    ).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect(() => parseEnv({ ...base, AZURE_OPENAI_DEPLOYMENTS: "gpt 4o;x" }, cwd)).toThrow(
      /AZURE_OPENAI_DEPLOYMENTS must be a comma-separated list/,
    );
  });

  it("allows plain http only to this machine", () => {
    for (const endpoint of ["http://127.0.0.1:8080", "http://localhost:1234/gw", "http://[::1]:9"]) {
      expect(
        azureOf(parseEnv({ AZURE_OPENAI_ENDPOINT: endpoint, AZURE_OPENAI_API_KEY: "k" }, cwd))?.endpoint,
      ).toBe(endpoint.replace(/\/$/, ""));
    }
  });

  it("resolves ENGINE_DATA_DIR against the working directory; reads PLAYGROUND_PUBLIC", () => {
    const env = parseEnv({ ENGINE_DATA_DIR: "state/engine", PLAYGROUND_PUBLIC: "TRUE" }, cwd);
    expect(env.engineDataDir).toBe(path.join(cwd, "state", "engine"));
    expect(env.playgroundPublic).toBe(true);
    expect(parseEnv({ PLAYGROUND_PUBLIC: "false" }, cwd).playgroundPublic).toBe(false);
  });

  it("explains a malformed PLAYGROUND_CONNECTIONS entry by its index", () => {
    expect(() => parseEnv({ PLAYGROUND_CONNECTIONS: '[{"name":"x"}]' }, cwd)).toThrow(/PLAYGROUND_CONNECTIONS\[0\]/);
    expect(() => parseEnv({ PLAYGROUND_CONNECTIONS: "[" }, cwd)).toThrow(/PLAYGROUND_CONNECTIONS is not valid JSON/);
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
      "AZURE_OPENAI_ENDPOINT must be an https URL",
    ],
    [
      { AZURE_OPENAI_ENDPOINT: "https://user:pw@x.example", AZURE_OPENAI_API_KEY: "secret-value-1" },
      "AZURE_OPENAI_ENDPOINT must be an https URL",
    ],
    [
      { AZURE_OPENAI_ENDPOINT: "ftp://x.example", AZURE_OPENAI_API_KEY: "secret-value-1" },
      "AZURE_OPENAI_ENDPOINT must be an https URL",
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
