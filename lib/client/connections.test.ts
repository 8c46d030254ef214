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
      },
    ]);
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
