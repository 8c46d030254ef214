import { expect, test } from "@playwright/test";
import { AzureOpenAI } from "openai";
import { PNG } from "pngjs";
import { accessToken } from "./support/playground";

// The classic Azure walkthrough (shared/seeds), run with the official SDK through the running
// playground's proxy exactly as a person would point a script or notebook at it.
test("the code-interpreter walkthrough runs through the proxy with the official SDK", async ({ baseURL }) => {
  const client = new AzureOpenAI({
    baseURL: `${baseURL}/api/openai`,
    // A script authenticates with an access token from Settings (the server requires sign-in).
    apiKey: accessToken(),
    apiVersion: "2024-05-01-preview",
  });

  const assistant = await client.beta.assistants.create({
    name: "Data Visualization",
    instructions:
      "You are a helpful AI assistant who makes interesting visualizations based on data. You have access to a sandboxed environment for writing and testing code.",
    tools: [{ type: "code_interpreter" }],
    model: "gpt-4o",
  });
  expect(assistant.id).toMatch(/^asst_/);

  const thread = await client.beta.threads.create();
  await client.beta.threads.messages.create(thread.id, {
    role: "user",
    content: "Create a visualization of a sinewave",
  });
  const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
  expect(run.status).toBe("completed");

  const messages = await client.beta.threads.messages.list(thread.id, { order: "asc" });
  const answer = messages.data.find((m) => m.role === "assistant");
  expect(answer, "the assistant answered").toBeTruthy();
  const image = answer!.content.find((c) => c.type === "image_file");
  expect(image, "the answer carries an image_file").toBeTruthy();
  const fileId = image!.type === "image_file" ? image!.image_file.file_id : "";

  const file = await client.files.retrieve(fileId);
  expect(file.purpose).toBe("assistants_output");

  const content = await client.files.content(fileId);
  expect(content.headers.get("content-type")).toMatch(/^image\/png/);
  const bytes = Buffer.from(await content.arrayBuffer());
  const png = PNG.sync.read(bytes);
  expect(png.width).toBeGreaterThan(100);
  expect(png.height).toBeGreaterThan(100);

  // The run steps show the code-interpreter call that made the image.
  const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
  const toolStep = steps.data.find((s) => s.step_details.type === "tool_calls");
  expect(toolStep, "a tool_calls step").toBeTruthy();
  const call =
    toolStep!.step_details.type === "tool_calls" ? toolStep!.step_details.tool_calls[0] : undefined;
  expect(call?.type).toBe("code_interpreter");
  if (call?.type === "code_interpreter") {
    expect(call.code_interpreter.input).toContain("sin");
    expect(call.code_interpreter.outputs.some((o) => o.type === "image" && o.image.file_id === fileId)).toBe(
      true,
    );
  }

  // "Show me the code" answers with the code in a fenced block.
  await client.beta.threads.messages.create(thread.id, {
    role: "user",
    content: "Show me the code you used to generate the sinewave",
  });
  const run2 = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
  expect(run2.status).toBe("completed");
  const latest = await client.beta.threads.messages.list(thread.id, { order: "desc", limit: 1 });
  const codeAnswer = latest.data[0]!.content.find((c) => c.type === "text");
  expect(codeAnswer?.type === "text" && codeAnswer.text.value).toMatch(/```python[\s\S]*sin[\s\S]*```/);

  // Dark mode: a new chart, visibly darker than the first.
  await client.beta.threads.messages.create(thread.id, {
    role: "user",
    content:
      "I prefer visualizations in darkmode can you change the colors to make a darkmode version of this visualization.",
  });
  const run3 = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
  expect(run3.status).toBe("completed");
  const darkMessages = await client.beta.threads.messages.list(thread.id, { order: "desc", run_id: run3.id });
  const darkImage = darkMessages.data.flatMap((m) => m.content).find((c) => c.type === "image_file");
  expect(darkImage, "the dark-mode answer carries an image").toBeTruthy();
  const darkId = darkImage!.type === "image_file" ? darkImage!.image_file.file_id : "";
  expect(darkId).not.toBe(fileId);
  const dark = PNG.sync.read(Buffer.from(await (await client.files.content(darkId)).arrayBuffer()));
  expect(meanLuminance(dark)).toBeLessThan(meanLuminance(png) - 60);
});

function meanLuminance(png: PNG): number {
  let sum = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    sum += 0.2126 * png.data[i]! + 0.7152 * png.data[i + 1]! + 0.0722 * png.data[i + 2]!;
  }
  return sum / (png.data.length / 4);
}
