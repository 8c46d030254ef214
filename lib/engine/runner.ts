/**
 * Drives runs: asks the model what happens next and turns its events into run steps, messages,
 * state transitions and streaming events. One runner per engine.
 */
import fs from "node:fs";
import path from "node:path";
import { ACTIVE_RUN_STATUSES, type Core } from "./core";
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
  /**
   * The record of each run this runner drives, shared with requests that change it meanwhile
   * (cancel, metadata), so the drive's later writes carry their changes.
   */
  private readonly live = new Map<string, RunRec>();
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

  /** An error the run's streams cannot recover from: the SSE `error` event, then the end. */
  fail(runId: string, e: Error): void {
    this.emit(runId, "error", {
      error: { code: "server_error", message: e.message, type: "server_error" },
    });
    this.endStreams(runId);
  }

  /** The stream of this run pauses here (terminal or requires_action): `done`, then close. */
  private endStreams(runId: string): void {
    const set = this.sinks.get(runId);
    this.sinks.delete(runId);
    for (const s of set ?? []) s.end();
  }

  /** Schedules the model on a queued run (stored and committed); expiry is armed at creation. */
  start(run: RunRec): void {
    if (!this.timers.has(run.id)) {
      const t = setTimeout(
        () => void this.expireNow(run.thread_id, run.id).catch(logError),
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
  async checkExpiry(run: RunRec): Promise<void> {
    if (isTerminal(run.status) || Date.now() < run._expiresAtMs) return;
    await this.expireNow(run.thread_id, run.id);
    const after = await this.core.store.get("run", run.id);
    if (after) Object.assign(run, after);
  }

  private async expireNow(threadId: string, runId: string): Promise<void> {
    const run = this.live.get(runId) ?? (await this.core.store.get("run", runId));
    if (!run || run.thread_id !== threadId || isTerminal(run.status)) return;
    const ac = this.controllers.get(runId);
    if (ac) {
      this.abortReasons.set(runId, "expired");
      ac.abort();
      // The drive ends it; a read right after must already see it expired.
      await this.driving.get(runId);
    } else {
      await this.finalize(run, "expired");
    }
  }

  /** Moves a run to `cancelling` (the caller checked it may) and ends it `cancelled`. */
  async cancel(given: RunRec): Promise<void> {
    const run = this.live.get(given.id) ?? given;
    this.transition(run, "cancelling");
    await this.core.store.put("run", run);
    Object.assign(given, run);
    this.emit(run.id, "thread.run.cancelling", render.run(run, "v2"));
    const ac = this.controllers.get(run.id);
    if (ac) {
      this.abortReasons.set(run.id, "cancelled");
      ac.abort();
    } else {
      setImmediate(() => {
        void (async () => {
          const current = await this.core.store.get("run", run.id);
          if (current && current.status === "cancelling") await this.finalize(current, "cancelled");
        })().catch(logError);
      });
    }
  }

  /** New metadata for a run, kept by the drive's later writes. */
  async setMetadata(runId: string, metadata: RunRec["metadata"]): Promise<RunRec> {
    return this.core.store.transaction(async () => {
      const run = this.live.get(runId) ?? (await this.core.store.lock("run", runId));
      if (!run) throw errors.notFound("run", runId);
      run.metadata = metadata;
      await this.core.store.put("run", run);
      return run;
    });
  }

  /** Records the outputs and queues the run again; the caller starts it (`start`). */
  async submitToolOutputs(run: RunRec, outputs: { tool_call_id: string; output: string }[]): Promise<RunRec> {
    const stepId = run._pendingStepId;
    const step = stepId ? await this.core.store.get("step", stepId) : undefined;
    const byId = new Map(outputs.map((o) => [o.tool_call_id, o.output]));
    const calls = run.required_action?.submit_tool_outputs.tool_calls ?? [];
    if (step && step.step_details.type === "tool_calls") {
      for (const tc of step.step_details.tool_calls) {
        if (tc.type === "function" && byId.has(tc.id)) tc.function.output = byId.get(tc.id) ?? "";
      }
      await this.completeStep(step, "completed");
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
    await this.core.store.put("run", run);
    this.emit(run.id, "thread.run.queued", render.run(run, "v2"));
    return run;
  }

  private transition(run: RunRec, to: RunStatus): void {
    if (!canTransition(run.status, to))
      throw errors.internal(`Run ${run.id} cannot go from ${run.status} to ${to}.`);
    run.status = to;
  }

  private async drive(runId: string): Promise<void> {
    const run = await this.core.store.get("run", runId);
    if (!run || run.status !== "queued") return;
    const ac = new AbortController();
    this.controllers.set(runId, ac);
    this.live.set(runId, run);
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
      await this.core.store.put("run", run);
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
          await this.finalize(run, this.abortReasons.get(runId) ?? "cancelled", {}, turn);
          return;
        }
        if (next.done) break;
        const stop = await this.apply(run, turn, next.value, ac.signal);
        if (ac.signal.aborted && !isTerminal(run.status)) {
          // Cancelled or expired while the event was being recorded.
          void Promise.resolve(iterator.return?.()).catch(() => {});
          if (this.closed) return;
          await this.finalize(run, this.abortReasons.get(runId) ?? "cancelled", {}, turn);
          return;
        }
        if (stop) {
          void Promise.resolve(iterator.return?.()).catch(() => {});
          return;
        }
      }
      await this.closeMessage(run, turn);
      await this.finalize(run, "completed", {}, turn);
    } catch (e) {
      const current =
        this.live.get(runId) ?? (await this.core.store.get("run", runId).catch(() => undefined));
      if (current && !isTerminal(current.status)) {
        try {
          await this.finalize(
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
      this.fail(runId, e as Error);
    } finally {
      this.controllers.delete(runId);
      this.abortReasons.delete(runId);
      this.live.delete(runId);
    }
  }

  /** Applies one model event; true when the model's iteration must stop here. */
  private async apply(run: RunRec, turn: Turn, ev: ModelEvent, signal: AbortSignal): Promise<boolean> {
    switch (ev.type) {
      case "tool_calls":
        await this.closeMessage(run, turn);
        if (signal.aborted) return true;
        return this.toolCalls(run, turn, ev.calls, signal);
      case "message.start":
        await this.closeMessage(run, turn);
        await this.openMessage(run, turn);
        return false;
      case "message.text": {
        if (!turn.message) await this.openMessage(run, turn);
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
          await this.finalize(
            run,
            "incomplete",
            { incomplete_details: { reason: "max_completion_tokens" } },
            turn,
          );
          return true;
        }
        return false;
      }
      case "message.image": {
        if (!turn.message) await this.openMessage(run, turn);
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
        await this.closeMessage(run, turn);
        return false;
      case "fail":
        await this.finalize(run, "failed", { last_error: { code: ev.code, message: ev.message } }, turn);
        return true;
      case "incomplete":
        await this.finalize(run, "incomplete", { incomplete_details: { reason: ev.reason } }, turn);
        return true;
      case "expire":
        await this.finalize(run, "expired", {}, turn);
        return true;
      case "usage": {
        const reported = usage(ev.prompt_tokens, ev.completion_tokens);
        // A zero report marks a step that cost nothing (a notice); it does not stop estimates.
        if (ev.prompt_tokens + ev.completion_tokens > 0) turn.reportedUsage = true;
        if (turn.messageStep) await this.recordUsage(turn, turn.messageStep, reported);
        else turn.pendingUsage = reported;
        return false;
      }
    }
  }

  private async newStep(run: RunRec, details: StepRec["step_details"]): Promise<StepRec> {
    const step: StepRec = {
      id: newId(ID_PREFIX.step),
      object: "thread.run.step",
      created_at: nowSeconds(),
      _seq: await this.core.store.nextSeq(),
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
    await this.core.store.put("step", step);
    return step;
  }

  /** A usage report that came before its step lands on the step. */
  private async trackStep(turn: Turn, step: StepRec): Promise<void> {
    if (!turn.pendingUsage) return;
    const pending = turn.pendingUsage;
    turn.pendingUsage = null;
    await this.recordUsage(turn, step, pending);
  }

  private async recordUsage(turn: Turn, step: StepRec, reported: Usage): Promise<void> {
    step.usage = reported;
    turn.reportedSteps.add(step.id);
    await this.core.store.put("step", step);
  }

  /** The estimate for a step, unless the model reports real usage (then 0 beyond what it reported). */
  private estimate(turn: Turn, step: StepRec, prompt: number, completion: number): Usage {
    if (turn.reportedSteps.has(step.id) && step.usage) return step.usage;
    return turn.reportedUsage ? usage(0, 0) : usage(prompt, completion);
  }

  private async openMessage(run: RunRec, turn: Turn): Promise<void> {
    const msg: MessageRec = {
      id: newId(ID_PREFIX.message),
      object: "thread.message",
      created_at: nowSeconds(),
      _seq: await this.core.store.nextSeq(),
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
    await this.core.store.put("message", msg);
    const step = await this.newStep(run, {
      type: "message_creation",
      message_creation: { message_id: msg.id },
    });
    turn.message = msg;
    turn.messageStep = step;
    turn.messageChars = 0;
    await this.trackStep(turn, step);
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

  private async closeMessage(run: RunRec, turn: Turn): Promise<void> {
    const msg = turn.message;
    const step = turn.messageStep;
    if (!msg || !step) return;
    // Taken off the turn first: a finalize meanwhile must not end them a second time.
    turn.message = null;
    turn.messageStep = null;
    msg.status = "completed";
    msg.completed_at = nowSeconds();
    step.usage = this.estimate(turn, step, turn.promptTokens, Math.ceil(turn.messageChars / 4));
    turn.messageChars = 0;
    await this.core.store.transaction(async () => {
      await this.core.store.put("message", msg);
      this.setStepStatus(step, "completed");
      await this.core.store.put("step", step);
    });
    this.emit(run.id, "thread.message.completed", render.message(msg, "v2"));
    this.emit(step.run_id, "thread.run.step.completed", render.step(step, "v2"));
  }

  private async completeStep(
    step: StepRec,
    status: StepRec["status"],
    lastError: StepRec["last_error"] = null,
  ): Promise<void> {
    this.setStepStatus(step, status, lastError);
    await this.core.store.put("step", step);
    this.emit(step.run_id, `thread.run.step.${status}`, render.step(step, "v2"));
  }

  private setStepStatus(
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
  }

  private async toolCalls(
    run: RunRec,
    turn: Turn,
    calls: PlannedToolCall[],
    signal: AbortSignal,
  ): Promise<boolean> {
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
    const step = await this.newStep(run, { type: "tool_calls", tool_calls: [] });
    await this.trackStep(turn, step);
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
    await this.core.store.put("step", step);
    const functions = records.filter(
      (r): r is Extract<ToolCallRec, { type: "function" }> => r.type === "function",
    );
    if (functions.length === 0) {
      await this.completeStep(step, "completed");
      if (
        run.max_completion_tokens !== null &&
        !this.core.model.enforcesCompletionLimit &&
        run._completionChars > run.max_completion_tokens * 4
      ) {
        await this.finalize(
          run,
          "incomplete",
          { incomplete_details: { reason: "max_completion_tokens" } },
          turn,
        );
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
    // A cancel or expiry that came meanwhile wins: the drive ends the run.
    if (signal.aborted || run.status !== "in_progress") return true;
    run._pendingStepId = step.id;
    this.transition(run, "requires_action");
    await this.core.store.put("run", run);
    this.emit(run.id, "thread.run.requires_action", render.run(run, "v2"));
    this.endStreams(run.id);
    return true;
  }

  /**
   * Ends a run in a terminal state; open steps and messages end with it, in one transaction that
   * holds the run's row (two finalizers — the drive and the expiry timer, say — end it once). The
   * events go out after the commit, so a client reading on a terminal event sees the terminal state.
   */
  async finalize(
    run: RunRec,
    status: TerminalStatus,
    extra: Partial<Pick<RunRec, "last_error" | "incomplete_details">> = {},
    turn?: Turn,
  ): Promise<void> {
    if (isTerminal(run.status)) return;
    const { store } = this.core;
    const events: [string, unknown][] = [];
    const liveMessage = turn?.message ?? null;
    const liveStep = turn?.messageStep ?? null;
    if (turn) {
      turn.message = null;
      turn.messageStep = null;
    }
    const ended = await store.transaction(async (): Promise<RunStatus | "gone" | null> => {
      const stored = await store.lock("run", run.id);
      // Its thread was deleted: nothing left to record.
      if (!stored) return "gone";
      if (isTerminal(stored.status)) {
        Object.assign(run, stored);
        return null;
      }
      // A cancel recorded by another request (or instance) stands.
      if (stored.status === "cancelling") run.status = "cancelling";
      run.metadata = stored.metadata;
      const now = nowSeconds();
      const messageReason = {
        cancelled: "run_cancelled",
        expired: "run_expired",
        failed: "run_failed",
        incomplete: "max_tokens",
        completed: null,
      }[status];
      const open = await store.list("message", { eq: { run_id: run.id, status: "in_progress" } });
      for (const found of open) {
        const msg = liveMessage?.id === found.id ? liveMessage : found;
        if (status === "completed") {
          msg.status = "completed";
          msg.completed_at = now;
          events.push(["thread.message.completed", msg]);
        } else {
          msg.status = "incomplete";
          msg.incomplete_at = now;
          msg.incomplete_details = { reason: messageReason ?? "run_failed" };
          events.push(["thread.message.incomplete", msg]);
        }
        await store.put("message", msg);
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
      const steps = await store.list("step", { eq: { run_id: run.id } });
      for (const [i, found] of steps.entries()) {
        if (found.status !== "in_progress") continue;
        const step = liveStep?.id === found.id ? liveStep : found;
        steps[i] = step;
        if (turn && step.id === liveStep?.id)
          step.usage = this.estimate(turn, step, turn.promptTokens, Math.ceil(turn.messageChars / 4));
        this.setStepStatus(
          step,
          stepStatus,
          extra.last_error ?? { code: "server_error", message: "The run failed." },
        );
        await store.put("step", step);
        events.push([`thread.run.step.${stepStatus}`, step]);
      }
      // cancelling → cancelled only; anything else may end in any terminal state.
      let target: RunStatus = status;
      if (
        run.status === "cancelling" &&
        status !== "cancelled" &&
        status !== "expired" &&
        status !== "failed"
      )
        target = "cancelled";
      const allowed = canTransition(run.status, target) ? target : "failed";
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
      run.usage = steps.reduce<Usage>(
        (acc, s) =>
          usage(
            acc.prompt_tokens + (s.usage?.prompt_tokens ?? 0),
            acc.completion_tokens + (s.usage?.completion_tokens ?? 0),
          ),
        usage(0, 0),
      );
      await store.put("run", run);
      return allowed;
    });
    if (ended === null) return;
    const timer = this.timers.get(run.id);
    if (timer) clearTimeout(timer);
    this.timers.delete(run.id);
    if (ended !== "gone") {
      for (const [event, rec] of events)
        this.emit(
          run.id,
          event,
          event.startsWith("thread.message.")
            ? render.message(rec as MessageRec, "v2")
            : render.step(rec as StepRec, "v2"),
        );
      this.emit(run.id, `thread.run.${ended}`, render.run(run, "v2"));
    }
    this.endStreams(run.id);
  }

  /** Context for the model: conversation after truncation, files, search, file output. */
  private async buildContext(run: RunRec, signal: AbortSignal): Promise<ModelRunContext | null> {
    const { store } = this.core;
    const thread = await store.get("thread", run.thread_id);
    const assistant = await store.get("assistant", run.assistant_id);
    const all = (await store.list("message", { eq: { thread_id: run.thread_id } })).filter(
      (m) => !(m.run_id === run.id && m.status === "in_progress"),
    );
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
        await this.finalize(run, "incomplete", { incomplete_details: { reason: "max_prompt_tokens" } });
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
    const ciFiles: ModelRunContext["codeInterpreterFiles"] = [];
    for (const id of ciIds) {
      const f = await store.get("file", id);
      if (f) ciFiles.push({ file_id: f.id, filename: f.filename, bytes: f.bytes });
    }
    const vectorStoreIds = [
      ...new Set([
        ...(assistant?.tool_resources.file_search?.vector_store_ids ?? []),
        ...(thread?.tool_resources.file_search?.vector_store_ids ?? []),
      ]),
    ];
    for (const id of vectorStoreIds) {
      const vs = await store.get("vector_store", id);
      if (vs?.expires_after && Date.now() / 1000 > vs.last_active_at + vs.expires_after.days * 86_400) {
        await this.finalize(run, "failed", {
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
        _seq: await store.nextSeq(),
        bytes: data.byteLength,
        filename,
        purpose: "assistants_output",
        status: "processed",
      };
      await fs.promises.writeFile(path.join(store.blobDir, rec.id), data);
      await store.put("file", rec);
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
        const pending = async () => {
          for (const id of vectorStoreIds)
            if (
              (await core.store.count("vector_store_file", {
                eq: { vector_store_id: id, status: "in_progress" },
              })) > 0
            )
              return true;
          return false;
        };
        while (Date.now() < deadline && !signal.aborted && (await pending()))
          await new Promise((r) => setTimeout(r, 25));
        for (const id of vectorStoreIds) await core.touchVectorStore(id);
        return ingestor.search(vectorStoreIds, query, maxResults);
      },
      async readFileText(fileId, maxBytes = 1024 * 1024) {
        await core.file(fileId);
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
        const f = await store.get("file", fileId);
        if (!f || f.bytes > maxBytes) return null;
        const bytes = await fs.promises.readFile(path.join(store.blobDir, fileId)).catch(() => null);
        return bytes ? { filename: f.filename, bytes: new Uint8Array(bytes) } : null;
      },
      usageSoFar: (await store.list("step", { eq: { run_id: run.id } })).reduce(
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
  async recoverAfterRestart(): Promise<void> {
    for (const run of await this.core.store.list("run", { statusIn: ACTIVE_RUN_STATUSES })) {
      await this.finalize(run, "failed", {
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

function logError(e: unknown): void {
  console.error("[engine]", e);
}

function detailOf(part: { detail?: string }): { detail?: string } {
  return part.detail ? { detail: part.detail } : {};
}

function usage(prompt: number, completion: number): Usage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
