// Microsoft's Foundry Agents SDK (`@azure/ai-agents`) as a person configures it against the playground or
// the local engine, and one journey through it that both the proxy and the engine tests run.
import {
  AgentsClient,
  type MessageTextContent,
  type MessageTextFileCitationAnnotation,
  type RunStepToolCallDetails,
} from "@azure/ai-agents";
import { Readable } from "node:stream";
import { expect } from "vitest";

type TokenCredential = ConstructorParameters<typeof AgentsClient>[1];

/** A credential that hands out a fixed token, as a test (or the playground's access token) would. */
export function fixedTokenCredential(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600e3 }) };
}

/**
 * The client as the README shows it for a plain-http endpoint: the SDK refuses to send a bearer token
 * over http (its bearerTokenAuthenticationPolicy), so over http the token policy is swapped for an
 * `api-key` header, which the playground's access check accepts as an access token and the engine ignores.
 */
export function agentsClientOverHttp(
  endpoint: string,
  opts: { key?: string; apiVersion?: string } = {},
): AgentsClient {
  const key = opts.key ?? "unused";
  const client = new AgentsClient(endpoint, fixedTokenCredential(key), {
    ...(opts.apiVersion ? { apiVersion: opts.apiVersion } : {}),
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
  client.pipeline.removePolicy({ name: "bearerTokenAuthenticationPolicy" });
  client.pipeline.addPolicy({
    name: "playgroundApiKey",
    sendRequest: (request, next) => {
      request.headers.set("api-key", key);
      return next(request);
    },
  });
  return client;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const ZORBIA =
  "Zorbia is a small island nation. The capital of Zorbia is Quuxhaven, a harbour town. " +
  "Zorbia exports blue cheese and copper wire.";

/**
 * The quickstart a Foundry user brings, step by step: agent, thread, message, createAndPoll, a streamed
 * run, upload, vectorStores.createAndPoll, a file-search answer with a citation, run steps, listing, deletes.
 * Every step asserts what the SDK handed back (the SDK's own deserialisers are the first check).
 */
export async function foundryJourney(client: AgentsClient): Promise<void> {
  const agent = await client.createAgent("gpt-4o", {
    name: "helper",
    instructions: "You answer plainly.",
  });
  expect(agent).toMatchObject({ object: "assistant", name: "helper", model: "gpt-4o" });
  expect((await all(client.listAgents())).map((a) => a.id)).toContain(agent.id);

  const thread = await client.threads.create();
  const message = await client.messages.create(thread.id, "user", "What is a vector store?");
  expect(message).toMatchObject({ role: "user", threadId: thread.id });

  const polled = await client.runs.createAndPoll(thread.id, agent.id, {
    pollingOptions: { intervalInMs: 5 },
  });
  expect(polled.status).toBe("completed");

  await client.messages.create(thread.id, "user", "Tell me more.");
  const stream = await client.runs.create(thread.id, agent.id).stream();
  const events: string[] = [];
  let streamedText = "";
  for await (const event of stream) {
    events.push(event.event);
    if (event.event === "thread.message.delta") {
      const delta = event.data as { delta: { content?: { type: string; text?: { value?: string } }[] } };
      for (const part of delta.delta.content ?? []) streamedText += part.text?.value ?? "";
    }
  }
  expect(events[0]).toBe("thread.run.created");
  expect(events).toContain("thread.message.delta");
  expect(events.at(-2)).toBe("thread.run.completed");
  expect(events.at(-1)).toBe("done");
  expect(streamedText.length).toBeGreaterThan(10);

  const file = await client.files.upload(Readable.from([Buffer.from(ZORBIA)]), "assistants", {
    fileName: "zorbia.txt",
  });
  expect(file).toMatchObject({ object: "file", filename: "zorbia.txt", purpose: "assistants" });
  const files = await client.files.list();
  expect(files.data.map((f) => f.id)).toContain(file.id);

  const store = await client.vectorStores.createAndPoll({
    name: "zorbia",
    fileIds: [file.id],
    pollingOptions: { intervalInMs: 5 },
  });
  expect(store.status).toBe("completed");
  expect(store.fileCounts).toMatchObject({ completed: 1, total: 1 });

  const searcher = await client.createAgent("gpt-4o", {
    name: "searcher",
    instructions: "Answer from the files.",
    tools: [{ type: "file_search" }],
    toolResources: { fileSearch: { vectorStoreIds: [store.id] } },
  });
  const asked = await client.threads.create({
    messages: [{ role: "user", content: "What is the capital of Zorbia?" }],
  });
  const run = await client.runs.createAndPoll(asked.id, searcher.id, { pollingOptions: { intervalInMs: 5 } });
  expect(run.status).toBe("completed");
  const answer = (await all(client.messages.list(asked.id))).find((m) => m.role === "assistant");
  const text = answer?.content.find((c): c is MessageTextContent => c.type === "text");
  expect(text?.text.value).toContain("Quuxhaven");
  const citation = text?.text.annotations.find(
    (a): a is MessageTextFileCitationAnnotation => a.type === "file_citation",
  );
  expect(citation?.fileCitation.fileId).toBe(file.id);
  expect(text?.text.value.slice(citation?.startIndex, citation?.endIndex)).toBe(citation?.text);

  const steps = await all(client.runSteps.list(asked.id, run.id, { order: "asc" }));
  expect(steps.map((s) => s.type)).toEqual(["tool_calls", "message_creation"]);
  const toolStep = await client.runSteps.get(asked.id, run.id, steps[0]!.id, {
    include: ["step_details.tool_calls[*].file_search.results[*].content"],
  });
  const call = (toolStep.stepDetails as RunStepToolCallDetails).toolCalls[0] as {
    type: string;
    fileSearch: { results?: { fileId: string; content?: { text: string }[] }[] };
  };
  expect(call.type).toBe("file_search");
  expect(call.fileSearch.results?.[0]?.fileId).toBe(file.id);
  expect(call.fileSearch.results?.[0]?.content?.[0]?.text).toContain("Quuxhaven");

  expect((await all(client.threads.list())).map((t) => t.id)).toEqual(
    expect.arrayContaining([thread.id, asked.id]),
  );

  expect(await client.vectorStores.delete(store.id)).toMatchObject({ deleted: true });
  expect(await client.files.delete(file.id)).toMatchObject({ deleted: true });
  expect(await client.threads.delete(asked.id)).toMatchObject({ deleted: true });
  expect(await client.threads.delete(thread.id)).toMatchObject({ deleted: true });
  expect(await client.deleteAgent(searcher.id)).toMatchObject({ deleted: true });
  expect(await client.deleteAgent(agent.id)).toMatchObject({ deleted: true });
  await expect(client.getAgent(agent.id)).rejects.toMatchObject({ statusCode: 404 });
}
