// Every api-version the engine answers to, exercised by requests: Azure's through the openai SDK with
// every body checked against the spec of its family, Foundry's through @azure/ai-agents on the engine's port.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_API_VERSIONS } from "@/lib/engine/api-versions";
import { serveEngine, type ServedEngine } from "@/lib/engine/server";
import { agentsClientOverHttp } from "../helpers/agents-sdk";
import { makeHarness, type Harness } from "./harness";

let h: Harness;
let served: ServedEngine;

beforeAll(async () => {
  h = await makeHarness();
  served = await serveEngine(h.engine);
});

afterAll(async () => {
  await served.close();
  await h.cleanup();
});

const azure = ENGINE_API_VERSIONS.filter((v) => v.surface === "azure").map((v) => [v.version, v.generation]);
const foundry = ENGINE_API_VERSIONS.filter((v) => v.surface === "foundry").map((v) => v.version);

describe("every api-version the engine lists", () => {
  it("lists both surfaces", () => {
    expect(azure.length).toBeGreaterThan(10);
    expect(foundry).toEqual(["v1", "2025-05-01", "2025-05-15-preview"]);
  });

  it.each(azure)("%s (%s): create, run, list, in its generation's shapes", async (version, generation) => {
    const c = h.client(version!).client;
    const assistant = await c.beta.assistants.create({ model: "gpt-4o", name: version });
    expect("tool_resources" in assistant).toBe(generation === "v2");
    const thread = await c.beta.threads.create({ messages: [{ role: "user", content: "hello" }] });
    const run = await c.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe("completed");
    const listed = await c.beta.assistants.list({ limit: 100 });
    expect(listed.data.map((a) => a.id)).toContain(assistant.id);
  });

  it.each(foundry)("%s: @azure/ai-agents creates, runs and lists", async (version) => {
    const client = agentsClientOverHttp(`${served.url}/openai`, { apiVersion: version });
    const agent = await client.createAgent("gpt-4o", { name: version });
    const thread = await client.threads.create({ messages: [{ role: "user", content: "hello" }] });
    const run = await client.runs.createAndPoll(thread.id, agent.id, { pollingOptions: { intervalInMs: 5 } });
    expect(run.status).toBe("completed");
    const ids: string[] = [];
    for await (const a of client.listAgents()) ids.push(a.id);
    expect(ids).toContain(agent.id);
  });
});
