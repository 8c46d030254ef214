/**
 * The model-graded check: a deployment on a connection the person picked reads the rubric, the
 * prompt and the answer, and says pass or fail with a reason. The Assistants protocol has no plain
 * completion call, so grading runs on a temporary assistant (one per connection, api-version and
 * deployment, deleted by `dispose`), one thread per verdict, with `response_format: json_object`.
 */
import type { AzureOpenAI } from "openai";
import { checkLabel, readVerdict, type RunOutcome } from "@/lib/evaluations/checks";
import type { Check, CheckResult } from "@/lib/evaluations/model";
import { RUN_START_OPTIONS, type ConnectionRef } from "../sdk";

export const GRADER_NAME = "Playground grader (temporary)";

export const GRADER_INSTRUCTIONS = [
  "You grade an assistant's answer against a rubric.",
  'Reply with a JSON object only: {"pass": true or false, "reason": "one sentence saying why"}.',
].join(" ");

type GradedCheck = Extract<Check, { type: "model_graded" }>;

export interface GraderOptions {
  clientFor: (ref: ConnectionRef) => AzureOpenAI;
  call?: <T>(fn: () => Promise<T>) => Promise<T>;
  signal?: AbortSignal;
  pollMs?: number;
}

export function graderMessage(check: GradedCheck, promptText: string, outcome: RunOutcome): string {
  return [
    "Rubric:",
    check.rubric,
    "",
    "The question the assistant was asked:",
    promptText,
    "",
    `The assistant's answer (run status ${outcome.status ?? "none"}):`,
    outcome.text || "(no text)",
    "",
    "Answer in JSON.",
  ].join("\n");
}

export function createGrader(options: GraderOptions) {
  const assistants = new Map<string, Promise<{ client: AzureOpenAI; id: string }>>();
  const call = options.call ?? (<T>(fn: () => Promise<T>) => fn());

  function assistantFor(check: GradedCheck) {
    const key = `${check.connection}\n${check.apiVersion}\n${check.model}`;
    let entry = assistants.get(key);
    if (!entry) {
      const client = options.clientFor({ name: check.connection, apiVersion: check.apiVersion });
      entry = call(() =>
        client.beta.assistants.create({
          name: GRADER_NAME,
          model: check.model,
          instructions: GRADER_INSTRUCTIONS,
        }),
      ).then((a) => ({ client, id: a.id }));
      // A failed creation is tried again by the next check rather than remembered.
      entry.catch(() => assistants.delete(key));
      assistants.set(key, entry);
    }
    return entry;
  }

  async function grade(check: GradedCheck, outcome: RunOutcome, promptText: string): Promise<CheckResult> {
    const label = checkLabel(check);
    const { client, id } = await assistantFor(check);
    const requestOptions = options.signal ? { signal: options.signal } : {};
    const thread = await call(() =>
      client.beta.threads.create(
        { messages: [{ role: "user", content: graderMessage(check, promptText, outcome) }] },
        requestOptions,
      ),
    );
    let run = await call(() =>
      client.beta.threads.runs.create(
        thread.id,
        { assistant_id: id, response_format: { type: "json_object" } },
        { ...RUN_START_OPTIONS, ...requestOptions },
      ),
    );
    while (["queued", "in_progress", "cancelling"].includes(run.status)) {
      await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
      const runId = run.id;
      run = await call(() =>
        client.beta.threads.runs.retrieve(runId, { thread_id: thread.id }, requestOptions),
      );
    }
    if (run.status !== "completed")
      return {
        label,
        type: check.type,
        pass: false,
        reason: `the grader's run ended ${run.status}${run.last_error ? `: ${run.last_error.message}` : ""}`,
      };
    const runId = run.id;
    const messages = await call(() =>
      client.beta.threads.messages.list(thread.id, { run_id: runId, order: "asc" }, requestOptions),
    );
    const text = messages.data
      .flatMap((m) => (m.role === "assistant" ? m.content : []))
      .map((p) => (p.type === "text" ? p.text.value : ""))
      .join("\n");
    const verdict = readVerdict(text);
    if (!verdict)
      return {
        label,
        type: check.type,
        pass: false,
        reason: `the grader said neither pass nor fail: ${JSON.stringify(text.slice(0, 200))}`,
      };
    return { label, type: check.type, pass: verdict.pass, reason: `grader: ${verdict.reason}` };
  }

  /** Deletes the temporary grader assistants. */
  async function dispose() {
    const all = [...assistants.values()];
    assistants.clear();
    await Promise.all(
      all.map(async (entry) => {
        try {
          const { client, id } = await entry;
          await client.beta.assistants.delete(id);
        } catch {
          // Gone already, or never created.
        }
      }),
    );
  }

  return { grade, dispose };
}
