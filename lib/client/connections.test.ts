import { describe, expect, it } from "vitest";
import { fetchConnections, pickConnection, type PlaygroundConnection } from "./connections";
import { PlaygroundHttpError } from "./errors";

const conn = (name: string, isDefault = false): PlaygroundConnection => ({
  name,
  kind: "local",
  label: name,
  description: "",
  apiVersion: "2024-05-01-preview",
  apiVersions: ["2024-05-01-preview"],
  deployments: ["gpt-4o"],
  default: isDefault,
});

describe("connections", () => {
  it("uses the chosen connection, else the server's default, else the first", () => {
    const list = [conn("a"), conn("b", true), conn("c")];
    expect(pickConnection(list, "c")?.name).toBe("c");
    expect(pickConnection(list, "gone")?.name).toBe("b");
    expect(pickConnection(list, null)?.name).toBe("b");
    expect(pickConnection([conn("x"), conn("y")], null)?.name).toBe("x");
    expect(pickConnection([], null)).toBeNull();
  });

  it("reads the list, filling optional fields", async () => {
    const fetchImpl = (async () =>
      Response.json({
        connections: [
          { name: "local", label: "Local engine — scripted model", apiVersion: "2024-05-01-preview" },
          { bogus: true },
        ],
      })) as typeof fetch;
    expect(await fetchConnections(fetchImpl)).toEqual([
      {
        name: "local",
        kind: "unknown",
        label: "Local engine — scripted model",
        description: "",
        apiVersion: "2024-05-01-preview",
        apiVersions: ["2024-05-01-preview"],
        deployments: [],
        default: false,
        host: null,
        auth: "none",
        listThreads: false,
        codeSandbox: null,
        engineModel: null,
      },
    ]);
  });

  it("reads what runs code on a local connection, and drops a malformed sandbox status", async () => {
    const base = { label: "L", apiVersion: "2024-05-01-preview", kind: "local" };
    const fetchImpl = (async () =>
      Response.json({
        connections: [
          {
            ...base,
            name: "a",
            engineModel: "chat-completions",
            codeSandbox: {
              kind: "python",
              available: true,
              description: "Python 3.11, isolated, no network",
            },
          },
          { ...base, name: "b", engineModel: "gpt-4o", codeSandbox: { kind: "python", available: "yes" } },
        ],
      })) as typeof fetch;
    const [a, b] = await fetchConnections(fetchImpl);
    expect(a).toMatchObject({
      engineModel: "chat-completions",
      codeSandbox: { kind: "python", available: true, description: "Python 3.11, isolated, no network" },
    });
    expect(b).toMatchObject({ engineModel: null, codeSandbox: null });
  });

  it("turns an error body into a typed error with the status", async () => {
    const fetchImpl = (async () =>
      Response.json(
        { error: { code: "unauthorized", message: "Sign in first." } },
        { status: 401 },
      )) as typeof fetch;
    const err = await fetchConnections(fetchImpl).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlaygroundHttpError);
    expect(err).toMatchObject({ status: 401, code: "unauthorized", message: "Sign in first." });
  });
});

describe("connections info and Test connection", () => {
  it("reads the user-connection settings beside the list", async () => {
    const { fetchConnectionsInfo } = await import("./connections");
    const fetchImpl = (async () =>
      Response.json({
        connections: [
          {
            name: "prod",
            kind: "azure-openai",
            label: "Prod",
            apiVersion: "2024-05-01-preview",
            host: "prod.openai.azure.com",
            auth: "entra",
            listThreads: false,
          },
        ],
        userConnections: { enabled: true, hosts: ["*.openai.azure.com", 7] },
      })) as typeof fetch;
    const info = await fetchConnectionsInfo(fetchImpl);
    expect(info.userConnections).toEqual({ enabled: true, hosts: ["*.openai.azure.com"] });
    expect(info.connections[0]).toMatchObject({
      host: "prod.openai.azure.com",
      auth: "entra",
      listThreads: false,
    });
  });

  it("posts the connection and api-version, and returns the diagnosis", async () => {
    const { testConnection } = await import("./connections");
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      seen.push({ url, init });
      return Response.json({
        diagnosis: { ok: false, outcome: "bad_key", title: "Bad key (401)", detail: "…" },
      });
    }) as typeof fetch;
    const d = await testConnection("prod", "2024-10-01-preview", fetchImpl);
    expect(d.outcome).toBe("bad_key");
    expect(seen[0]?.url).toBe("/api/playground/connections/test");
    expect(JSON.parse(String(seen[0]?.init?.body))).toEqual({
      connection: "prod",
      apiVersion: "2024-10-01-preview",
    });
    expect((seen[0]?.init?.headers as Record<string, string>)["x-playground-connection"]).toBe("prod");
  });
});

describe("withUserConnection", () => {
  it("adds the user's endpoint and key only to requests naming the user connection", async () => {
    const { userConnectionStore, withUserConnection } = await import("./user-connections");
    userConnectionStore.set({
      kind: "azure-openai",
      endpoint: "https://mine.openai.azure.com",
      apiKey: "k-123",
    });
    const sent: Headers[] = [];
    const next = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(new Headers(init?.headers));
      return new Response("{}");
    }) as typeof fetch;
    const wrapped = withUserConnection(next);
    await wrapped("http://x/api/openai/assistants", { headers: { "x-playground-connection": "user" } });
    await wrapped("http://x/api/openai/assistants", { headers: { "x-playground-connection": "local" } });
    expect(sent[0]?.get("x-playground-user-key")).toBe("k-123");
    expect(sent[0]?.get("x-playground-user-endpoint")).toBe("https://mine.openai.azure.com");
    expect(sent[0]?.get("x-playground-user-kind")).toBe("azure-openai");
    expect(sent[1]?.has("x-playground-user-key")).toBe(false);
    userConnectionStore.set(null);
    await wrapped("http://x/api/openai/assistants", { headers: { "x-playground-connection": "user" } });
    expect(sent[2]?.has("x-playground-user-key")).toBe(false);
  });
});
