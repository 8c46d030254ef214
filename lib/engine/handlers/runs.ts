import type { Core, ParsedMessage } from "../core";
import { errors } from "../errors";
import { ID_PREFIX, newId, nowSeconds } from "../ids";
import { json, listPage, pageQuery, readJson, type Ctx } from "../http";
import { LIMITS } from "../limits";
import type { Generation } from "../model/types";
import type { RunRec, ThreadRec } from "../records";
import * as render from "../render";
import { isCancellable } from "../run-states";
import type { Runner } from "../runner";
import { rejectUnknown, type Route, type Services } from "../services";
import * as v from "../validate";
import { createThread } from "./threads";

const RUN_FIELDS: Record<Generation, string[]> = {
  v1: ["assistant_id", "model", "instructions", "additional_instructions", "tools", "metadata", "stream"],
  v2: [
    "assistant_id",
    "model",
    "instructions",
    "additional_instructions",
    "additional_messages",
    "tools",
    "metadata",
    "temperature",
    "top_p",
    "stream",
    "max_prompt_tokens",
    "max_completion_tokens",
    "truncation_strategy",
    "tool_choice",
    "response_format",
    "parallel_tool_calls",
  ],
};
const THREAD_AND_RUN_FIELDS: Record<Generation, string[]> = {
  v1: ["assistant_id", "thread", "model", "instructions", "tools", "metadata", "stream"],
  v2: [
    "assistant_id",
    "thread",
    "model",
    "instructions",
    "tools",
    "tool_resources",
    "metadata",
    "temperature",
    "top_p",
    "stream",
    "max_prompt_tokens",
    "max_completion_tokens",
    "truncation_strategy",
    "tool_choice",
    "response_format",
    "parallel_tool_calls",
  ],
};

function wantsStream(body: Record<string, unknown>, g: Generation): boolean {
  const stream = v.optBool(body, "stream") ?? false;
  if (stream && g === "v1")
    throw errors.invalid(
      "Streaming is not supported by this api-version; use 2024-05-01-preview or later.",
      "stream",
    );
  return stream;
}

/** The one `include[]` value the protocol defines (run steps; OpenAI's spec, not Azure's 2024 files). */
const FILE_SEARCH_CONTENT = "step_details.tool_calls[*].file_search.results[*].content";

/**
 * The names `include` arrives under: `include[]` (openai), `include`, and `include%5B%5D`, which is what
 * `@azure/ai-agents` sends (its URL template encodes the already-encoded name a second time), with its
 * values joined by commas.
 */
export const INCLUDE_PARAMS = ["include[]", "include", "include%5B%5D"];

/**
 * Whether a run-step read asks for file-search result content. Any other value is refused, as OpenAI does.
 */
function wantsFileSearchContent(url: URL): boolean {
  const values = INCLUDE_PARAMS.flatMap((name) =>
    url.searchParams.getAll(name).flatMap((v) => (name === "include%5B%5D" ? v.split(",") : [v])),
  );
  for (const [i, value] of values.entries())
    if (value !== FILE_SEARCH_CONTENT)
      throw errors.invalid(
        `Invalid value for 'include[${i}]': '${value}'. Supported values are: '${FILE_SEARCH_CONTENT}'.`,
        "include",
        "invalid_value",
      );
  return values.length > 0;
}

/** Validates run options and builds the run (not yet stored). */
async function buildRun(
  core: Core,
  thread: ThreadRec,
  body: Record<string, unknown>,
  g: Generation,
  seq = 0,
): Promise<RunRec> {
  const assistantId = v.reqString(body, "assistant_id");
  const a = await core.assistant(assistantId, "assistant_id");
  const instructions = v.optString(body, "instructions", LIMITS.instructionsLength[g]);
  const additional = v.optString(body, "additional_instructions", LIMITS.instructionsLength[g]);
  const tools = v.tools(body, "tools", LIMITS.toolsPerRunOverride, g);
  const maxPrompt = v.optInt(body, "max_prompt_tokens", LIMITS.minTokenLimit);
  const maxCompletion = v.optInt(body, "max_completion_tokens", LIMITS.minTokenLimit);
  let truncation: RunRec["truncation_strategy"] = { type: "auto", last_messages: null };
  if (body.truncation_strategy !== undefined && body.truncation_strategy !== null) {
    const ts = body.truncation_strategy as Record<string, unknown>;
    if (ts.type === "auto") truncation = { type: "auto", last_messages: null };
    else if (ts.type === "last_messages") {
      const n = v.optInt(ts, "last_messages", 1);
      if (n == null)
        throw errors.invalid(
          "Missing required parameter: 'truncation_strategy.last_messages'.",
          "truncation_strategy.last_messages",
        );
      truncation = { type: "last_messages", last_messages: n };
    } else
      throw errors.invalid(
        "Invalid 'truncation_strategy.type': expected 'auto' or 'last_messages'.",
        "truncation_strategy.type",
      );
  }
  const toolChoice = v.toolChoice(body) ?? "auto";
  const runTools = tools ?? a.tools;
  if (
    typeof toolChoice === "object" &&
    toolChoice.type === "function" &&
    !runTools.some((t) => t.type === "function" && t.function.name === toolChoice.function.name)
  )
    throw errors.invalid(
      `Invalid 'tool_choice': the function '${toolChoice.function.name}' is not among the run's tools.`,
      "tool_choice",
    );
  const now = nowSeconds();
  const expiryMs = core.options.runExpirySeconds * 1000;
  const baseInstructions = instructions ?? a.instructions ?? "";
  return {
    id: newId(ID_PREFIX.run),
    object: "thread.run",
    created_at: now,
    _seq: seq,
    thread_id: thread.id,
    assistant_id: a.id,
    status: "queued",
    required_action: null,
    last_error: null,
    expires_at: now + core.options.runExpirySeconds,
    started_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    incomplete_details: null,
    model: (body.model !== undefined && body.model !== null ? v.reqString(body, "model") : null) ?? a.model,
    instructions: additional
      ? baseInstructions
        ? `${baseInstructions}\n\n${additional}`
        : additional
      : baseInstructions,
    tools: runTools,
    metadata: v.metadata(body) ?? {},
    usage: null,
    temperature:
      v.optNumber(body, "temperature", LIMITS.temperature.min, LIMITS.temperature.max) ?? a.temperature ?? 1,
    top_p: v.optNumber(body, "top_p", LIMITS.topP.min, LIMITS.topP.max) ?? a.top_p ?? 1,
    max_prompt_tokens: maxPrompt ?? null,
    max_completion_tokens: maxCompletion ?? null,
    truncation_strategy: truncation,
    tool_choice: toolChoice,
    response_format: v.responseFormat(body) ?? a.response_format ?? "auto",
    parallel_tool_calls: v.optBool(body, "parallel_tool_calls") ?? true,
    _fileIds: a.tool_resources.code_interpreter?.file_ids ?? [],
    _expiresAtMs: Date.now() + expiryMs,
    _generation: g,
    _priorFunctionCalls: [],
    _pendingStepId: null,
    _completionChars: 0,
  };
}

function admit(core: Core, lastUserText: string): void {
  const refusal = core.model.admit?.({ lastUserText });
  if (refusal) throw errors.rateLimited(refusal.retryAfterSeconds, refusal.message);
}

function lastUserText(
  messages: { role: string; content: { type: string; text?: { value: string } }[] }[],
): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === "user")
      return m.content.flatMap((c) => (c.type === "text" && c.text ? [c.text.value] : [])).join("\n\n");
  }
  return "";
}

const encoder = new TextEncoder();

/** An SSE response fed by the run's events; `prelude` goes out before the runner continues. */
function sse(runner: Runner, runId: string, prelude: [string, unknown][], go: () => void): Response {
  let unsubscribe = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (event: string, data: unknown) => {
        if (!open) return;
        controller.enqueue(
          encoder.encode(
            `event: ${event}\ndata: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`,
          ),
        );
      };
      unsubscribe = runner.subscribe(runId, {
        send: write,
        end() {
          write("done", "[DONE]");
          open = false;
          controller.close();
        },
      });
      for (const [event, data] of prelude) write(event, data);
      go();
    },
    cancel() {
      // The client went away; the run goes on, as on the real service.
      unsubscribe();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" },
  });
}

/** Answers for a run already stored (committed): its JSON, or its stream. */
function startRun(
  { runner }: Services,
  ctx: Ctx,
  run: RunRec,
  stream: boolean,
  thread?: ThreadRec,
): Response {
  if (!stream) {
    runner.start(run);
    return json(render.run(run, ctx.generation));
  }
  const prelude: [string, unknown][] = [];
  if (thread) prelude.push(["thread.created", render.thread(thread, "v2")]);
  prelude.push(["thread.run.created", render.run(run, "v2")], ["thread.run.queued", render.run(run, "v2")]);
  return sse(runner, run.id, prelude, () => runner.start(run));
}

async function getRun(s: Services, ctx: Ctx): Promise<RunRec> {
  const thread = await s.core.thread(ctx.params.thread_id!);
  const run = await s.core.run(thread.id, ctx.params.run_id!);
  await s.runner.checkExpiry(run);
  return run;
}

export const runRoutes: Route[] = [
  {
    method: "POST",
    path: "/threads/runs",
    async handler(s, ctx) {
      const { core } = s;
      const g = ctx.generation;
      const body = await readJson(ctx);
      rejectUnknown(body, THREAD_AND_RUN_FIELDS[g]);
      const stream = wantsStream(body, g);
      const threadBody = (body.thread ?? {}) as Record<string, unknown>;
      if (typeof threadBody !== "object" || Array.isArray(threadBody))
        throw errors.invalid("Invalid type for 'thread': expected an object.", "thread");
      await core.assistant(v.reqString(body, "assistant_id"), "assistant_id");
      // Validate everything, then ask the model for admission, before creating anything.
      const parsed: ParsedMessage[] = [];
      if (Array.isArray(threadBody.messages))
        for (const [i, m] of (threadBody.messages as unknown[]).entries())
          parsed.push(
            await core.parseMessage((m ?? {}) as Record<string, unknown>, g, `thread.messages[${i}]`),
          );
      const probe: ThreadRec = {
        id: "thread_probe",
        object: "thread",
        created_at: 0,
        _seq: 0,
        metadata: {},
        tool_resources: {},
      };
      await buildRun(core, probe, body, g);
      admit(core, lastUserText(parsed));
      // The thread, its messages and the run: all or nothing.
      const { thread, run } = await core.store.transaction(async () => {
        const thread = await createThread(core, threadBody, g, "thread");
        if (g === "v2") {
          const tr = await core.parseToolResources(body, false, true);
          if (tr) {
            thread.tool_resources = { ...thread.tool_resources, ...tr };
            await core.store.put("thread", thread);
          }
        }
        const run = await buildRun(core, thread, body, g, await core.store.nextSeq());
        await core.store.put("run", run);
        return { thread, run };
      });
      return startRun(s, ctx, run, stream, thread);
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id/runs",
    async handler({ core, runner }, ctx) {
      const t = await core.thread(ctx.params.thread_id!);
      return json(
        await listPage(
          () => core.store.page("run", { eq: { thread_id: t.id } }, pageQuery(ctx.url)),
          async (r) => {
            await runner.checkExpiry(r);
            return render.run(r, ctx.generation);
          },
        ),
      );
    },
  },
  {
    method: "POST",
    path: "/threads/:thread_id/runs",
    async handler(s, ctx) {
      const { core, runner } = s;
      const g = ctx.generation;
      let thread = await core.thread(ctx.params.thread_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, RUN_FIELDS[g]);
      const stream = wantsStream(body, g);
      const active = await core.activeRun(thread.id);
      if (active) await runner.checkExpiry(active);
      await core.assertThreadUnlocked(thread.id, "runs");
      const extra = g === "v2" && body.additional_messages != null ? body.additional_messages : [];
      if (!Array.isArray(extra))
        throw errors.invalid(
          "Invalid type for 'additional_messages': expected an array.",
          "additional_messages",
        );
      const additional: ParsedMessage[] = [];
      for (const [i, m] of (extra as unknown[]).entries()) {
        const mp = `additional_messages[${i}]`;
        if (!m || typeof m !== "object")
          throw errors.invalid(`Invalid type for '${mp}': expected an object.`, mp);
        rejectUnknown(m as Record<string, unknown>, ["role", "content", "attachments", "metadata"], mp);
        additional.push(await core.parseMessage(m as Record<string, unknown>, g, mp));
      }
      const draft = await buildRun(core, thread, body, g);
      const [lastUser] = await core.store
        .page(
          "message",
          { eq: { thread_id: thread.id }, contains: { role: "user" } },
          { order: "desc", limit: 1 },
        )
        .then((p) => p.data);
      admit(core, lastUserText([...(lastUser ? [lastUser] : []), ...additional]));
      // The thread lock: the check and the run's creation in one transaction holding the thread's row,
      // so two requests (or two instances) never both start a run on one thread.
      const run = await core.store.transaction(async () => {
        thread = await core.lockThread(thread.id);
        await core.assertThreadUnlocked(thread.id, "runs");
        for (const m of additional) await core.addMessage(thread, m);
        const run: RunRec = { ...draft, _seq: await core.store.nextSeq() };
        await core.store.put("run", run);
        return run;
      });
      return startRun(s, ctx, run, stream);
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id/runs/:run_id",
    handler: async (s, ctx) => json(render.run(await getRun(s, ctx), ctx.generation)),
  },
  {
    method: "POST",
    path: "/threads/:thread_id/runs/:run_id",
    async handler(s, ctx) {
      await getRun(s, ctx);
      const body = await readJson(ctx);
      rejectUnknown(body, ["metadata"]);
      const md = v.metadata(body);
      const run = md ? await s.runner.setMetadata(ctx.params.run_id!, md) : await getRun(s, ctx);
      return json(render.run(run, ctx.generation));
    },
  },
  {
    method: "POST",
    path: "/threads/:thread_id/runs/:run_id/cancel",
    async handler(s, ctx) {
      const run = await getRun(s, ctx);
      if (!isCancellable(run.status)) throw errors.conflict(`Cannot cancel run with status '${run.status}'.`);
      await s.runner.cancel(run);
      return json(render.run(run, ctx.generation));
    },
  },
  {
    method: "POST",
    path: "/threads/:thread_id/runs/:run_id/submit_tool_outputs",
    async handler(s, ctx) {
      const run = await getRun(s, ctx);
      const body = await readJson(ctx);
      rejectUnknown(body, ["tool_outputs", "stream"]);
      const stream = wantsStream(body, ctx.generation);
      if (run.status !== "requires_action")
        throw errors.conflict(`Runs in status "${run.status}" do not accept tool outputs.`);
      if (!Array.isArray(body.tool_outputs))
        throw errors.invalid(
          "Missing required parameter: 'tool_outputs'.",
          "tool_outputs",
          "missing_required_parameter",
        );
      const pending = new Set(run.required_action?.submit_tool_outputs.tool_calls.map((c) => c.id) ?? []);
      const outputs = (body.tool_outputs as unknown[]).map((o, i) => {
        const rec = (o ?? {}) as { tool_call_id?: unknown; output?: unknown };
        if (typeof rec.tool_call_id !== "string")
          throw errors.invalid(
            `Missing required parameter: 'tool_outputs[${i}].tool_call_id'.`,
            `tool_outputs[${i}].tool_call_id`,
          );
        if (!pending.has(rec.tool_call_id))
          throw errors.invalid(
            `Invalid 'tool_outputs[${i}].tool_call_id': no pending tool call '${rec.tool_call_id}'.`,
            `tool_outputs[${i}].tool_call_id`,
          );
        if (rec.output !== undefined && typeof rec.output !== "string")
          throw errors.invalid(
            `Invalid type for 'tool_outputs[${i}].output': expected a string.`,
            `tool_outputs[${i}].output`,
          );
        return { tool_call_id: rec.tool_call_id, output: rec.output ?? "" };
      });
      const given = new Set(outputs.map((o) => o.tool_call_id));
      const missing = [...pending].filter((id) => !given.has(id));
      if (missing.length > 0)
        throw errors.invalid(
          `Expected tool outputs for call_ids ${JSON.stringify([...pending])}, got ${JSON.stringify([...given])}`,
          "tool_outputs",
        );
      if (!stream) {
        const queued = await s.runner.submitToolOutputs(run, outputs);
        s.runner.start(queued);
        return json(render.run(queued, ctx.generation));
      }
      // Subscribed first: the stream carries the step's completion and the run's queued event.
      return sse(s.runner, run.id, [], () => {
        s.runner.submitToolOutputs(run, outputs).then(
          (queued) => s.runner.start(queued),
          (e: Error) => s.runner.fail(run.id, e),
        );
      });
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id/runs/:run_id/steps",
    async handler(s, ctx) {
      const run = await getRun(s, ctx);
      const content = wantsFileSearchContent(ctx.url);
      return json(
        await listPage(
          () => s.core.store.page("step", { eq: { run_id: run.id } }, pageQuery(ctx.url)),
          (st) => render.step(st, ctx.generation, { fileSearchContent: content }),
        ),
      );
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id/runs/:run_id/steps/:step_id",
    async handler(s, ctx) {
      const run = await getRun(s, ctx);
      const step = await s.core.store.get("step", ctx.params.step_id!);
      if (!step || step.run_id !== run.id) throw errors.notFound("run step", ctx.params.step_id!);
      return json(render.step(step, ctx.generation, { fileSearchContent: wantsFileSearchContent(ctx.url) }));
    },
  },
];
