// The clients and URL shapes the README's compatibility table lists, through the proxy on the local
// engine: the plain `OpenAI` class (no api-version: the connection's default), Assistants v1 code with
// retrieval, and raw HTTP as curl sends it, in Azure's and Foundry's terms.
import { AzureOpenAI, OpenAI, toFile } from "openai";
import { beforeEach, describe, expect, it } from "vitest";
import { call, json, loadRoute, ORIGIN, routeFetch, type RouteModule } from "./harness";

let route: RouteModule;

beforeEach(async () => {
  ({ route } = await loadRoute({}));
});

describe("client shapes through the proxy", () => {
  it("the plain OpenAI class: no api-version, the connection's default (v2 shapes)", async () => {
    const c = new OpenAI({
      baseURL: `${ORIGIN}/api/openai`,
      apiKey: "unused",
      maxRetries: 0,
      fetch: routeFetch(route),
    });
    const assistant = await c.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "file_search" }] });
    expect(assistant.tool_resources).toBeDefined();
    const thread = await c.beta.threads.create({ messages: [{ role: "user", content: "hello" }] });
    const run = await c.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe("completed");
  });

  it("Assistants v1 code: retrieval over file_ids answers from the file with a citation", async () => {
    const c = new AzureOpenAI({
      baseURL: `${ORIGIN}/api/openai`,
      apiKey: "unused",
      apiVersion: "2024-02-15-preview",
      maxRetries: 0,
      fetch: routeFetch(route),
    });
    const file = await c.files.create({
      file: await toFile(Buffer.from("The capital of Zorbia is Quuxhaven, a harbour town."), "zorbia.txt"),
      purpose: "assistants",
    });
    const assistant = await c.beta.assistants.create({
      model: "gpt-4",
      tools: [{ type: "retrieval" }],
      file_ids: [file.id],
    } as never);
    const thread = await c.beta.threads.create({
      messages: [{ role: "user", content: "What is the capital of Zorbia?" }],
    });
    const run = await c.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe("completed");
    const [answer] = (await c.beta.threads.messages.list(thread.id)).data;
    const text = answer?.content[0]?.type === "text" ? answer.content[0].text : undefined;
    expect(text?.value).toContain("Quuxhaven");
    expect(text?.annotations[0]).toMatchObject({
      type: "file_citation",
      file_citation: { file_id: file.id },
    });
  });

  it("raw HTTP (curl): Azure's envelope on a dated version, Foundry's on v1", async () => {
    const created = await call(route, "POST", "assistants?api-version=2024-05-01-preview", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", name: "curl" }),
    });
    expect(created.status).toBe(200);
    const azure = (await json(
      await call(route, "GET", "assistants?api-version=2024-05-01-preview"),
    )) as object;
    expect(Object.keys(azure).sort()).toEqual(["data", "first_id", "has_more", "last_id", "object"]);
    const foundry = (await json(await call(route, "GET", "assistants?api-version=v1"))) as {
      data: { name: string }[];
    };
    expect(Object.keys(foundry).sort()).toEqual(["data", "has_more", "last_id"]);
    expect(foundry.data.map((a) => a.name)).toContain("curl");
  });
});
