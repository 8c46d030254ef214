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
    expect(() => parseEnv({ PLAYGROUND_CONNECTIONS: '[{"name":"x"}]' }, cwd)).toThrow(
      /PLAYGROUND_CONNECTIONS\[0\]/,
    );
    expect(() => parseEnv({ PLAYGROUND_CONNECTIONS: "[" }, cwd)).toThrow(
      /PLAYGROUND_CONNECTIONS is not valid JSON/,
    );
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

describe("PLAYGROUND_CONNECTIONS", () => {
  const parse = (list: unknown[], extra: Record<string, string> = {}) =>
    parseEnv({ PLAYGROUND_CONNECTIONS: JSON.stringify(list), ...extra }, cwd);

  it("reads every kind, keys from apiKeyEnv, in order, with the local engine last", () => {
    const env = parse(
      [
        {
          name: "prod",
          kind: "azure-openai",
          endpoint: "https://prod.openai.azure.com/openai/",
          apiKeyEnv: "PROD_KEY",
        },
        {
          name: "mi",
          kind: "azure-openai",
          endpoint: "https://mi.openai.azure.com",
          auth: "entra",
          apiVersion: "2024-10-01-preview",
        },
        {
          name: "agents",
          kind: "foundry-agents",
          endpoint: "https://r.services.ai.azure.com/api/projects/p",
        },
        {
          name: "gw",
          kind: "openai-compatible",
          baseURL: "https://gw.example.com/v1",
          apiKey: "secret-value-1",
        },
      ],
      { PROD_KEY: "secret-value-2" },
    );
    expect(env.connections.map((c) => [c.name, c.kind])).toEqual([
      ["prod", "azure-openai"],
      ["mi", "azure-openai"],
      ["agents", "foundry-agents"],
      ["gw", "openai-compatible"],
      ["local", "local"],
    ]);
    expect(env.connections[0]).toMatchObject({
      endpoint: "https://prod.openai.azure.com",
      apiKey: "secret-value-2",
      apiVersion: "2024-05-01-preview",
    });
    expect(env.connections[1]).toMatchObject({ apiKey: null, apiVersion: "2024-10-01-preview" });
    expect(env.connections[2]).toMatchObject({ apiVersion: "v1" });
    expect(env.connections[3]).toMatchObject({
      baseURL: "https://gw.example.com/v1",
      apiKey: "secret-value-1",
    });
    expect(env.defaultConnection).toBe("prod");
  });

  it.each([
    [[{ name: "user", kind: "local" }], "is reserved"],
    [[{ name: "Prod", kind: "local" }], "lowercase letters"],
    [
      [{ name: "a", kind: "azure-openai", endpoint: "https://a.openai.azure.com", auth: "key" }],
      'is required with auth "key"',
    ],
    [
      [{ name: "a", kind: "azure-openai", endpoint: "https://a.openai.azure.com", apiKeyEnv: "NOPE" }],
      "names NOPE, which is not set",
    ],
    [
      [
        {
          name: "f",
          kind: "foundry-agents",
          endpoint: "https://f.services.ai.azure.com/api/projects/p",
          apiVersion: "2024-05-01-preview",
        },
      ],
      "apiVersion",
    ],
    [
      [
        {
          name: "f",
          kind: "foundry-agents",
          endpoint: "https://f.services.ai.azure.com/api/projects/p",
          apiKey: "secret-value-1",
        },
      ],
      "PLAYGROUND_CONNECTIONS[0]",
    ],
    [
      [{ name: "g", kind: "openai-compatible", baseURL: "http://gw.example.com/v1" }],
      "http only for localhost",
    ],
    [
      [
        { name: "x", kind: "local" },
        { name: "x", kind: "local" },
      ],
      'names the connection "x" twice',
    ],
  ])("refuses %j, naming the entry", (list, expected) => {
    expect(() => parse(list)).toThrow(expected);
    try {
      parse(list);
    } catch (e) {
      expect((e as Error).message).not.toContain("secret-value-1");
    }
  });

  it("PLAYGROUND_DEFAULT_CONNECTION must name a connection", () => {
    expect(() => parse([], { PLAYGROUND_DEFAULT_CONNECTION: "prod" })).toThrow(
      /PLAYGROUND_DEFAULT_CONNECTION names no configured connection \(configured: local\)/,
    );
  });

  it("user connections: off by default; on, with the built-in Azure host patterns plus configured ones", () => {
    expect(parseEnv({}, cwd).userConnections.enabled).toBe(false);
    const env = parseEnv(
      {
        PLAYGROUND_ALLOW_USER_CONNECTIONS: "true",
        PLAYGROUND_USER_CONNECTION_HOSTS: "GW.example.com, *.corp.example",
      },
      cwd,
    );
    expect(env.userConnections).toEqual({
      enabled: true,
      hostPatterns: [
        "*.openai.azure.com",
        "*.cognitiveservices.azure.com",
        "*.services.ai.azure.com",
        "gw.example.com",
        "*.corp.example",
      ],
    });
  });
});
