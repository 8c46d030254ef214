import { createHash } from "node:crypto";
import { AzureOpenAI, NotFoundError, toFile } from "openai";
import { PNG } from "pngjs";
import { beforeEach, describe, expect, it } from "vitest";
import { call, loadRoute, ORIGIN, routeFetch, type RouteModule } from "./harness";

// The real in-process engine behind the proxy route, driven by the official SDK.
let route: RouteModule;

beforeEach(async () => {
  ({ route } = await loadRoute({}));
});

function client(apiVersion = "2024-05-01-preview") {
  return new AzureOpenAI({
    baseURL: `${ORIGIN}/api/openai`,
    apiKey: "unused",
    apiVersion,
    maxRetries: 0,
    fetch: routeFetch(route),
  });
}

describe("the local engine through the proxy", () => {
  it("runs the code-interpreter walkthrough; the chart downloads as a PNG, inline and sandboxed", async () => {
    const c = client();
    const assistant = await c.beta.assistants.create({
      model: "gpt-4o",
      instructions: "You make visualizations.",
      tools: [{ type: "code_interpreter" }],
    });
    const thread = await c.beta.threads.create({
      messages: [{ role: "user", content: "Create a visualization of a sinewave" }],
    });
    const run = await c.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe("completed");
    const messages = await c.beta.threads.messages.list(thread.id);
    const image = messages.data.flatMap((m) => m.content).find((part) => part.type === "image_file");
    expect(image?.type).toBe("image_file");
    const fileId = image?.type === "image_file" ? image.image_file.file_id : "";

    const res = await call(route, "GET", `files/${fileId}/content?api-version=2024-05-01-preview`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^image\/png/);
    expect(res.headers.get("content-disposition")).toMatch(/^inline/);
    expect(res.headers.get("content-security-policy")).toBe("sandbox");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-playground-connection")).toBe("local");
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    expect(png.width).toBeGreaterThan(100);
    expect(png.height).toBeGreaterThan(100);
  });

  it("streams a run's text deltas through", async () => {
    const c = client();
    const assistant = await c.beta.assistants.create({ model: "gpt-4o", instructions: "Answer plainly." });
    const thread = await c.beta.threads.create({
      messages: [{ role: "user", content: "What is a vector store?" }],
    });
    const stream = c.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    let text = "";
    const events: string[] = [];
    stream.on("textDelta", (delta) => (text += delta.value ?? ""));
    for await (const event of stream) events.push(event.event);
    expect((await stream.finalRun()).status).toBe("completed");
    expect(events[0]).toBe("thread.run.created");
    expect(events).toContain("thread.message.delta");
    expect(text.length).toBeGreaterThan(0);
    const [message] = (await c.beta.threads.messages.list(thread.id, { limit: 1 })).data;
    const stored = message?.content[0];
    expect(stored?.type === "text" ? stored.text.value : "").toBe(text);
  });

  it("uploads a file and serves it back as an attachment with the same bytes", async () => {
    const c = client();
    const data = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 251;
    const file = await c.files.create({ file: await toFile(data, "data.bin"), purpose: "assistants" });
    expect(file.bytes).toBe(data.byteLength);
    const res = await call(route, "GET", `files/${file.id}/content?api-version=2024-05-01-preview`);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(res.headers.get("content-security-policy")).toBe("sandbox");
    const back = Buffer.from(await res.arrayBuffer());
    expect(createHash("sha256").update(back).digest("hex")).toBe(
      createHash("sha256").update(data).digest("hex"),
    );
  });

  it("lists threads (a local-engine endpoint) and raises typed errors", async () => {
    const c = client();
    const thread = await c.beta.threads.create();
    const res = await call(route, "GET", "threads?api-version=2024-05-01-preview&limit=100");
    expect(res.status).toBe(200);
    const list = (await res.json()) as { object: string; data: { id: string }[] };
    expect(list.object).toBe("list");
    expect(list.data.map((t) => t.id)).toContain(thread.id);
    await expect(c.beta.assistants.retrieve("asst_doesnotexist")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("speaks v1 when the request asks for 2024-02-15-preview", async () => {
    const res = await call(route, "POST", "assistants?api-version=2024-02-15-preview", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", tools: [{ type: "code_interpreter" }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-playground-api-version")).toBe("2024-02-15-preview");
    const assistant = (await res.json()) as Record<string, unknown>;
    expect(assistant.file_ids).toEqual([]);
    expect(assistant).not.toHaveProperty("tool_resources");
  });

  it("never reaches the engine's control endpoints", async () => {
    const res = await call(route, "POST", "_engine/reset");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("endpoint_not_allowed");
  });

  it("an engine that cannot start answers 503 with the reason", async () => {
    ({ route } = await loadRoute({ ENGINE_DATA_DIR: "/dev/null/engine" }));
    const res = await call(route, "GET", "assistants?api-version=2024-05-01-preview");
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("engine_unavailable");
    expect(body.error.message).toContain("The local engine could not start");
  });
});
