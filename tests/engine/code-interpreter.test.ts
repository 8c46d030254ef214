// Code interpreter running for real: the engine with the local Python sandbox (bubblewrap + Debian's
// python3 with numpy/pandas/matplotlib), driven through the official SDK with every response and SSE
// event spec-checked. The scripted model runs the seed walkthrough (sine wave, show the code, dark
// mode); a fake chat upstream on loopback sends arbitrary code through the chat driver's python tool.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type OpenAI from "openai";
import { toFile } from "openai";
import { PNG } from "pngjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EngineOptions } from "@/lib/engine";
import { createChatCompletionsModel } from "@/lib/engine/model/chat-completions";
import { createSandbox, PythonSandbox } from "@/lib/engine/sandbox";
import { contentText, startFakeChatUpstream, type FakeChatUpstream } from "../helpers/fake-chat-upstream";
import { eventually, makeHarness, type Harness } from "./harness";

type Client = OpenAI;
type Step = OpenAI.Beta.Threads.Runs.RunStep;
type CodeCall = OpenAI.Beta.Threads.Runs.CodeInterpreterToolCall;

let h: Harness | undefined;
let fake: FakeChatUpstream | undefined;
let workDir: string;
let sandbox: PythonSandbox;

beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-ci-"));
  // The sandbox user (uid 65534 when the tests run as root) must reach its session directories.
  fs.chmodSync(workDir, 0o711);
  sandbox = new PythonSandbox({ workDir, timeoutMs: 30_000 });
});

afterEach(async () => {
  await h?.cleanup(); // closes the engine, which closes the sandbox
  h = undefined;
  await fake?.close();
  fake = undefined;
  await sandbox.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

async function engine(options: Partial<EngineOptions> = {}): Promise<Client> {
  h = await makeHarness({ codeSandbox: sandbox, ...options });
  return h.v2.client;
}

/** The engine on the chat-completions driver, its upstream a recording fake on loopback. */
async function chatEngine(options: Partial<EngineOptions> = {}): Promise<Client> {
  fake = await startFakeChatUpstream();
  return engine({
    model: createChatCompletionsModel({ api: "openai-compatible", endpoint: `${fake.origin}/v1` }),
    ...options,
  });
}

const python = (code: string, name = "python") => ({ name, arguments: JSON.stringify({ code }) });

async function steps(c: Client, threadId: string, runId: string): Promise<Step[]> {
  return (await c.beta.threads.runs.steps.list(runId, { thread_id: threadId, order: "asc" })).data;
}

function codeCalls(list: Step[]): CodeCall[] {
  return list.flatMap((s) =>
    s.step_details.type === "tool_calls"
      ? s.step_details.tool_calls.filter((t): t is CodeCall => t.type === "code_interpreter")
      : [],
  );
}

const logsOf = (call: CodeCall) =>
  call.code_interpreter.outputs.flatMap((o) => (o.type === "logs" ? [o.logs] : [])).join("");
const imagesOf = (call: CodeCall) =>
  call.code_interpreter.outputs.flatMap((o) => (o.type === "image" ? [o.image.file_id] : []));

async function download(c: Client, fileId: string): Promise<Buffer> {
  return Buffer.from(await (await c.files.content(fileId)).arrayBuffer());
}

function meanLuminance(png: PNG): number {
  let sum = 0;
  for (let i = 0; i < png.data.length; i += 4)
    sum += 0.2126 * png.data[i]! + 0.7152 * png.data[i + 1]! + 0.0722 * png.data[i + 2]!;
  return sum / (png.data.length / 4);
}

function distinctColours(png: PNG): number {
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length && seen.size < 64; i += 4) seen.add(png.data.readUInt32BE(i));
  return seen.size;
}

/** figsize × dpi of the figure the code makes, in pixels. */
function figurePixels(code: string): [number, number] {
  const m = /figsize=\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)\),\s*dpi=(\d+)/.exec(code);
  if (!m) throw new Error(`no figsize/dpi in:\n${code}`);
  return [Math.round(Number(m[1]) * Number(m[3])), Math.round(Number(m[2]) * Number(m[3]))];
}

async function lastMessage(c: Client, threadId: string, runId: string) {
  return (await c.beta.threads.messages.list(threadId, { run_id: runId })).data[0]!;
}

async function ask(c: Client, threadId: string, assistantId: string, content: string) {
  await c.beta.threads.messages.create(threadId, { role: "user", content });
  const run = await c.beta.threads.runs.createAndPoll(threadId, { assistant_id: assistantId });
  expect(run.status).toBe("completed");
  return run;
}

describe("scripted model with the Python sandbox: the seed walkthrough", () => {
  it("sine wave → a real matplotlib PNG of figsize × dpi; show the code → that code; dark mode → a darker image; light again → light", async () => {
    const c = await engine();
    const a = await c.beta.assistants.create({
      model: "gpt-4o",
      instructions: "You are an AI assistant that can write code to help answer math questions.",
      tools: [{ type: "code_interpreter" }],
    });
    const t = await c.beta.threads.create();

    const first = await ask(c, t.id, a.id, "Create a visualization of a sinewave");
    const [call] = codeCalls(await steps(c, t.id, first.id));
    expect(call).toBeDefined();
    const code = call!.code_interpreter.input;
    expect(code).toContain("np.sin(x)");
    // The logs are Python's own output of the code's print().
    expect(logsOf(call!)).toBe("y: 1000 points, from -1.00 to 1.00\n");
    const [imageId] = imagesOf(call!);
    expect(imageId).toMatch(/^assistant-/);
    const bytes = await download(c, imageId!);
    // Matplotlib's Agg backend signs its PNGs; the scripted model's own renderer does not.
    expect(bytes.includes(Buffer.from("Matplotlib version"))).toBe(true);
    const light = PNG.sync.read(bytes);
    expect([light.width, light.height]).toEqual(figurePixels(code));
    expect(distinctColours(light)).toBeGreaterThan(8);
    const answer = await lastMessage(c, t.id, first.id);
    expect(answer.content[0]).toEqual({ type: "image_file", image_file: { file_id: imageId } });
    const said = answer.content.flatMap((p) => (p.type === "text" ? [p.text.value] : [])).join("");
    expect(said).toContain("The code ran in the engine's code sandbox (Python 3.");
    expect(said).not.toContain("does not run Python");

    const second = await ask(c, t.id, a.id, "Show me the code you used to generate the sinewave");
    const shown = await lastMessage(c, t.id, second.id);
    const text = shown.content.flatMap((p) => (p.type === "text" ? [p.text.value] : [])).join("");
    expect(text).toContain(`\`\`\`python\n${code}\n\`\`\``);
    expect(codeCalls(await steps(c, t.id, second.id))).toEqual([]);

    const third = await ask(
      c,
      t.id,
      a.id,
      "I prefer visualizations in darkmode can you change the colors to make a darkmode version of this visualization.",
    );
    const [darkCall] = codeCalls(await steps(c, t.id, third.id));
    expect(darkCall!.code_interpreter.input).toContain("plt.style.use('dark_background')");
    const dark = PNG.sync.read(await download(c, imagesOf(darkCall!)[0]!));
    expect([dark.width, dark.height]).toEqual(figurePixels(darkCall!.code_interpreter.input));
    expect(meanLuminance(dark)).toBeLessThan(meanLuminance(light) - 100);

    // The kernel keeps matplotlib's style between executions, as a notebook does: the light
    // version must undo the dark style, or the "light" chart comes out dark.
    const fourth = await ask(c, t.id, a.id, "Now switch it back to light mode please");
    const [lightCall] = codeCalls(await steps(c, t.id, fourth.id));
    const lightAgain = PNG.sync.read(await download(c, imagesOf(lightCall!)[0]!));
    expect(Math.abs(meanLuminance(lightAgain) - meanLuminance(light))).toBeLessThan(5);
  });

  it("a CSV attached for code interpreter is read with pandas at /mnt/data/<name> and charted", async () => {
    const c = await engine();
    const csv = "month,units\nJan,12\nFeb,30\nMar,21\nApr,44\n";
    const f = await c.files.create({
      file: await toFile(Buffer.from(csv), "sales.csv"),
      purpose: "assistants",
    });
    const a = await c.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "code_interpreter" }] });
    const t = await c.beta.threads.create({
      messages: [
        {
          role: "user",
          content: "Make a chart of the data in the attached CSV",
          attachments: [{ file_id: f.id, tools: [{ type: "code_interpreter" }] }],
        },
      ],
    });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("completed");
    const [call] = codeCalls(await steps(c, t.id, run.id));
    expect(call!.code_interpreter.input).toContain("pd.read_csv('/mnt/data/sales.csv')");
    expect(logsOf(call!)).toBe("4 rows, columns: ['month', 'units']\n");
    const png = PNG.sync.read(await download(c, imagesOf(call!)[0]!));
    expect([png.width, png.height]).toEqual(figurePixels(call!.code_interpreter.input));
  });

  it("tool_choice code_interpreter with nothing asked lists /mnt/data: the attached file and nothing else", async () => {
    const c = await engine();
    const data = "a,b\n1,2\n";
    const f = await c.files.create({
      file: await toFile(Buffer.from(data), "tiny.csv"),
      purpose: "assistants",
    });
    const a = await c.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "code_interpreter" }] });
    const t = await c.beta.threads.create({
      messages: [
        {
          role: "user",
          content: "hello",
          attachments: [{ file_id: f.id, tools: [{ type: "code_interpreter" }] }],
        },
      ],
    });
    const run = await c.beta.threads.runs.createAndPoll(t.id, {
      assistant_id: a.id,
      tool_choice: { type: "code_interpreter" },
    });
    expect(run.status).toBe("completed");
    const [call] = codeCalls(await steps(c, t.id, run.id));
    expect(logsOf(call!)).toBe(`1 file(s) in /mnt/data\ntiny.csv ${data.length}\n`);
  });

  it("a file the code writes is a file_path annotation whose download is what Python wrote", async () => {
    const c = await engine();
    const a = await c.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "code_interpreter" }] });
    const t = await c.beta.threads.create();
    const run = await ask(
      c,
      t.id,
      a.id,
      "Create a CSV file of the first ten squares and save it as squares.csv",
    );
    const [call] = codeCalls(await steps(c, t.id, run.id));
    expect(call!.code_interpreter.input).toContain("/mnt/data/squares.csv");
    const msg = await lastMessage(c, t.id, run.id);
    const part = msg.content.find((p) => p.type === "text");
    const annotation = part?.type === "text" ? part.text.annotations[0] : undefined;
    expect(annotation).toMatchObject({ type: "file_path", text: "sandbox:/mnt/data/squares.csv" });
    if (annotation?.type !== "file_path") return;
    const bytes = await download(c, annotation.file_path.file_id);
    // Read the same file back inside the session: the download holds exactly its bytes.
    const check = await sandbox.execute(
      t.id,
      "import hashlib; print(hashlib.sha256(open('/mnt/data/squares.csv','rb').read()).hexdigest())",
    );
    expect(check.logs.trim()).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(bytes.toString("utf8").split(/\r?\n/)[0]).toMatch(/,/);
  });
});

describe("chat-completions driver with the Python sandbox: arbitrary code", () => {
  it("keeps state across two runs of one thread, not across threads; an exception is logged, the model told, the run completed", async () => {
    const c = await chatEngine();
    const a = await c.beta.assistants.create({ model: "m", tools: [{ type: "code_interpreter" }] });
    const t1 = await c.beta.threads.create({ messages: [{ role: "user", content: "remember 42" }] });
    fake!.reply({ toolCalls: [python("secret = 42\nimport math")] }, { text: "Stored." });
    const r1 = await c.beta.threads.runs.createAndPoll(t1.id, { assistant_id: a.id });
    expect(r1.status).toBe("completed");

    fake!.reply({ toolCalls: [python("print(secret + 1, math.pi > 3)")] }, { text: "It is 43." });
    const r2 = await ask(c, t1.id, a.id, "what is it plus one?");
    const [same] = codeCalls(await steps(c, t1.id, r2.id));
    expect(logsOf(same!)).toBe("43 True\n");

    const t2 = await c.beta.threads.create({ messages: [{ role: "user", content: "and here?" }] });
    fake!.reply({ toolCalls: [python("print(secret)")] }, { text: "That failed." });
    const r3 = await c.beta.threads.runs.createAndPoll(t2.id, { assistant_id: a.id });
    expect(r3.status).toBe("completed");
    const [other] = codeCalls(await steps(c, t2.id, r3.id));
    const logs = logsOf(other!);
    expect(logs).toContain("Traceback (most recent call last):");
    expect(logs).toContain("NameError: name 'secret' is not defined");
    // The model's next request carries the traceback as the tool result.
    const told = fake!.requests.at(-1)!.body.messages.at(-1)!;
    expect(told.role).toBe("tool");
    expect(contentText(told.content)).toContain("NameError: name 'secret' is not defined");
    const reply = (await c.beta.threads.messages.list(t2.id, { run_id: r3.id })).data[0]!;
    expect(reply.content[0]).toMatchObject({ type: "text", text: { value: "That failed." } });
  });

  it("reads a CSV attachment with pandas at /mnt/data/<name>", async () => {
    const c = await chatEngine();
    const f = await c.files.create({
      file: await toFile(Buffer.from("city,units\nOslo,3\nLima,4\nPune,35\n"), "units.csv"),
      purpose: "assistants",
    });
    const a = await c.beta.assistants.create({ model: "m", tools: [{ type: "code_interpreter" }] });
    const t = await c.beta.threads.create({
      messages: [
        {
          role: "user",
          content: "total units?",
          attachments: [{ file_id: f.id, tools: [{ type: "code_interpreter" }] }],
        },
      ],
    });
    fake!.reply(
      {
        toolCalls: [
          python("import pandas as pd\ndf = pd.read_csv('/mnt/data/units.csv')\nprint(df['units'].sum())"),
        ],
      },
      { text: "42 units." },
    );
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("completed");
    expect(logsOf(codeCalls(await steps(c, t.id, run.id))[0]!)).toBe("42\n");
  });

  it("turns a sandbox:/mnt/data link to a written file into a file_path annotation with the same bytes", async () => {
    const c = await chatEngine();
    const a = await c.beta.assistants.create({ model: "m", tools: [{ type: "code_interpreter" }] });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "write bytes" }] });
    fake!.reply(
      { toolCalls: [python("open('/mnt/data/out.bin', 'wb').write(bytes(range(256)) * 3)")] },
      { text: ["Here: [out.bin](sandbox:/mnt/", "data/out.bin)."] },
    );
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("completed");
    const msg = (await c.beta.threads.messages.list(t.id, { run_id: run.id })).data[0]!;
    const part = msg.content[0]!;
    expect(part.type).toBe("text");
    if (part.type !== "text") return;
    const start = part.text.value.indexOf("sandbox:");
    expect(part.text.annotations).toEqual([
      {
        type: "file_path",
        text: "sandbox:/mnt/data/out.bin",
        start_index: start,
        end_index: start + "sandbox:/mnt/data/out.bin".length,
        file_path: { file_id: expect.stringMatching(/^assistant-/) },
      },
    ]);
    const annotation = part.text.annotations[0]!;
    if (annotation.type !== "file_path") return;
    const expected = Buffer.concat(
      [0, 1, 2].map(() => Buffer.from(Array.from({ length: 256 }, (_, i) => i))),
    );
    expect((await download(c, annotation.file_path.file_id)).equals(expected)).toBe(true);
    const meta = await c.files.retrieve(annotation.file_path.file_id);
    expect(meta).toMatchObject({ filename: "out.bin", purpose: "assistants_output", bytes: 768 });
  });

  it("runs several python calls in one run in one session; each is a step with its logs or image", async () => {
    const c = await chatEngine();
    const a = await c.beta.assistants.create({ model: "m", tools: [{ type: "code_interpreter" }] });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "step by step" }] });
    const plot = [
      "import matplotlib.pyplot as plt",
      "fig, ax = plt.subplots(figsize=(4, 3), dpi=50)",
      "ax.bar(['a', 'b'], [x, x * 2])",
      "plt.show()",
    ].join("\n");
    fake!.reply(
      { toolCalls: [python("x = 21")] },
      { toolCalls: [python("print(x * 2)")] },
      { toolCalls: [python(plot)] },
      { text: "x doubled is 42; the chart shows both." },
    );
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("completed");
    const list = await steps(c, t.id, run.id);
    expect(list.map((s) => s.step_details.type)).toEqual([
      "tool_calls",
      "tool_calls",
      "tool_calls",
      "message_creation",
    ]);
    const calls = codeCalls(list);
    expect(calls.map((call) => call.code_interpreter.input)).toEqual(["x = 21", "print(x * 2)", plot]);
    expect(calls[0]!.code_interpreter.outputs).toEqual([]);
    expect(calls[1]!.code_interpreter.outputs).toEqual([{ type: "logs", logs: "42\n" }]);
    const [image] = imagesOf(calls[2]!);
    const png = PNG.sync.read(await download(c, image!));
    expect([png.width, png.height]).toEqual([200, 150]);
    // What the model was told after each call.
    const results = fake!.requests.slice(1).map((r) => contentText(r.body.messages.at(-1)!.content));
    expect(results[0]).toBe("(no output)");
    expect(results[1]).toBe("42\n");
    expect(results[2]).toContain("[1 image(s) shown to the user]");
  });

  it("streams the step's input and outputs as thread.run.step.delta events", async () => {
    const c = await chatEngine();
    const a = await c.beta.assistants.create({ model: "m", tools: [{ type: "code_interpreter" }] });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "stream it" }] });
    const code = "for i in range(3):\n    print('line', i)";
    fake!.reply({ toolCalls: [python(code)] }, { text: "Done." });
    const stream = c.beta.threads.runs.stream(t.id, { assistant_id: a.id });
    let input = "";
    const logs: string[] = [];
    const events: string[] = [];
    for await (const e of stream) {
      events.push(e.event);
      if (e.event !== "thread.run.step.delta") continue;
      const details = e.data.delta.step_details;
      if (details?.type !== "tool_calls") continue;
      for (const tc of details.tool_calls ?? []) {
        if (tc.type !== "code_interpreter") continue;
        input += tc.code_interpreter?.input ?? "";
        for (const o of tc.code_interpreter?.outputs ?? []) if (o.type === "logs") logs.push(o.logs ?? "");
      }
    }
    expect(input).toBe(code);
    expect(logs).toEqual(["line 0\nline 1\nline 2\n"]);
    expect(events.at(-1)).toBe("thread.run.completed");
    expect(events.indexOf("thread.run.step.delta")).toBeLessThan(events.indexOf("thread.message.created"));
  });

  it("tool_choice code_interpreter forces the python tool on the first call only", async () => {
    const c = await chatEngine();
    const a = await c.beta.assistants.create({ model: "m", tools: [{ type: "code_interpreter" }] });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "hello" }] });
    fake!.reply({ toolCalls: [python("print('forced')")] }, { text: "ok" });
    const run = await c.beta.threads.runs.createAndPoll(t.id, {
      assistant_id: a.id,
      tool_choice: { type: "code_interpreter" },
    });
    expect(run.status).toBe("completed");
    expect(fake!.requests[0]!.body.tool_choice).toEqual({ type: "function", function: { name: "python" } });
    expect(fake!.requests[0]!.body.tools?.map((tool) => tool.function.name)).toEqual(["python"]);
    expect(fake!.requests[1]!.body.tool_choice).toBe("auto");
    expect(logsOf(codeCalls(await steps(c, t.id, run.id))[0]!)).toBe("forced\n");
  });

  it("names the code tool engine_python when the assistant has a function called python", async () => {
    const c = await chatEngine();
    const a = await c.beta.assistants.create({
      model: "m",
      tools: [
        { type: "code_interpreter" },
        { type: "function", function: { name: "python", parameters: { type: "object", properties: {} } } },
      ],
    });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "both" }] });
    fake!.reply(
      { toolCalls: [python("print(6 * 7)", "engine_python")] },
      { toolCalls: [{ name: "python", arguments: "{}" }] },
    );
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(fake!.requests[0]!.body.tools?.map((tool) => tool.function.name)).toEqual([
      "python",
      "engine_python",
    ]);
    expect(logsOf(codeCalls(await steps(c, t.id, run.id))[0]!)).toBe("42\n");
    // The assistant's own `python` is still a function the client answers.
    expect(run.status).toBe("requires_action");
    expect(run.required_action?.submit_tool_outputs.tool_calls[0]!.function.name).toBe("python");
  });
});

describe("sandbox lifecycle and the sandbox off", () => {
  it("deleting the thread ends its session: the kernel process is gone", async () => {
    const c = await chatEngine();
    const a = await c.beta.assistants.create({ model: "m", tools: [{ type: "code_interpreter" }] });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "start" }] });
    fake!.reply({ toolCalls: [python("x = 1")] }, { text: "ok" });
    expect((await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id })).status).toBe("completed");
    const info = sandbox.inspectSession(t.id);
    expect(info?.pid).toBeGreaterThan(0);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive(info!.pid!)).toBe(true);
    expect(fs.existsSync(info!.dir)).toBe(true);
    await c.beta.threads.delete(t.id);
    // The session leaves the table at once, its process dies, then its directory is removed.
    await eventually(
      async () => sandbox.inspectSession(t.id) === null && !alive(info!.pid!) && !fs.existsSync(info!.dir),
      5000,
    );
    expect(fs.existsSync(info!.dir)).toBe(false);
  });

  it("cancelling a run while its code runs kills the execution; the run ends cancelled", async () => {
    const c = await chatEngine();
    const a = await c.beta.assistants.create({ model: "m", tools: [{ type: "code_interpreter" }] });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "wait" }] });
    fake!.reply({ toolCalls: [python("import time\nkept = 1\ntime.sleep(60)")] }, { text: "never" });
    const run = await c.beta.threads.runs.create(t.id, { assistant_id: a.id });
    const pid = await eventually(async () => sandbox.inspectSession(t.id)?.pid ?? undefined, 10_000);
    await c.beta.threads.runs.cancel(run.id, { thread_id: t.id });
    // Liveness, not speed: far below the code's 60 s sleep.
    const ended = await eventually(async () => {
      const r = await c.beta.threads.runs.retrieve(run.id, { thread_id: t.id });
      return r.status === "cancelled" && r;
    }, 10_000);
    expect(ended.status).toBe("cancelled");
    await eventually(async () => sandbox.inspectSession(t.id)?.pid !== pid, 5000);
    expect(fake!.requests).toHaveLength(1);
  });

  for (const [label, options] of [
    ["createSandbox({ backend: 'off' })", () => ({ codeSandbox: createSandbox({ backend: "off" }) })],
    ["no codeSandbox", () => ({ codeSandbox: undefined })],
  ] as const) {
    it(`${label}: the scripted model draws the chart itself and says so`, async () => {
      const c = await engine(options());
      const a = await c.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "code_interpreter" }] });
      const t = await c.beta.threads.create();
      const run = await ask(c, t.id, a.id, "Create a visualization of a sinewave");
      const [call] = codeCalls(await steps(c, t.id, run.id));
      const bytes = await download(c, imagesOf(call!)[0]!);
      expect(bytes.includes(Buffer.from("Matplotlib"))).toBe(false);
      const png = PNG.sync.read(bytes);
      expect([png.width, png.height]).toEqual(figurePixels(call!.code_interpreter.input));
      const msg = await lastMessage(c, t.id, run.id);
      const text = msg.content.flatMap((p) => (p.type === "text" ? [p.text.value] : [])).join("");
      expect(text).toContain("it does not run Python");
      expect(sandbox.inspectSession(t.id)).toBeNull();
    });

    it(`${label}: the chat driver records a "not run" step and offers no python tool`, async () => {
      const c = await chatEngine(options());
      const a = await c.beta.assistants.create({ model: "m", tools: [{ type: "code_interpreter" }] });
      const t = await c.beta.threads.create({ messages: [{ role: "user", content: "plot a sine wave" }] });
      fake!.reply({ text: "I cannot run code here." });
      const run = await c.beta.threads.runs.createAndPoll(t.id, {
        assistant_id: a.id,
        tool_choice: { type: "code_interpreter" },
      });
      expect(run.status).toBe("completed");
      expect(fake!.requests[0]!.body.tools).toBeUndefined();
      const [call] = codeCalls(await steps(c, t.id, run.id));
      expect(call!.code_interpreter.input).toMatch(/^# Not run: /);
      expect(logsOf(call!)).toContain("Nothing was executed");
      expect(sandbox.inspectSession(t.id)).toBeNull();
    });
  }
});
