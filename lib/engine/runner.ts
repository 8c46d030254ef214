/**
 * Drives runs: asks the model what happens next and turns its events into run steps, messages,
 * state transitions and streaming events. One runner per engine.
 */
import fs from "node:fs";
import path from "node:path";
import type { Core } from "./core";
import { errors } from "./errors";
import { ID_PREFIX, newId, nowSeconds } from "./ids";
import type { VectorIngestor } from "./ingest";
import { LIMITS, estimateTokens } from "./limits";
import type {
  ModelEvent,
  ModelMessage,
  ModelRunContext,
  PlannedAnnotation,
  PlannedToolCall,
} from "./model/types";
import type { FileRec, MessageRec, RunRec, RunStatus, StepRec, ToolCallRec, Usage } from "./records";
import * as render from "./render";
import { canTransition, isTerminal } from "./run-states";
import { executeCode, OFF_STATUS } from "./sandbox/execute";

export interface Sink {
  send(event: string, data: unknown): void;
  end(): void;
}

type TerminalStatus = "completed" | "failed" | "cancelled" | "expired" | "incomplete";

interface Turn {
  message: MessageRec | null;
  messageStep: StepRec | null;
  messageChars: number;
  promptTokens: number;
  /** Set once the model reports real usage: steps of this turn are no longer estimated. */
  reportedUsage: boolean;
  /** A `usage` event that arrived while no message was open: for the next step. */
  pendingUsage: Usage | null;
  /** Steps whose usage the model reported. */
  reportedSteps: Set<string>;
}

export class Runner {
  private readonly sinks = new Map<string, Set<Sink>>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly abortReasons = new Map<string, "cancelled" | "expired">();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly driving = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly core: Core,
    private readonly ingestor: VectorIngestor,
  ) {}

  subscribe(runId: string, sink: Sink): () => void {
    let set = this.sinks.get(runId);
    if (!set) this.sinks.set(runId, (set = new Set()));
    set.add(sink);
    return () => set.delete(sink);
  }

  emit(runId: string, event: string, data: unknown): void {
    for (const s of this.sinks.get(runId) ?? []) s.send(event, data);
  }

  /** The stream of this run pauses here (terminal or requires_action): `done`, then close. */
  private endStreams(runId: string): void {
    const set = this.sinks.get(runId);
    this.sinks.delete(runId);
    for (const s of set ?? []) s.end();
  }

  /** Schedules the model on a queued run; expiry is armed at creation. */
  start(run: RunRec): void {
    if (!this.timers.has(run.id)) {
      const t = setTimeout(
        () => this.expireNow(run.thread_id, run.id),
        Math.max(0, run._expiresAtMs - Date.now()),
      );
      t.unref?.();
      this.timers.set(run.id, t);
    }
    setImmediate(() => {
      if (this.closed) return;
      const p = this.drive(run.id).finally(() => this.driving.delete(run.id));
      this.driving.set(run.id, p);
    });
  }

  /** Lazily expires a run whose deadline passed (reads call this, so the SDK never sees a stale state). */
  checkExpiry(run: RunRec): void {
    if (!isTerminal(run.status) && Date.now() >= run._expiresAtMs) this.expireNow(run.thread_id, run.id);
  }

  private expireNow(threadId: string, runId: string): void {
    const run = this.core.store.get("run", runId);
    if (!run || run.thread_id !== threadId || isTerminal(run.status)) return;
    const ac = this.controllers.get(runId);
    if (ac) {
      this.abortReasons.set(runId, "expired");
      ac.abort();
    } else {
      this.finalize(run, "expired");
    }
  }

  cancel(run: RunRec): void {
    this.transition(run, "cancelling");
    this.core.store.put("run", run);
    this.emit(run.id, "thread.run.cancelling", render.run(run, "v2"));
    const ac = this.controllers.get(run.id);
    if (ac) {
      this.abortReasons.set(run.id, "cancelled");
      ac.abort();
    } else {
      setImmediate(() => {
        const current = this.core.store.get("run", run.id);
        if (current && current.status === "cancelling") this.finalize(current, "cancelled");
      });
    }
  }

  submitToolOutputs(run: RunRec, outputs: { tool_call_id: string; output: string }[]): void {
    const stepId = run._pendingStepId;
    const step = stepId ? this.core.store.get("step", stepId) : undefined;
    const byId = new Map(outputs.map((o) => [o.tool_call_id, o.output]));
    const calls = run.required_action?.submit_tool_outputs.tool_calls ?? [];
    if (step && step.step_details.type === "tool_calls") {
      for (const tc of step.step_details.tool_calls) {
        if (tc.type === "function" && byId.has(tc.id)) tc.function.output = byId.get(tc.id) ?? "";
      }
      this.completeStep(step, "completed");
    }
    run._priorFunctionCalls.push(
      ...calls.map((c) => ({
        id: c.id,
        name: c.function.name,
        arguments: c.function.arguments,
        output: byId.get(c.id) ?? "",
      })),
    );
    run.required_action = null;
    run._pendingStepId = null;
    this.transition(run, "queued");
    this.core.store.put("run", run);
    this.emit(run.id, "thread.run.queued", render.run(run, "v2"));
    this.start(run);
  }

  private transition(run: RunRec, to: RunStatus): void {
    if (!canTransition(run.status, to))
      throw errors.internal(`Run ${run.id} cannot go from ${run.status} to ${to}.`);
    run.status = to;
  }

  private async drive(runId: string): Promise<void> {
    const run = this.core.store.get("run", runId);
    if (!run || run.status !== "queued") return;
    const ac = new AbortController();
    this.controllers.set(runId, ac);
    const turn: Turn = {
      message: null,
      messageStep: null,
      messageChars: 0,
      promptTokens: 0,
      reportedUsage: false,
      pendingUsage: null,
      reportedSteps: new Set(),
    };
    try {
      this.transition(run, "in_progress");
      run.started_at ??= nowSeconds();
      this.core.store.put("run", run);
      this.emit(run.id, "thread.run.in_progress", render.run(run, "v2"));

      const ctx = await this.buildContext(run, ac.signal);
      if (!ctx) return;
      turn.promptTokens = estimateTokens(
        ctx.instructions +
          ctx.messages.map((m) => m.text).join("\n") +
          ctx.priorFunctionCalls.map((c) => c.output).join("\n"),
      );

      const iterator = this.core.model.run(ctx)[Symbol.asyncIterator]();
      const aborted = new Promise<"aborted">((resolve) =>
        ac.signal.addEventListener("abort", () => resolve("aborted"), { once: true }),
      );
      for (;;) {
        const pending = iterator.next();
        // If the abort wins, a later rejection of this step must not surface as unhandled.
        pending.catch(() => {});
        const next = await Promise.race([pending, aborted]);
        if (next === "aborted" || ac.signal.aborted) {
          void Promise.resolve(iterator.return?.()).catch(() => {});
          // Closing the engine leaves the run as it is; the next start ends it honestly.
          if (this.closed) return;
          this.finalize(run, this.abortReasons.get(runId) ?? "cancelled", {}, turn);
          return;
        }
        if (next.done) break;
        const stop = this.apply(run, turn, next.value);
        if (stop) {
          void Promise.resolve(iterator.return?.()).catch(() => {});
          return;
        }
      }
      this.closeMessage(run, turn);
      this.finalize(run, "completed", {}, turn);
    } catch (e) {
      const current = this.core.store.get("run", runId);
      if (current && !isTerminal(current.status)) {
        try {
          this.finalize(
            current,
            "failed",
            { last_error: { code: "server_error", message: `The model failed: ${(e as Error).message}` } },
            turn,
          );
          return;
        } catch {
          // fall through to the stream-level error
        }
      }
      this.emit(runId, "error", {
        error: { code: "server_error", message: (e as Error).message, type: "server_error" },
      });
      this.endStreams(runId);
    } finally {
      this.controllers.delete(runId);
      this.abortReasons.delete(runId);
    }
  }

  /** Applies one model event; true when the model's iteration must stop here. */
  private apply(run: RunRec, turn: Turn, ev: ModelEvent): boolean {
    switch (ev.type) {
      case "tool_calls":
        this.closeMessage(run, turn);
        return this.toolCalls(run, turn, ev.calls);
      case "message.start":
        this.closeMessage(run, turn);
        this.openMessage(run, turn);
        return false;
      case "message.text": {
        if (!turn.message) this.openMessage(run, turn);
        let value = ev.value;
        let overLimit = false;
        if (run.max_completion_tokens !== null && !this.core.model.enforcesCompletionLimit) {
          const remainingChars = run.max_completion_tokens * 4 - run._completionChars;
          if (value.length > remainingChars) {
            value = value.slice(0, Math.max(0, remainingChars));
            overLimit = true;
          }
        }
        if (value) this.appendText(run, turn, value);
        if (overLimit) {
          this.finalize(run, "incomplete", { incomplete_details: { reason: "max_completion_tokens" } }, turn);
          return true;
        }
        return false;
      }
      case "message.image": {
        if (!turn.message) this.openMessage(run, turn);
        const msg = turn.message!;
        const index = msg.content.length;
        msg.content.push({ type: "image_file", image_file: { file_id: ev.file_id } });
        this.emit(run.id, "thread.message.delta", {
          id: msg.id,
          object: "thread.message.delta",
          delta: { content: [{ index, type: "image_file", image_file: { file_id: ev.file_id } }] },
        });
        return false;
      }
      case "message.annotation":
        this.annotate(run, turn, ev.annotation);
        return false;
      case "message.end":
        this.closeMessage(run, turn);
        return false;
      case "fail":
        this.finalize(run, "failed", { last_error: { code: ev.code, message: ev.message } }, turn);
        return true;
      case "incomplete":
        this.finalize(run, "incomplete", { incomplete_details: { reason: ev.reason } }, turn);
        return true;
      case "expire":
        this.finalize(run, "expired", {}, turn);
        return true;
      case "usage": {
        const reported = usage(ev.prompt_tokens, ev.completion_tokens);
        // A zero report marks a step that cost nothing (a notice); it does not stop estimates.
        if (ev.prompt_tokens + ev.completion_tokens > 0) turn.reportedUsage = true;
        if (turn.messageStep) this.recordUsage(turn, turn.messageStep, reported);
        else turn.pendingUsage = reported;
        return false;
      }
    }
  }

  private newStep(run: RunRec, details: StepRec["step_details"]): StepRec {
    const step: StepRec = {
      id: newId(ID_PREFIX.step),
      object: "thread.run.step",
      created_at: nowSeconds(),
      _seq: this.core.store.nextSeq(),
      assistant_id: run.assistant_id,
      thread_id: run.thread_id,
      run_id: run.id,
      type: details.type,
      status: "in_progress",
      step_details: details,
      last_error: null,
      expired_at: null,
      cancelled_at: null,
      failed_at: null,
      completed_at: null,
      metadata: {},
      usage: null,
    };
    this.core.store.put("step", step);
    return step;
  }

  /** A usage report that came before its step lands on the step. */
  private trackStep(turn: Turn, step: StepRec): void {
    if (!turn.pendingUsage) return;
    this.recordUsage(turn, step, turn.pendingUsage);
    turn.pendingUsage = null;
  }

  private recordUsage(turn: Turn, step: StepRec, reported: Usage): void {
    step.usage = reported;
    turn.reportedSteps.add(step.id);
    this.core.store.put("step", step);
  }

  /** The estimate for a step, unless the model reports real usage (then 0 beyond what it reported). */
  private estimate(turn: Turn, step: StepRec, prompt: number, completion: number): Usage {
    if (turn.reportedSteps.has(step.id) && step.usage) return step.usage;
    return turn.reportedUsage ? usage(0, 0) : usage(prompt, completion);
  }

  private openMessage(run: RunRec, turn: Turn): void {
    const msg: MessageRec = {
      id: newId(ID_PREFIX.message),
      object: "thread.message",
      created_at: nowSeconds(),
      _seq: this.core.store.nextSeq(),
      thread_id: run.thread_id,
      status: "in_progress",
      incomplete_details: null,
      completed_at: null,
      incomplete_at: null,
      role: "assistant",
      content: [],
      assistant_id: run.assistant_id,
      run_id: run.id,
      attachments: [],
      metadata: {},
    };
    this.core.store.put("message", msg);
    const step = this.newStep(run, { type: "message_creation", message_creation: { message_id: msg.id } });
    turn.message = msg;
    turn.messageStep = step;
    turn.messageChars = 0;
    this.trackStep(turn, step);
    this.emit(run.id, "thread.run.step.created", render.step(step, "v2"));
    this.emit(run.id, "thread.run.step.in_progress", render.step(step, "v2"));
    this.emit(run.id, "thread.message.created", render.message(msg, "v2"));
    this.emit(run.id, "thread.message.in_progress", render.message(msg, "v2"));
  }

  private appendText(run: RunRec, turn: Turn, value: string): void {
    const msg = turn.message!;
    let index = msg.content.length - 1;
    let part = msg.content[index];
    let fresh = false;
    if (!part || part.type !== "text") {
      part = { type: "text", text: { value: "", annotations: [] } };
      msg.content.push(part);
      index = msg.content.length - 1;
      fresh = true;
    }
    part.text.value += value;
    run._completionChars += value.length;
    turn.messageChars += value.length;
    this.emit(run.id, "thread.message.delta", {
      id: msg.id,
      object: "thread.message.delta",
      delta: { content: [{ index, type: "text", text: fresh ? { value, annotations: [] } : { value } }] },
    });
  }

  private annotate(run: RunRec, turn: Turn, a: PlannedAnnotation): void {
    const msg = turn.message;
    const index = msg ? msg.content.length - 1 : -1;
    const part = msg?.content[index];
    if (!msg || !part || part.type !== "text") return;
    const wire =
      a.type === "file_citation"
        ? {
            type: a.type,
            text: a.text,
            start_index: a.start_index,
            end_index: a.end_index,
            file_citation: { file_id: a.file_id, quote: a.quote ?? "" },
          }
        : {
            type: a.type,
            text: a.text,
            start_index: a.start_index,
            end_index: a.end_index,
            file_path: { file_id: a.file_id },
          };
    // Azure 2024-02-15/05-01 require `quote` on file citations; an empty one when the model gives none.
    const annIndex = part.text.annotations.length;
    part.text.annotations.push(wire);
    this.emit(run.id, "thread.message.delta", {
      id: msg.id,
      object: "thread.message.delta",
      delta: { content: [{ index, type: "text", text: { annotations: [{ index: annIndex, ...wire }] } }] },
    });
  }

  private closeMessage(run: RunRec, turn: Turn): void {
    const msg = turn.message;
    const step = turn.messageStep;
    if (!msg || !step) return;
    msg.status = "completed";
    msg.completed_at = nowSeconds();
    this.core.store.put("message", msg);
    this.emit(run.id, "thread.message.completed", render.message(msg, "v2"));
    step.usage = this.estimate(turn, step, turn.promptTokens, Math.ceil(turn.messageChars / 4));
    this.completeStep(step, "completed");
    turn.message = null;
    turn.messageStep = null;
    turn.messageChars = 0;
  }

  private completeStep(
    step: StepRec,
    status: StepRec["status"],
    lastError: StepRec["last_error"] = null,
  ): void {
    const now = nowSeconds();
    step.status = status;
    if (status === "completed") step.completed_at = now;
    if (status === "cancelled") step.cancelled_at = now;
    if (status === "expired") step.expired_at = now;
    if (status === "failed") {
      step.failed_at = now;
      step.last_error = lastError;
    }
    step.usage ??= usage(0, 0);
    this.core.store.put("step", step);
    this.emit(step.run_id, `thread.run.step.${status}`, render.step(step, "v2"));
  }

  private toolCalls(run: RunRec, turn: Turn, calls: PlannedToolCall[]): boolean {
    const records: ToolCallRec[] = calls.map((c): ToolCallRec => {
      const id = newId(ID_PREFIX.call);
      if (c.type === "function")
        return { id, type: "function", function: { name: c.name, arguments: c.arguments, output: null } };
      if (c.type === "code_interpreter")
        return {
          id,
          type: "code_interpreter",
          code_interpreter: {
            input: c.input,
            outputs: c.outputs.map((o) =>
              o.type === "logs" ? o : { type: "image" as const, image: { file_id: o.file_id } },
            ),
          },
        };
      return {
        id,
        type: "file_search",
        file_search: {
          results: c.results.map((r) => ({
            file_id: r.file_id,
            file_name: r.file_name,
            score: r.score,
            content: [{ type: "text" as const, text: r.text }],
          })),
        },
      };
    });
    const step = this.newStep(run, { type: "tool_calls", tool_calls: [] });
    this.trackStep(turn, step);
    this.emit(run.id, "thread.run.step.created", render.step(step, "v2"));
    this.emit(run.id, "thread.run.step.in_progress", render.step(step, "v2"));
    const delta = (tc: unknown) =>
      this.emit(run.id, "thread.run.step.delta", {
        id: step.id,
        object: "thread.run.step.delta",
        delta: { step_details: { type: "tool_calls", tool_calls: [tc] } },
      });
    let chars = 0;
    records.forEach((tc, index) => {
      if (step.step_details.type === "tool_calls") step.step_details.tool_calls.push(tc);
      if (tc.type === "function") {
        delta({
          index,
          id: tc.id,
          type: "function",
          function: { name: tc.function.name, arguments: "", output: null },
        });
        if (tc.function.arguments)
          delta({ index, type: "function", function: { arguments: tc.function.arguments } });
        chars += tc.function.arguments.length;
      } else if (tc.type === "code_interpreter") {
        delta({ index, id: tc.id, type: "code_interpreter", code_interpreter: { input: "", outputs: [] } });
        if (tc.code_interpreter.input)
          delta({ index, type: "code_interpreter", code_interpreter: { input: tc.code_interpreter.input } });
        if (tc.code_interpreter.outputs.length > 0)
          delta({
            index,
            type: "code_interpreter",
            code_interpreter: { outputs: tc.code_interpreter.outputs.map((o, i) => ({ index: i, ...o })) },
          });
        chars += tc.code_interpreter.input.length;
      } else {
        delta({ index, id: tc.id, type: "file_search", file_search: {} });
      }
    });
    run._completionChars += chars;
    step.usage = this.estimate(turn, step, turn.promptTokens, Math.ceil(chars / 4));
    this.core.store.put("step", step);
    const functions = records.filter(
      (r): r is Extract<ToolCallRec, { type: "function" }> => r.type === "function",
    );
    if (functions.length === 0) {
      this.completeStep(step, "completed");
      if (
        run.max_completion_tokens !== null &&
        !this.core.model.enforcesCompletionLimit &&
        run._completionChars > run.max_completion_tokens * 4
      ) {
        this.finalize(run, "incomplete", { incomplete_details: { reason: "max_completion_tokens" } }, turn);
        return true;
      }
      return false;
    }
    run.required_action = {
      type: "submit_tool_outputs",
      submit_tool_outputs: {
        tool_calls: functions.map((f) => ({
          id: f.id,
          type: "function",
          function: { name: f.function.name, arguments: f.function.arguments },
        })),
      },
    };
    run._pendingStepId = step.id;
    this.transition(run, "requires_action");
    this.core.store.put("run", run);
    this.emit(run.id, "thread.run.requires_action", render.run(run, "v2"));
    this.endStreams(run.id);
    return true;
  }

  /** Ends a run in a terminal state; open steps and messages end with it. */
  finalize(
    run: RunRec,
    status: TerminalStatus,
    extra: Partial<Pick<RunRec, "last_error" | "incomplete_details">> = {},
    turn?: Turn,
  ): void {
    if (isTerminal(run.status)) return;
    if (!this.core.store.get("run", run.id)) {
      // Its thread was deleted: nothing left to record.
      this.endStreams(run.id);
      return;
    }
    const now = nowSeconds();
    const messageReason = {
      cancelled: "run_cancelled",
      expired: "run_expired",
      failed: "run_failed",
      incomplete: "max_tokens",
      completed: null,
    }[status];
    for (const msg of this.core.store.all("message")) {
      if (msg.run_id !== run.id || msg.status !== "in_progress") continue;
      if (status === "completed") {
        msg.status = "completed";
        msg.completed_at = now;
        this.core.store.put("message", msg);
        this.emit(run.id, "thread.message.completed", render.message(msg, "v2"));
      } else {
        msg.status = "incomplete";
        msg.incomplete_at = now;
        msg.incomplete_details = { reason: messageReason ?? "run_failed" };
        this.core.store.put("message", msg);
        this.emit(run.id, "thread.message.incomplete", render.message(msg, "v2"));
      }
    }
    const stepStatus = (
      {
        completed: "completed",
        incomplete: "completed",
        cancelled: "cancelled",
        expired: "expired",
        failed: "failed",
      } as const
    )[status];
    for (const step of this.core.store.all("step")) {
      if (step.run_id !== run.id || step.status !== "in_progress") continue;
      if (turn && step.id === turn.messageStep?.id)
        step.usage = this.estimate(turn, step, turn.promptTokens, Math.ceil(turn.messageChars / 4));
      this.completeStep(
        step,
        stepStatus,
        extra.last_error ?? { code: "server_error", message: "The run failed." },
      );
    }
    if (turn) {
      turn.message = null;
      turn.messageStep = null;
    }
    // cancelling → cancelled only; anything else may end in any terminal state.
    if (run.status === "cancelling" && status !== "cancelled" && status !== "expired" && status !== "failed")
      status = "cancelled";
    const allowed = canTransition(run.status, status) ? status : "failed";
    run.status = allowed;
    if (allowed === "completed") run.completed_at = now;
    if (allowed === "failed") run.failed_at = now;
    if (allowed === "cancelled") run.cancelled_at = now;
    if (allowed === "failed")
      run.last_error = extra.last_error ?? { code: "server_error", message: "The run failed." };
    if (extra.incomplete_details) run.incomplete_details = extra.incomplete_details;
    if (allowed !== "expired") run.expires_at = null;
    run.required_action = null;
    run._pendingStepId = null;
    const steps = this.core.store.all("step").filter((s) => s.run_id === run.id);
    run.usage = steps.reduce<Usage>(
      (acc, s) =>
        usage(
          acc.prompt_tokens + (s.usage?.prompt_tokens ?? 0),
          acc.completion_tokens + (s.usage?.completion_tokens ?? 0),
        ),
      usage(0, 0),
    );
    this.core.store.put("run", run);
    const timer = this.timers.get(run.id);
    if (timer) clearTimeout(timer);
    this.timers.delete(run.id);
    this.emit(run.id, `thread.run.${allowed}`, render.run(run, "v2"));
    this.endStreams(run.id);
  }

  /** Context for the model: conversation after truncation, files, search, file output. */
  private async buildContext(run: RunRec, signal: AbortSignal): Promise<ModelRunContext | null> {
    const { store } = this.core;
    const thread = store.get("thread", run.thread_id);
    const assistant = store.get("assistant", run.assistant_id);
    const all = store
      .all("message")
      .filter((m) => m.thread_id === run.thread_id && !(m.run_id === run.id && m.status === "in_progress"))
      .sort((a, b) => a._seq - b._seq);
    let messages: ModelMessage[] = all.map((m) => ({
      id: m.id,
      role: m.role,
      text: m.content.flatMap((c) => (c.type === "text" ? [c.text.value] : [])).join("\n\n"),
      imageFileIds: m.content.flatMap((c) => (c.type === "image_file" ? [c.image_file.file_id] : [])),
      images: m.content.flatMap((c): ModelMessage["images"] =>
        c.type === "image_file"
          ? [{ type: "image_file", file_id: c.image_file.file_id, ...detailOf(c.image_file) }]
          : c.type === "image_url"
            ? [{ type: "image_url", url: c.image_url.url, ...detailOf(c.image_url) }]
            : [],
      ),
      runId: m.run_id,
      attachments: m.attachments,
      created_at: m.created_at,
    }));
    if (run.truncation_strategy.type === "last_messages" && run.truncation_strategy.last_messages !== null)
      messages = messages.slice(Math.max(0, messages.length - run.truncation_strategy.last_messages));
    if (run.max_prompt_tokens !== null) {
      const budget = run.max_prompt_tokens - estimateTokens(run.instructions);
      const cost = (ms: ModelMessage[]) => ms.reduce((n, m) => n + estimateTokens(m.text), 0);
      while (messages.length > 1 && cost(messages) > budget) messages = messages.slice(1);
      if (cost(messages) > budget) {
        this.finalize(run, "incomplete", { incomplete_details: { reason: "max_prompt_tokens" } });
        return null;
      }
    }
    const ciIds = new Set<string>([
      ...(assistant?.tool_resources.code_interpreter?.file_ids ?? []),
      ...(thread?.tool_resources.code_interpreter?.file_ids ?? []),
      ...messages.flatMap((m) =>
        m.attachments.filter((a) => a.tools.some((t) => t.type === "code_interpreter")).map((a) => a.file_id),
      ),
    ]);
    const ciFiles = [...ciIds].flatMap((id) => {
      const f = store.get("file", id);
      return f ? [{ file_id: f.id, filename: f.filename, bytes: f.bytes }] : [];
    });
    const vectorStoreIds = [
      ...new Set([
        ...(assistant?.tool_resources.file_search?.vector_store_ids ?? []),
        ...(thread?.tool_resources.file_search?.vector_store_ids ?? []),
      ]),
    ];
    for (const id of vectorStoreIds) {
      const vs = store.get("vector_store", id);
      if (vs?.expires_after && Date.now() / 1000 > vs.last_active_at + vs.expires_after.days * 86_400) {
        this.finalize(run, "failed", {
          last_error: { code: "server_error", message: `Vector store ${id} has expired.` },
        });
        return null;
      }
    }
    const writeFile = async (filename: string, data: Uint8Array) => {
      const rec: FileRec = {
        id: newId(ID_PREFIX.file),
        object: "file",
        created_at: nowSeconds(),
        _seq: store.nextSeq(),
        bytes: data.byteLength,
        filename,
        purpose: "assistants_output",
        status: "processed",
      };
      await fs.promises.writeFile(path.join(store.blobDir, rec.id), data);
      store.put("file", rec);
      return { id: rec.id, filename };
    };
    const ingestor = this.ingestor;
    const core = this.core;
    return {
      generation: run._generation,
      runId: run.id,
      threadId: run.thread_id,
      assistantId: run.assistant_id,
      model: run.model,
      instructions: run.instructions,
      tools: run.tools,
      toolChoice: run.tool_choice,
      responseFormat: run.response_format,
      temperature: run.temperature,
      topP: run.top_p,
      maxCompletionTokens: run.max_completion_tokens,
      maxPromptTokens: run.max_prompt_tokens,
      parallelToolCalls: run.parallel_tool_calls,
      messages,
      priorFunctionCalls: [...run._priorFunctionCalls],
      codeInterpreterFiles: ciFiles,
      async searchFiles(query, maxResults) {
        const deadline = Date.now() + LIMITS.vectorStoreWaitMs;
        while (
          Date.now() < deadline &&
          !signal.aborted &&
          vectorStoreIds.some((id) => core.vectorStoreFiles(id).some((f) => f.status === "in_progress"))
        )
          await new Promise((r) => setTimeout(r, 25));
        for (const id of vectorStoreIds) core.touchVectorStore(id);
        return ingestor.search(vectorStoreIds, query, maxResults);
      },
      async readFileText(fileId, maxBytes = 1024 * 1024) {
        core.file(fileId);
        const chunks: Buffer[] = [];
        let n = 0;
        for await (const c of fs.createReadStream(path.join(store.blobDir, fileId), {
          start: 0,
          end: Math.max(0, maxBytes - 1),
        })) {
          chunks.push(c as Buffer);
          n += (c as Buffer).length;
          if (n >= maxBytes) break;
        }
        return Buffer.concat(chunks).toString("utf8");
      },
      async readFile(fileId, maxBytes) {
        const f = store.get("file", fileId);
        if (!f || f.bytes > maxBytes) return null;
        const bytes = await fs.promises.readFile(path.join(store.blobDir, fileId)).catch(() => null);
        return bytes ? { filename: f.filename, bytes: new Uint8Array(bytes) } : null;
      },
      usageSoFar: store
        .all("step")
        .filter((st) => st.run_id === run.id)
        .reduce(
          (acc, st) => ({
            prompt_tokens: acc.prompt_tokens + (st.usage?.prompt_tokens ?? 0),
            completion_tokens: acc.completion_tokens + (st.usage?.completion_tokens ?? 0),
          }),
          { prompt_tokens: 0, completion_tokens: 0 },
        ),
      codeSandbox: core.sandbox?.status() ?? OFF_STATUS,
      executeCode(code) {
        if (!core.sandbox) throw new Error("This engine has no code sandbox.");
        return executeCode(
          { sandbox: core.sandbox, blobDir: store.blobDir, writeFile },
          run.thread_id,
          code,
          ciFiles,
          signal,
        );
      },
      writeFile,
      signal,
    };
  }

  /** On start: runs that were active when the process stopped end honestly. */
  recoverAfterRestart(): void {
    for (const run of this.core.store.all("run")) {
      if (isTerminal(run.status)) continue;
      this.finalize(run, "failed", {
        last_error: { code: "server_error", message: "The engine restarted during the run." },
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const ac of this.controllers.values()) ac.abort();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.driving.values()]);
    for (const runId of [...this.sinks.keys()]) this.endStreams(runId);
  }
}

function detailOf(part: { detail?: string }): { detail?: string } {
  return part.detail ? { detail: part.detail } : {};
}

function usage(prompt: number, completion: number): Usage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
