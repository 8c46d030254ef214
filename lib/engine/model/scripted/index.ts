/**
 * The scripted model: a deterministic stand-in for a real model, documented in ./README.md.
 * It plans the whole turn first (tool calls, generated files, the message), then streams it.
 */
import type { CodeExecution } from "../../sandbox/execute";
import type { Model, ModelEvent, ModelRunContext, PlannedToolCall, ResponseFormat } from "../types";
import {
  SCRIPTED_NOTE,
  isJsonFormat,
  jsonAnswer,
  writeFunctionResultsAnswer,
  writePlainAnswer,
} from "./answers";
import {
  buildChart,
  buildFile,
  codeInterpreterHistory,
  listFilesCall,
  renderChartPng,
  type ChartRequest,
} from "./code-interpreter";
import { parseDirectives, type Directives } from "./directives";
import { DEFAULT_MAX_RESULTS, bestPassage, writeFileSearchAnswer, writeNoHitsAnswer } from "./file-search";
import { planFunctionCalls } from "./functions";
import { isChartRequest, isCodeRequest, themeRequest, wantsSave } from "./intents";
import { MessageBuilder, chunkText, messageEvents } from "./message";
import { clip, inlineMarkdown, keywords } from "./text";

export { parseDirectives } from "./directives";

export interface ScriptedModelOptions {
  /** Milliseconds to wait before each streamed delta when no `[[slow]]` directive says otherwise. Default 0. */
  deltaDelayMs?: number;
}

export function createScriptedModel(options: ScriptedModelOptions = {}): Model {
  return {
    id: "scripted",
    label: "scripted model",
    admit({ lastUserText }) {
      const limit = parseDirectives(lastUserText).rateLimit;
      if (!limit) return null;
      return {
        retryAfterSeconds: limit.retryAfterSeconds,
        message: `Rate limit is exceeded. Try again in ${limit.retryAfterSeconds} second${limit.retryAfterSeconds === 1 ? "" : "s"}. (Forced by the [[429]] directive.)`,
      };
    },
    run(ctx) {
      return stream(ctx, options);
    },
  };
}

async function* stream(ctx: ModelRunContext, options: ScriptedModelOptions): AsyncGenerator<ModelEvent> {
  const lastUser = [...ctx.messages].reverse().find((m) => m.role === "user");
  const directives = parseDirectives(lastUser?.text ?? "");
  const delay = directives.slowMs ?? options.deltaDelayMs ?? 0;
  if (ctx.signal.aborted) return;
  const events = await planTurn(ctx, directives);
  for (const event of events) {
    if (ctx.signal.aborted) return;
    if (delay > 0 && (event.type === "message.text" || event.type === "tool_calls")) {
      await sleep(delay, ctx.signal);
      if (ctx.signal.aborted) return;
    }
    yield event;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

const FILLER =
  "This long answer was requested with the tokens directive. The scripted model streams it one word at a time so that completion limits, truncation, slow clients and long messages can be tested without a real model.".split(
    " ",
  );

/** Everything the model does this turn, in order. Side effects (writeFile, searchFiles) happen here. */
export async function planTurn(ctx: ModelRunContext, directives: Directives): Promise<ModelEvent[]> {
  const question = directives.text;

  if (directives.fail) {
    const message =
      directives.fail.code === "rate_limit_exceeded"
        ? "Rate limit is exceeded. Try again later. (Forced by the [[fail:rate_limit_exceeded]] directive.)"
        : `The run failed because the message asked for it with the [[fail${directives.fail.code === "server_error" ? "" : `:${directives.fail.code}`}]] directive.`;
    return [{ type: "fail", code: directives.fail.code, message }];
  }
  if (directives.expire) return [{ type: "expire" }];
  if (directives.incomplete) {
    // A partial message, as a real run cut short leaves one; the engine marks it incomplete.
    const partial = chunkText(
      "This answer stops early because the message asked for an incomplete run with the [[incomplete]] directive.",
    ).slice(0, 8);
    return [
      { type: "message.start" },
      ...partial.map((value): ModelEvent => ({ type: "message.text", value })),
      { type: "incomplete", reason: directives.incomplete.reason },
    ];
  }
  if (directives.tokens !== undefined) {
    const n = directives.tokens;
    const deltas: ModelEvent[] = Array.from({ length: n }, (_, i) => ({
      type: "message.text",
      value: `${FILLER[i % FILLER.length]}${i === n - 1 ? "" : " "}`,
    }));
    return [{ type: "message.start" }, ...deltas, { type: "message.end" }];
  }

  const events: ModelEvent[] = [];
  const msg = new MessageBuilder();
  const facts: Record<string, unknown> = { question };
  const choice = ctx.toolChoice;
  const toolsAllowed = choice !== "none";
  const has = (type: "code_interpreter" | "file_search" | "function") =>
    ctx.tools.some((t) => t.type === type);
  const forced = typeof choice === "object" ? choice.type : choice === "required" ? "required" : undefined;

  // After submit_tool_outputs: answer from the outputs, never call again in the same run.
  if (ctx.priorFunctionCalls.length > 0) {
    writeFunctionResultsAnswer(msg, question, ctx.priorFunctionCalls);
    facts.results = ctx.priorFunctionCalls.map((c) => ({
      name: c.name,
      arguments: parseLoose(c.arguments),
      output: parseLoose(c.output),
    }));
    facts.answer = `The function${ctx.priorFunctionCalls.length === 1 ? "" : "s"} ${ctx.priorFunctionCalls.map((c) => c.name).join(", ")} returned: ${ctx.priorFunctionCalls.map((c) => clip(c.output, 200)).join("; ")}`;
    return [...events, ...finalMessage(msg, ctx.responseFormat, question, facts)];
  }

  if (toolsAllowed) {
    // Function calls: by name or intent, or forced by tool_choice.
    if (has("function") && (forced === undefined || forced === "required" || forced === "function")) {
      const calls = planFunctionCalls(ctx, question);
      if (calls.length > 0) return [{ type: "tool_calls", calls }];
    }

    const ciForced =
      forced === "code_interpreter" || (forced === "required" && !has("function") && !has("file_search"));
    // "required" with other tools on: a chart/file/code request still goes to code interpreter.
    if (has("code_interpreter") && (forced === undefined || forced === "required" || ciForced)) {
      const done = await codeInterpreterTurn(ctx, question, msg, events, ciForced);
      if (done) {
        facts.answer = msg.plainText();
        return [...events, ...finalMessage(msg, ctx.responseFormat, question, facts)];
      }
    }

    const fsForced = forced === "file_search" || (forced === "required" && !has("function"));
    if (has("file_search") && (forced === undefined || fsForced)) {
      const tool = ctx.tools.find((t) => t.type === "file_search");
      const max =
        (tool?.type === "file_search" ? tool.file_search?.max_num_results : undefined) ?? DEFAULT_MAX_RESULTS;
      const hits = await ctx.searchFiles(question, max);
      if (hits.length > 0) {
        events.push({ type: "tool_calls", calls: [{ type: "file_search", results: hits }] });
        const stepIndex = ctx.messages.length;
        if (isJsonFormat(ctx.responseFormat)) {
          facts.sources = hits
            .slice(0, 3)
            .map((h) => ({ file_name: h.file_name, quote: bestPassage(h, question) }));
          facts.answer = hits
            .slice(0, 3)
            .map((h) => bestPassage(h, question))
            .join(" ");
        } else writeFileSearchAnswer(msg, question, hits, stepIndex);
      } else {
        // A forced search still shows as a step, with its (empty) results.
        if (fsForced) events.push({ type: "tool_calls", calls: [{ type: "file_search", results: [] }] });
        writeNoHitsAnswer(msg, question);
        facts.answer = "No passage in the files matches the question.";
      }
      return [...events, ...finalMessage(msg, ctx.responseFormat, question, facts)];
    }
  }

  const notes: string[] = [];
  if (!toolsAllowed && ctx.tools.length > 0)
    notes.push('**Tools:** this run has `tool_choice: "none"`, so I called no tools.');
  else if (isChartRequest(question) && !has("code_interpreter"))
    notes.push("**Charts:** turn on code interpreter for this assistant and I'll draw one.");
  writePlainAnswer(msg, ctx, question, { notes });
  facts.answer = `You asked: ${clip(question, 300)}`;
  facts.keywords = [...new Set(keywords(question))].slice(0, 8);
  return [...events, ...finalMessage(msg, ctx.responseFormat, question, facts)];
}

function parseLoose(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function finalMessage(
  msg: MessageBuilder,
  format: ResponseFormat,
  question: string,
  facts: Record<string, unknown>,
): ModelEvent[] {
  if (!isJsonFormat(format)) return messageEvents(msg.parts);
  const json = new MessageBuilder().text(jsonAnswer(format, question, facts));
  return messageEvents(json.parts);
}

/**
 * Code interpreter intents: show code, create a file, draw a chart (or, when the tool is forced
 * with nothing else asked, list the files it can see). Returns false when the message asks for
 * none of these, so other tools or a plain answer can take the turn.
 */
async function codeInterpreterTurn(
  ctx: ModelRunContext,
  question: string,
  msg: MessageBuilder,
  events: ModelEvent[],
  forced: boolean,
): Promise<boolean> {
  const userTexts = ctx.messages.filter((m) => m.role === "user").map((m) => m.text);
  const earlier = userTexts.slice(0, -1);
  // What code interpreter did before this message, and what this message asks of it.
  const before = codeInterpreterHistory(ctx, earlier);
  const withNow = codeInterpreterHistory(ctx, [...earlier, question]);
  const current = withNow.find((a) => a.index === earlier.length);
  const lastAction = before[before.length - 1];
  const previous = before.flatMap((a) => (a.kind === "chart" ? [a.request] : [])).pop();
  const sandbox = ctx.codeSandbox.available;

  if (isCodeRequest(question) && !forced) {
    if (lastAction?.kind === "file") {
      const file = await buildFile(lastAction.format, lastAction.filename, lastAction.subject, ctx);
      msg.text(
        `Certainly, here is the code I used to create \`${file.filename}\`:\n\n\`\`\`python\n${file.code}\n\`\`\`\n\n`,
      );
      msg.text(`This code builds a \`pandas\` DataFrame and writes it to \`/mnt/data/${file.filename}\`.`);
      if (!sandbox)
        msg.text(`\n\n_The local engine wrote the file itself; it shows this code but does not run Python._`);
    } else if (lastAction?.kind === "chart") {
      const chart = await buildChart(lastAction.request, ctx);
      msg.text(
        `Certainly, here is the code I used to generate ${chart.noun}:\n\n\`\`\`python\n${chart.code}\n\`\`\`\n\n`,
      );
      msg.text(codeExplanation(chart.code));
      if (!sandbox)
        msg.text(
          `\n\n_The local engine drew the chart itself from the same numbers; it shows this code but does not run Python._`,
        );
    } else {
      msg.text(
        "I haven't generated a chart or run any code in this conversation yet, so there is no code to show. Ask for a chart — for example “Create a visualization of a sinewave” — and then ask for its code.\n\n" +
          SCRIPTED_NOTE,
      );
    }
    return true;
  }

  if (current?.kind === "file") {
    const file = await buildFile(current.format, current.filename, current.subject, ctx);
    if (sandbox) {
      const ran = await ctx.executeCode(file.code);
      events.push({
        type: "tool_calls",
        calls: [{ type: "code_interpreter", input: file.code, outputs: ran.outputs }],
      });
      const written = ran.files.find((f) => f.name === file.filename);
      if (ran.error || !written) {
        sandboxFailure(msg, ran, `write \`${file.filename}\``);
        return true;
      }
      msg.text(
        `I saved ${file.description} as \`${file.filename}\`.\n\n[Download ${inlineMarkdown(file.filename)}](`,
      );
      msg.filePath(`sandbox:/mnt/data/${file.filename}`, written.file_id);
      msg.text(`)\n\n${ranIn(ctx)}`);
      return true;
    }
    const stored = await ctx.writeFile(file.filename, file.data);
    events.push({
      type: "tool_calls",
      calls: [{ type: "code_interpreter", input: file.code, outputs: [{ type: "logs", logs: file.logs }] }],
    });
    msg.text(
      `I saved ${file.description} as \`${file.filename}\`.\n\n[Download ${inlineMarkdown(file.filename)}](`,
    );
    msg.filePath(`sandbox:/mnt/data/${file.filename}`, stored.id);
    msg.text(
      `)\n\n_The local engine wrote this file itself; the code above shows how pandas would write it, but no Python ran._`,
    );
    return true;
  }

  const request: ChartRequest | undefined =
    current?.kind === "chart" ? current.request : forced ? previous : undefined;
  if (request) {
    const chart = await buildChart(request, ctx);
    let imageId: string;
    let savedId: string | undefined;
    if (sandbox) {
      const ran = await ctx.executeCode(chart.code);
      events.push({
        type: "tool_calls",
        calls: [{ type: "code_interpreter", input: chart.code, outputs: ran.outputs }],
      });
      const image = ran.outputs.find((o) => o.type === "image");
      if (ran.error || !image) {
        sandboxFailure(msg, ran, `draw ${chart.noun}`);
        return true;
      }
      imageId = image.file_id;
      savedId = ran.files.find((f) => f.name === chart.filename)?.file_id;
    } else {
      const png = renderChartPng(chart);
      const stored = await ctx.writeFile(chart.filename, png);
      const call: PlannedToolCall = {
        type: "code_interpreter",
        input: chart.code,
        outputs: [
          { type: "logs", logs: chart.logs },
          { type: "image", file_id: stored.id },
        ],
      };
      events.push({ type: "tool_calls", calls: [call] });
      imageId = savedId = stored.id;
    }
    msg.image(imageId);
    const themeAsked = themeRequest(question);
    if (request.dark && (themeAsked === true || (previous && !previous.dark))) {
      msg.text(
        `Here is the dark mode version of ${chart.noun}: a dark background (matplotlib's \`dark_background\` style) with ${chart.spec.kind === "bar" ? "bright cyan bars" : "a bright cyan line"} so it stands out.`,
      );
    } else if (!request.dark && themeAsked === false) {
      msg.text(
        `Here is the light version of ${chart.noun}: a white background with ${chart.spec.kind === "bar" ? "blue bars" : "a blue line"}.`,
      );
    } else {
      msg.text(`Here is ${chart.noun}.`);
    }
    for (const note of chart.notes) msg.text(` ${note}`);
    if (wantsSave(question) && savedId) {
      msg.text(`\n\nYou can download the image here: [${inlineMarkdown(chart.filename)}](`);
      msg.filePath(`sandbox:/mnt/data/${chart.filename}`, savedId);
      msg.text(")");
    }
    msg.text(
      sandbox
        ? `\n\n${ranIn(ctx)}`
        : `\n\n_The local engine drew this ${chart.spec.width ?? 800}×${chart.spec.height ?? 500} PNG itself from the same numbers as the code; it does not run Python._`,
    );
    return true;
  }

  if (forced) {
    const { code, logs } = listFilesCall(ctx.codeInterpreterFiles);
    const outputs = sandbox ? (await ctx.executeCode(code)).outputs : [{ type: "logs" as const, logs }];
    events.push({ type: "tool_calls", calls: [{ type: "code_interpreter", input: code, outputs }] });
    const n = ctx.codeInterpreterFiles.length;
    msg.text(
      n === 0
        ? "Code interpreter has no files for this run. Attach a file (for example a CSV) or ask for a chart."
        : `Code interpreter can see ${n} file${n === 1 ? "" : "s"}: ${ctx.codeInterpreterFiles.map((f) => `\`${f.filename}\` (${f.bytes} bytes)`).join(", ")}.`,
    );
    msg.text(
      sandbox
        ? `\n\n${ranIn(ctx)}`
        : "\n\n_The local engine listed these files itself; it does not run Python._",
    );
    return true;
  }
  return false;
}

/** The footnote of an answer whose code really ran. */
function ranIn(ctx: ModelRunContext): string {
  return `_The code ran in the engine's code sandbox (${ctx.codeSandbox.description})._`;
}

/** The code ran and failed (or made nothing): say so with what Python said, never pretend. */
function sandboxFailure(msg: MessageBuilder, ran: CodeExecution, what: string): void {
  const why = ran.error ? ran.error.message : "it finished without producing the expected output";
  msg.text(
    `I tried to ${what}, but the code did not succeed: ${why}.\n\n\`\`\`text\n${ran.text.length > 2000 ? `${ran.text.slice(0, 2000)}…` : ran.text}\n\`\`\`\n\nThe full output is in the code interpreter step of this run.`,
  );
}

function codeExplanation(code: string): string {
  const uses: string[] = [];
  if (code.includes("import numpy"))
    uses.push("`numpy` to generate the x values and compute y for each of them");
  if (code.includes("import pandas")) uses.push("`pandas` to read the data");
  uses.push("`matplotlib` to plot the values, label the axes, add a grid and save the figure as a PNG");
  if (code.includes("dark_background")) uses.push("the `dark_background` style for dark mode");
  return `This code uses ${uses.join(", ")}.`;
}
