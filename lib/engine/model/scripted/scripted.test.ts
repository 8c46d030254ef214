import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { PNG } from "pngjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ModelEvent, PlannedAnnotation, PlannedToolCall, ToolDefinition } from "../types";
import { createScriptedModel } from "./index";
import { collect, fakeContext, messageTextParts, type FakeContextInit } from "./fake-context";
import { parseCsv } from "./code-interpreter";

const model = createScriptedModel();
const run = (init: FakeContextInit) => {
  const ctx = fakeContext(init);
  return collect(model.run(ctx)).then((events) => ({ ctx, events }));
};
const toolCalls = (events: ModelEvent[]) => events.flatMap((e) => (e.type === "tool_calls" ? e.calls : []));
const annotations = (events: ModelEvent[]): PlannedAnnotation[] =>
  events.flatMap((e) => (e.type === "message.annotation" ? [e.annotation] : []));
const text = (events: ModelEvent[]) => messageTextParts(events).join("\n");
const luminance = (png: PNG) => {
  let sum = 0;
  for (let i = 0; i < png.data.length; i += 4)
    sum += 0.2126 * png.data[i]! + 0.7152 * png.data[i + 1]! + 0.0722 * png.data[i + 2]!;
  return sum / (png.width * png.height);
};

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

const CI: ToolDefinition[] = [{ type: "code_interpreter" }];
const WALKTHROUGH_INSTRUCTIONS =
  "You are a helpful AI assistant who makes interesting visualizations based on data. You have access to a sandboxed environment for writing and testing code.";

describe("plain answers", () => {
  it("answers in markdown that reflects the instructions and the question, streamed word by word", async () => {
    const { events } = await run({
      instructions: "You are a pirate librarian. Always answer in three bullet points.",
      messages: ["How do I return an overdue book?"],
    });
    expect(events[0]).toEqual({ type: "message.start" });
    expect(events[events.length - 1]).toEqual({ type: "message.end" });
    const deltas = events.filter((e) => e.type === "message.text");
    expect(deltas.length).toBeGreaterThan(20);
    for (const d of deltas)
      if (d.type === "message.text") expect(d.value.trim().split(/\s+/).length).toBeLessThanOrEqual(1);
    const body = text(events);
    expect(body).toMatch(/^## How do I return an overdue book\?/);
    expect(body).toContain("> How do I return an overdue book?");
    expect(body).toContain("a pirate librarian");
    expect(body).toContain("Always answer in three bullet points.");
    expect(body).toMatch(/^\| Aspect \| Detail \|$/m);
    expect(body).toMatch(/\*overdue\*/);
    expect(body).toContain("not a language model");
  });

  it("says when there are no instructions, and recalls the previous question", async () => {
    const { events } = await run({
      messages: [
        "What is a thread?",
        { role: "assistant", text: "A conversation." },
        "What is a vector store?",
      ],
    });
    expect(text(events)).toContain("no instructions");
    expect(text(events)).toContain("**Earlier in this thread** you asked: “What is a thread?”");
  });
});

describe("code interpreter: the classic walkthrough", () => {
  const turns = [
    "Create a visualization of a sinewave",
    "Show me the code you used to generate the sinewave",
    "I prefer visualizations in darkmode can you change the colors to make a darkmode version of this visualization.",
    "What code did you use for that?",
  ];

  it("draws a sine wave, shows its code, then a dark version, then the dark code", async () => {
    const history: string[] = [];
    const results = [];
    for (const t of turns) {
      history.push(t);
      results.push(await run({ instructions: WALKTHROUGH_INSTRUCTIONS, tools: CI, messages: [...history] }));
    }
    const [chart, code, dark, darkCode] = results as [
      (typeof results)[0],
      (typeof results)[0],
      (typeof results)[0],
      (typeof results)[0],
    ];

    // 1. A code_interpreter call with Python, logs and the PNG it "made", then image + text.
    const [call] = toolCalls(chart.events) as [Extract<PlannedToolCall, { type: "code_interpreter" }>];
    expect(call.type).toBe("code_interpreter");
    expect(call.input).toContain("import matplotlib.pyplot as plt");
    expect(call.input).toContain("np.sin(x)");
    expect(call.outputs[0]).toEqual({ type: "logs", logs: "y: 1000 points, from -1.00 to 1.00\n" });
    const written = chart.ctx.written[0]!;
    expect(written.filename).toBe("sine_wave.png");
    expect(call.outputs[1]).toEqual({ type: "image", file_id: written.id });
    const imageEvent = chart.events.find((e) => e.type === "message.image");
    expect(imageEvent).toEqual({ type: "message.image", file_id: written.id });
    expect(chart.events.indexOf(imageEvent!)).toBeLessThan(
      chart.events.findIndex((e) => e.type === "message.text"),
    );
    const lightPng = PNG.sync.read(Buffer.from(written.data));
    expect([lightPng.width, lightPng.height]).toEqual([800, 500]);
    expect(text(chart.events)).toContain("sine wave visualization");

    // 2. The same code, in a fenced python block, with no tool call.
    expect(toolCalls(code.events)).toEqual([]);
    expect(text(code.events)).toContain("```python\n" + call.input + "\n```");

    // 3. A dark version: dark_background style, a darker PNG, text that says so.
    const [darkCall] = toolCalls(dark.events) as [Extract<PlannedToolCall, { type: "code_interpreter" }>];
    expect(darkCall.input).toContain("plt.style.use('dark_background')");
    expect(darkCall.input).toContain("np.sin(x)");
    const darkFile = dark.ctx.written[0]!;
    expect(darkFile.filename).toBe("sine_wave_dark.png");
    const darkPng = PNG.sync.read(Buffer.from(darkFile.data));
    expect(luminance(darkPng)).toBeLessThan(luminance(lightPng) * 0.4);
    expect(text(dark.events)).toContain("dark mode version");

    // 4. "The code" now means the dark chart's code.
    expect(text(darkCode.events)).toContain("```python\n" + darkCall.input + "\n```");
  });

  it("switches back to light mode, and links the PNG when asked to save it", async () => {
    const { ctx, events } = await run({
      tools: CI,
      messages: ["Plot a sine wave in dark mode", "Switch back to light mode and save the chart"],
    });
    const png = ctx.written[0]!;
    expect(png.filename).toBe("sine_wave.png");
    expect(luminance(PNG.sync.read(Buffer.from(png.data)))).toBeGreaterThan(200);
    const body = messageTextParts(events)[0]!;
    expect(body).toContain("light version of the sine wave visualization");
    const [ann] = annotations(events);
    expect(ann).toMatchObject({
      type: "file_path",
      file_id: png.id,
      text: "sandbox:/mnt/data/sine_wave.png",
    });
    expect(body.slice(ann!.start_index, ann!.end_index)).toBe(ann!.text);
  });

  it("keeps dark mode when the instructions ask for it", async () => {
    const { events } = await run({
      instructions: "Always use dark mode for charts.",
      tools: CI,
      messages: ["Plot a cosine wave"],
    });
    const [call] = toolCalls(events) as [Extract<PlannedToolCall, { type: "code_interpreter" }>];
    expect(call.input).toContain("dark_background");
    expect(call.input).toContain("np.cos(x)");
  });

  it("charts an attached CSV, reading it with readFileText", async () => {
    const csv = "month,sales\nJan,10\nFeb,14\nMar,9\nApr,20\n";
    const { ctx, events } = await run({
      tools: CI,
      codeInterpreterFiles: [{ file_id: "file-csv", filename: "sales.csv", bytes: csv.length }],
      fileTexts: { "file-csv": csv },
      messages: ["Make a bar chart of the data in the CSV"],
    });
    const [call] = toolCalls(events) as [Extract<PlannedToolCall, { type: "code_interpreter" }>];
    expect(call.input).toContain("pd.read_csv('/mnt/data/sales.csv')");
    expect(call.input).toContain("ax.bar(df['month'].astype(str), df['sales']");
    expect(call.outputs[0]).toEqual({ type: "logs", logs: "4 rows, columns: ['month', 'sales']\n" });
    expect(PNG.sync.read(Buffer.from(ctx.written[0]!.data)).width).toBe(800);
  });

  it("draws numeric CSV columns as lines against a numeric first column", async () => {
    const rows = Array.from(
      { length: 50 },
      (_, i) => `${i},${Math.sin(i / 5).toFixed(4)},${(i / 10).toFixed(1)}`,
    );
    const csv = `t,signal,trend\n${rows.join("\n")}\n`;
    const { ctx, events } = await run({
      tools: CI,
      codeInterpreterFiles: [{ file_id: "file-csv", filename: "series.csv", bytes: csv.length }],
      fileTexts: { "file-csv": csv },
      messages: ["Plot the data"],
    });
    const [call] = toolCalls(events) as [Extract<PlannedToolCall, { type: "code_interpreter" }>];
    expect(call.input).toContain("ax.plot(df['t'], df['signal']");
    expect(call.input).toContain("ax.plot(df['t'], df['trend']");
    expect(call.input).toContain("ax.legend()");
    expect(call.outputs[0]).toEqual({ type: "logs", logs: "50 rows, columns: ['t', 'signal', 'trend']\n" });
    const png = PNG.sync.read(Buffer.from(ctx.written[0]!.data));
    // Both series are drawn: blue (first colour) and orange (second colour) pixels.
    let blue = 0;
    let orange = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if (b > 150 && r < 80) blue++;
      if (r > 220 && g > 100 && g < 160 && b < 60) orange++;
    }
    expect(blue).toBeGreaterThan(300);
    expect(orange).toBeGreaterThan(300);
  });

  it("says so when asked for code before any chart exists", async () => {
    const { events } = await run({ tools: CI, messages: ["Show me the code"] });
    expect(toolCalls(events)).toEqual([]);
    expect(text(events)).toContain("no code to show");
  });

  it("writes a requested CSV file and cites it with a file_path annotation covering the sandbox path exactly", async () => {
    const { ctx, events } = await run({
      tools: CI,
      messages: ["Create a visualization of a sinewave", "Now export the data to a CSV file"],
    });
    expect(ctx.written).toHaveLength(1);
    const file = ctx.written[0]!;
    expect(file.filename).toBe("sine_wave.csv");
    const rows = parseCsv(new TextDecoder().decode(file.data));
    expect(rows[0]).toEqual(["x", "sin(x)"]);
    expect(rows).toHaveLength(102);
    expect(Number(rows[26]![1])).toBeCloseTo(Math.sin(Number(rows[26]![0])), 5);

    const [ann] = annotations(events);
    const value = messageTextParts(events)[0]!;
    expect(ann).toMatchObject({
      type: "file_path",
      file_id: file.id,
      text: "sandbox:/mnt/data/sine_wave.csv",
    });
    expect(value.slice(ann!.start_index, ann!.end_index)).toBe(ann!.text);
    const [call] = toolCalls(events) as [Extract<PlannedToolCall, { type: "code_interpreter" }>];
    expect(call.input).toContain("df.to_csv('/mnt/data/sine_wave.csv', index=False)");
  });

  it("shows the code of the last thing it did, a file or a chart", async () => {
    const afterFile = await run({
      tools: CI,
      messages: ["Create a chart of a cosine", "Export the data as a CSV file", "Show me the code you used"],
    });
    expect(toolCalls(afterFile.events)).toEqual([]);
    const body = text(afterFile.events);
    expect(body).toContain("```python\nimport numpy as np\nimport pandas as pd");
    expect(body).toContain("df.to_csv('/mnt/data/cosine_wave.csv', index=False)");
    const afterChart = await run({
      tools: CI,
      messages: ["Export a sine wave to a CSV file", "Now plot it", "Show me the code you used"],
    });
    expect(text(afterChart.events)).toContain("y = np.sin(x)");
    expect(text(afterChart.events)).toContain("ax.plot(x, y");
  });

  it("honours a file name the message gives, and JSON", async () => {
    const { ctx, events } = await run({
      tools: CI,
      messages: ["Save the numbers 3, 5 and 8 as results.json"],
    });
    expect(ctx.written[0]!.filename).toBe("results.json");
    expect(JSON.parse(new TextDecoder().decode(ctx.written[0]!.data))).toEqual([
      { label: "1", value: 3 },
      { label: "2", value: 5 },
      { label: "3", value: 8 },
    ]);
    const [ann] = annotations(events);
    expect(messageTextParts(events)[0]!.slice(ann!.start_index, ann!.end_index)).toBe(
      "sandbox:/mnt/data/results.json",
    );
  });

  it("does not draw when code interpreter is off, and says why", async () => {
    const { ctx, events } = await run({ messages: ["Create a visualization of a sinewave"] });
    expect(toolCalls(events)).toEqual([]);
    expect(ctx.written).toEqual([]);
    expect(text(events)).toContain("turn on code interpreter");
  });
});

describe("file search", () => {
  const passages = [
    {
      file_id: "file-a",
      file_name: "handbook.md",
      text: "Welcome to the company. Employees get 25 vacation days per year. Unused vacation days expire in March.",
    },
    {
      file_id: "file-b",
      file_name: "policy.txt",
      text: "Remote work is allowed two days a week. Vacation requests need manager approval two weeks ahead.",
    },
    { file_id: "file-c", file_name: "menu.txt", text: "The cafeteria serves soup on Fridays." },
  ];

  it("searches, reports the results as a tool call, and cites passages with exact marker indexes", async () => {
    const { ctx, events } = await run({
      tools: [{ type: "file_search" }],
      passages,
      messages: ["How many vacation days do employees get?"],
    });
    expect(ctx.searches).toEqual([{ query: "How many vacation days do employees get?", maxResults: 20 }]);
    const [call] = toolCalls(events) as [Extract<PlannedToolCall, { type: "file_search" }>];
    expect(call.type).toBe("file_search");
    const results = call.results;
    expect(results.map((r) => r.file_id)).toEqual(["file-a", "file-b"]);

    const value = messageTextParts(events)[0]!;
    const anns = annotations(events);
    expect(anns.length).toBe(2);
    anns.forEach((a, m) => {
      expect(a.type).toBe("file_citation");
      expect(a.text).toMatch(/^【\d+:\d+†source】$/);
      expect(value.slice(a.start_index, a.end_index)).toBe(a.text);
      expect(a.text).toBe(`【1:${m}†source】`);
      expect(a.file_id).toBe(results[m]!.file_id);
      if (a.type === "file_citation") expect(results[m]!.text).toContain(a.quote);
    });
    expect(value).toContain("Employees get 25 vacation days per year.");
    // Each annotation is streamed after the delta that completes its marker.
    for (const a of anns) {
      const idx = events.findIndex((e) => e.type === "message.annotation" && e.annotation === a);
      const before = events
        .slice(0, idx)
        .flatMap((e) => (e.type === "message.text" ? [e.value] : []))
        .join("");
      expect(before.length).toBeGreaterThanOrEqual(a.end_index);
    }
  });

  it("passes max_num_results", async () => {
    const { ctx } = await run({
      tools: [{ type: "file_search", file_search: { max_num_results: 1 } }],
      passages,
      messages: ["vacation days"],
    });
    expect(ctx.searches[0]!.maxResults).toBe(1);
  });

  it("says honestly when nothing matches", async () => {
    const { events } = await run({
      tools: [{ type: "file_search" }],
      passages,
      messages: ["Quantum chromodynamics?"],
    });
    expect(toolCalls(events)).toEqual([]);
    expect(annotations(events)).toEqual([]);
    expect(text(events)).toContain("found no passage that matches");
  });
});

describe("function calling", () => {
  const getWeather: ToolDefinition = {
    type: "function",
    function: {
      name: "get_weather",
      description: "Get the current weather forecast for a city",
      parameters: {
        type: "object",
        properties: {
          city: { type: "string" },
          unit: { type: "string", enum: ["celsius", "fahrenheit"] },
          days: { type: "integer", minimum: 1, maximum: 14 },
        },
        required: ["city", "unit", "days"],
        additionalProperties: false,
      },
    },
  };
  const createOrder: ToolDefinition = {
    type: "function",
    function: {
      name: "create_order",
      description: "Place an order for products in the shop",
      parameters: {
        type: "object",
        properties: {
          customer: {
            type: "object",
            properties: { name: { type: "string" }, email: { type: "string", format: "email" } },
            required: ["name", "email"],
            additionalProperties: false,
          },
          lines: {
            type: "array",
            minItems: 1,
            items: {
              type: "object",
              properties: {
                product: { type: "string" },
                quantity: { type: "integer", minimum: 1, maximum: 5 },
                color: { type: "string", enum: ["red", "green", "blue"] },
              },
              required: ["product", "quantity", "color"],
              additionalProperties: false,
            },
          },
          express: { type: "boolean" },
        },
        required: ["customer", "lines", "express"],
        additionalProperties: false,
      },
    },
  };
  const tellJoke: ToolDefinition = {
    type: "function",
    function: {
      name: "tell_joke",
      description: "Tell a random joke",
      parameters: { type: "object", properties: {} },
    },
  };
  const fns = [getWeather, createOrder, tellJoke];
  const schemaOf = (name: string) =>
    (
      fns.find((f) => f.type === "function" && f.function.name === name) as Extract<
        ToolDefinition,
        { type: "function" }
      >
    ).function.parameters!;
  const validate = (call: PlannedToolCall) => {
    if (call.type !== "function") throw new Error("not a function call");
    const v = ajv.compile(schemaOf(call.name));
    const args = JSON.parse(call.arguments);
    expect(v(args), JSON.stringify(v.errors)).toBe(true);
    return args;
  };

  it("calls the function the message asks for by intent, with arguments from the message that validate", async () => {
    const { events } = await run({
      tools: fns,
      messages: ["What's the weather forecast in Lisbon for 3 days in fahrenheit?"],
    });
    expect(events).toHaveLength(1);
    const calls = toolCalls(events);
    expect(calls.map((c) => c.type === "function" && c.name)).toEqual(["get_weather"]);
    expect(validate(calls[0]!)).toEqual({ city: "Lisbon", unit: "fahrenheit", days: 3 });
  });

  it("fills nested objects and arrays of objects validly when the function is named", async () => {
    const { events } = await run({
      tools: fns,
      messages: ["Use create_order for Grace Hopper (grace@example.com): 2 blue mugs, express"],
    });
    const [call] = toolCalls(events);
    const args = validate(call!);
    expect(args.customer).toEqual({ name: "Grace Hopper", email: "grace@example.com" });
    expect(args.lines[0]).toMatchObject({ quantity: 2, color: "blue" });
    expect(args.express).toBe(true);
  });

  it("makes one call per place when parallel calls are allowed, one call otherwise", async () => {
    const msg = "What is the weather in Paris and Tokyo?";
    const parallel = toolCalls((await run({ tools: fns, messages: [msg] })).events);
    expect(parallel.map((c) => (c.type === "function" ? JSON.parse(c.arguments).city : null))).toEqual([
      "Paris",
      "Tokyo",
    ]);
    parallel.forEach(validate);
    const single = toolCalls((await run({ tools: fns, messages: [msg], parallelToolCalls: false })).events);
    expect(single).toHaveLength(1);
  });

  it("calls several matching functions in parallel", async () => {
    const calls = toolCalls(
      (await run({ tools: fns, messages: ["Tell me a joke and the weather in Oslo"] })).events,
    );
    expect(calls.map((c) => (c.type === "function" ? c.name : c.type)).sort()).toEqual([
      "get_weather",
      "tell_joke",
    ]);
    calls.forEach(validate);
  });

  it("does not call functions the message has nothing to do with", async () => {
    const { events } = await run({ tools: fns, messages: ["Summarise the history of Rome"] });
    expect(toolCalls(events)).toEqual([]);
    expect(events[0]).toEqual({ type: "message.start" });
  });

  it("obeys tool_choice: required, a named function, none", async () => {
    const required = toolCalls(
      (await run({ tools: fns, toolChoice: "required", messages: ["Hello"] })).events,
    );
    expect(required).toHaveLength(1);
    validate(required[0]!);
    const named = toolCalls(
      (
        await run({
          tools: fns,
          toolChoice: { type: "function", function: { name: "create_order" } },
          messages: ["weather in Paris"],
        })
      ).events,
    );
    expect(named.map((c) => c.type === "function" && c.name)).toEqual(["create_order"]);
    validate(named[0]!);
    const none = await run({ tools: fns, toolChoice: "none", messages: ["What's the weather in Paris?"] });
    expect(toolCalls(none.events)).toEqual([]);
    expect(text(none.events)).toContain('tool_choice: "none"');
  });

  it("keeps parallel results apart in the summary", async () => {
    const { events } = await run({
      tools: fns,
      messages: ["Weather in Paris and Tokyo?"],
      priorFunctionCalls: [
        { id: "c1", name: "get_weather", arguments: '{"city":"Paris"}', output: '{"temperature":20}' },
        { id: "c2", name: "get_weather", arguments: '{"city":"Tokyo"}', output: "not JSON, just text" },
      ],
    });
    expect(text(events)).toContain("**In short:** Paris — temperature: 20; Tokyo — not JSON, just text.");
  });

  it("answers from submitted outputs and does not call again", async () => {
    const { events } = await run({
      tools: fns,
      messages: ["What's the weather in Paris?"],
      priorFunctionCalls: [
        {
          id: "call_1",
          name: "get_weather",
          arguments: '{"city":"Paris","unit":"celsius","days":1}',
          output: '{"temperature":21,"conditions":"sunny"}',
        },
      ],
    });
    expect(toolCalls(events)).toEqual([]);
    const body = text(events);
    expect(body).toContain("`get_weather`");
    expect(body).toContain("**temperature**: 21");
    expect(body).toContain("**conditions**: sunny");
  });
});

describe("forced tools", () => {
  it("tool_choice code_interpreter runs code even for a plain question", async () => {
    const { events } = await run({
      tools: CI,
      toolChoice: { type: "code_interpreter" },
      codeInterpreterFiles: [{ file_id: "f1", filename: "data.txt", bytes: 42 }],
      messages: ["Hi"],
    });
    const [call] = toolCalls(events) as [Extract<PlannedToolCall, { type: "code_interpreter" }>];
    expect(call.type).toBe("code_interpreter");
    expect(call.outputs).toEqual([{ type: "logs", logs: "1 file(s) in /mnt/data\ndata.txt 42\n" }]);
  });

  it("tool_choice file_search searches even when functions match", async () => {
    const { ctx, events } = await run({
      tools: [
        { type: "file_search" },
        { type: "function", function: { name: "get_weather", description: "weather" } },
      ],
      toolChoice: { type: "file_search" },
      passages: [{ file_id: "f", file_name: "w.txt", text: "The weather in Paris is mild." }],
      messages: ["weather in Paris"],
    });
    expect(ctx.searches).toHaveLength(1);
    expect(toolCalls(events).map((c) => c.type)).toEqual(["file_search"]);
  });
});

describe("tool_choice required without functions", () => {
  const tools: ToolDefinition[] = [{ type: "code_interpreter" }, { type: "file_search" }];
  it("sends a chart request to code interpreter", async () => {
    const { events } = await run({ tools, toolChoice: "required", messages: ["Plot a sine wave"] });
    expect(toolCalls(events).map((c) => c.type)).toEqual(["code_interpreter"]);
  });

  it("otherwise searches, and reports the forced search even with no results", async () => {
    const { events } = await run({ tools, toolChoice: "required", messages: ["Anything about zebras?"] });
    expect(toolCalls(events)).toEqual([{ type: "file_search", results: [] }]);
    expect(text(events)).toContain("found no passage that matches");
  });
});

describe("response_format", () => {
  it("json_object gives a JSON object", async () => {
    const { events } = await run({
      responseFormat: { type: "json_object" },
      messages: ["List three colours"],
    });
    const parsed = JSON.parse(text(events));
    expect(parsed.question).toBe("List three colours");
  });

  it("json_schema gives JSON that validates against the schema", async () => {
    const schema = {
      type: "object",
      properties: {
        answer: { type: "string" },
        confidence: { type: "number", minimum: 0, maximum: 1 },
        items: {
          type: "array",
          minItems: 2,
          items: {
            type: "object",
            properties: { name: { type: "string" }, rank: { type: "integer", minimum: 1 } },
            required: ["name", "rank"],
            additionalProperties: false,
          },
        },
        category: { type: "string", enum: ["science", "art", "other"] },
      },
      required: ["answer", "confidence", "items", "category"],
      additionalProperties: false,
    };
    const { events } = await run({
      responseFormat: { type: "json_schema", json_schema: { name: "reply", schema, strict: true } },
      messages: ["Rank the art movements"],
    });
    const parsed = JSON.parse(text(events));
    const v = ajv.compile(schema);
    expect(v(parsed), JSON.stringify(v.errors)).toBe(true);
    expect(parsed.category).toBe("art");
    expect(parsed.answer).toContain("Rank the art movements");
  });
});

describe("directives", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("[[fail]] and [[fail:code]] end the run failed", async () => {
    expect((await run({ messages: ["hi [[fail]]"] })).events).toEqual([
      { type: "fail", code: "server_error", message: expect.stringContaining("[[fail]]") },
    ]);
    const rl = (await run({ messages: ["hi [[FAIL:rate_limit_exceeded]]"] })).events;
    expect(rl).toMatchObject([{ type: "fail", code: "rate_limit_exceeded" }]);
  });

  it("[[expire]] and [[incomplete]] end the run in those states", async () => {
    expect((await run({ messages: ["[[expire]]"] })).events).toEqual([{ type: "expire" }]);
    const inc = (await run({ messages: ["[[incomplete:max_prompt_tokens]]"] })).events;
    expect(inc[0]).toEqual({ type: "message.start" });
    expect(inc[inc.length - 1]).toEqual({ type: "incomplete", reason: "max_prompt_tokens" });
    expect(inc.some((e) => e.type === "message.end")).toBe(false);
    expect((await run({ messages: ["[[incomplete]]"] })).events.at(-1)).toEqual({
      type: "incomplete",
      reason: "max_completion_tokens",
    });
  });

  it("[[tokens:N]] streams exactly N word-sized deltas", async () => {
    const { events } = await run({ messages: ["Write a lot [[tokens:257]]"] });
    const deltas = events.filter((e) => e.type === "message.text");
    expect(deltas).toHaveLength(257);
    for (const d of deltas) if (d.type === "message.text") expect(d.value).toMatch(/^\S+ ?$/);
  });

  it("[[429]] makes admit refuse with retry-after", () => {
    expect(model.admit!({ lastUserText: "hello" })).toBeNull();
    expect(model.admit!({ lastUserText: "hello [[429]]" })).toMatchObject({ retryAfterSeconds: 1 });
    expect(model.admit!({ lastUserText: "[[429:12]] hello" })).toMatchObject({
      retryAfterSeconds: 12,
      message: expect.stringContaining("12 seconds"),
    });
  });

  it("[[slow:MS]] waits between deltas and stops as soon as the signal aborts", async () => {
    vi.useFakeTimers();
    const ctx = fakeContext({ messages: ["Tell me about tides [[slow:5000]]"] });
    const it = model.run(ctx)[Symbol.asyncIterator]();
    const first = it.next();
    await vi.advanceTimersByTimeAsync(0);
    // message.start needs no wait; the first text delta waits 5 s.
    expect((await first).value).toEqual({ type: "message.start" });
    const second = it.next();
    let settled = false;
    void second.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(4999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await second).value).toMatchObject({ type: "message.text" });
    // Abort while waiting for the next delta: the iteration ends without any timer advancing.
    const third = it.next();
    ctx.controller.abort();
    expect(await third).toEqual({ done: true, value: undefined });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("determinism", () => {
  it("gives the same events and the same files for the same context", async () => {
    const init = (): FakeContextInit => ({
      instructions: WALKTHROUGH_INSTRUCTIONS,
      tools: [...CI, { type: "file_search" }],
      messages: ["Create a visualization of a sinewave in dark mode"],
    });
    const a = await run(init());
    const b = await run(init());
    expect(b.events).toEqual(a.events);
    expect(b.ctx.written).toEqual(a.ctx.written);
    const c = await run({
      messages: ["How do tides work?"],
      tools: [{ type: "file_search" }],
      passages: [{ file_id: "t", file_name: "t.txt", text: "Tides work because of the moon." }],
    });
    const d = await run({
      messages: ["How do tides work?"],
      tools: [{ type: "file_search" }],
      passages: [{ file_id: "t", file_name: "t.txt", text: "Tides work because of the moon." }],
    });
    expect(d.events).toEqual(c.events);
  });
});
