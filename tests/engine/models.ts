// Small test models with known behaviour, so engine tests do not depend on the scripted model's wording.
import type { Model, ModelEvent, ModelRunContext } from "@/lib/engine/model/types";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Echoes the last user message in `parts` deltas; records every context it was given. */
export function echoModel(
  opts: { parts?: number; delayMs?: number } = {},
): Model & { contexts: ModelRunContext[] } {
  const contexts: ModelRunContext[] = [];
  return {
    id: "echo",
    label: "echo test model",
    contexts,
    async *run(ctx) {
      contexts.push(ctx);
      const last = [...ctx.messages].reverse().find((m) => m.role === "user");
      const text = `echo: ${last?.text ?? ""}`;
      const parts = opts.parts ?? 3;
      const size = Math.ceil(text.length / parts);
      yield { type: "message.start" };
      for (let i = 0; i < text.length; i += size) {
        if (opts.delayMs) await sleep(opts.delayMs, ctx.signal);
        yield { type: "message.text", value: text.slice(i, i + size) };
      }
      yield { type: "message.end" };
    },
  };
}

/** Calls `get_weather` on the first turn, then answers with the submitted output. */
export function functionModel(): Model {
  return {
    id: "fn",
    label: "function test model",
    async *run(ctx) {
      if (ctx.priorFunctionCalls.length === 0) {
        yield {
          type: "tool_calls",
          calls: [
            { type: "function", name: "get_weather", arguments: JSON.stringify({ city: "Paris" }) },
            { type: "function", name: "get_time", arguments: "{}" },
          ],
        };
        return;
      }
      yield { type: "message.start" };
      yield {
        type: "message.text",
        value: `Outputs: ${ctx.priorFunctionCalls.map((c) => `${c.name}=${c.output}`).join(", ")}`,
      };
      yield { type: "message.end" };
    },
  };
}

/** Never finishes until aborted: for cancel, expiry and the thread lock. */
export function hangingModel(): Model {
  return {
    id: "hang",
    label: "hanging test model",
    async *run(ctx) {
      yield { type: "message.start" };
      yield { type: "message.text", value: "thinking" };
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
    },
  };
}

/** Plays a fixed list of events. */
export function scriptModel(
  events: ModelEvent[] | ((ctx: ModelRunContext) => AsyncIterable<ModelEvent> | ModelEvent[]),
): Model {
  return {
    id: "script",
    label: "script test model",
    async *run(ctx) {
      const list = typeof events === "function" ? events(ctx) : events;
      for await (const e of list as AsyncIterable<ModelEvent>) yield e;
    },
  };
}

/** Refuses runs whose last user message says "busy". */
export function admittingModel(): Model {
  return {
    ...echoModel(),
    admit: ({ lastUserText }) =>
      lastUserText.includes("busy")
        ? { retryAfterSeconds: 3, message: "Rate limit is exceeded. Try again in 3 seconds." }
        : null,
  };
}

/** Throws from inside the model. */
export function throwingModel(): Model {
  return {
    id: "throw",
    label: "throwing test model",
    async *run() {
      throw new Error("boom");
    },
  };
}
