import { describe, expect, it } from "vitest";
import { createPlaygroundClient, fileContentUrl } from "./sdk";

function recordingFetch() {
  const calls: Array<{ url: string; headers: Headers }> = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers) });
    return new Response(JSON.stringify({ object: "list", data: [], has_more: false }), {
      headers: { "content-type": "application/json" },
    });
  };
  return { calls, fetch: fetchImpl as typeof fetch };
}

describe("the browser SDK client", () => {
  it("talks to the proxy with the connection's api-version and name, and a placeholder key", async () => {
    const rec = recordingFetch();
    const client = createPlaygroundClient(
      { name: "azure-prod", apiVersion: "2024-07-01-preview" },
      { origin: "http://app.test", fetch: rec.fetch },
    );
    await client.beta.assistants.list({ limit: 5 });
    const call = rec.calls[0];
    expect(call?.url).toBe("http://app.test/api/openai/assistants?api-version=2024-07-01-preview&limit=5");
    expect(call?.headers.get("x-playground-connection")).toBe("azure-prod");
    expect(call?.headers.get("api-key")).toBe("unused");
    expect(call?.headers.get("authorization")).toBeNull();
  });

  it("builds image URLs through the proxy with the api-version", () => {
    expect(fileContentUrl("file_a/b", { name: "local", apiVersion: "2024-05-01-preview" })).toBe(
      "/api/openai/files/file_a%2Fb/content?api-version=2024-05-01-preview",
    );
  });
});
