"use client";

import { useId, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import type { ClientScope } from "@/lib/client/queries/scope";
import { assistantDetailQuery } from "@/lib/client/queries/assistants/queries";
import { threadKeys, threadMessagesQuery } from "@/lib/client/queries/threads";
import { rowTitle, toRow } from "@/lib/client/inspector/timeline";
import { toPlaygroundError } from "@/lib/client/errors";
import { JsonTree } from "./json-tree";

type Choice = { key: string; label: string };

/** The raw protocol objects behind the inspector: run, assistant, thread, each step, each message. */
export function RawJson({
  scope,
  threadId,
  run,
  steps,
}: {
  scope: ClientScope | null;
  threadId: string;
  run: Run;
  steps: readonly RunStep[];
}) {
  const [choice, setChoice] = useState("run");
  const selectId = useId();
  const wantsAssistant = choice === "assistant";
  const wantsThread = choice === "thread";
  const assistant = useQuery({ ...assistantDetailQuery(scope, run.assistant_id), enabled: wantsAssistant });
  const thread = useQuery({
    queryKey: [...threadKeys.detail(scope?.connection.name ?? "", threadId), "object"],
    queryFn: ({ signal }) => scope!.client.beta.threads.retrieve(threadId, { signal }),
    enabled: Boolean(scope) && wantsThread,
  });
  const messages = useQuery(threadMessagesQuery(scope, threadId));

  const choices: Choice[] = [
    { key: "run", label: `Run ${run.id}` },
    { key: "assistant", label: `Assistant ${run.assistant_id}` },
    { key: "thread", label: `Thread ${threadId}` },
    ...steps.map((s, i) => ({ key: `step:${s.id}`, label: `Step ${i + 1} · ${rowTitle(toRow(s))}` })),
    ...(messages.data ?? []).map((m, i) => ({
      key: `message:${m.id}`,
      label: `Message ${i + 1} · ${m.role}${m.run_id === run.id ? " · this run" : ""}`,
    })),
  ];
  const current = choices.some((c) => c.key === choice) ? choice : "run";

  let value: unknown = run;
  let status: string | null = null;
  if (current === "assistant") {
    value = assistant.data;
    if (assistant.isError)
      status = `Could not load the assistant: ${toPlaygroundError(assistant.error).message}`;
    else if (!assistant.data) status = "Loading the assistant…";
  } else if (current === "thread") {
    value = thread.data;
    if (thread.isError) status = `Could not load the thread: ${toPlaygroundError(thread.error).message}`;
    else if (!thread.data) status = "Loading the thread…";
  } else if (current.startsWith("step:")) {
    value = steps.find((s) => `step:${s.id}` === current);
  } else if (current.startsWith("message:")) {
    value = messages.data?.find((m) => `message:${m.id}` === current);
  }
  const label = choices.find((c) => c.key === current)?.label ?? "object";

  return (
    <div className="space-y-2">
      <div>
        <label htmlFor={selectId} className="block text-xs font-medium text-slate-700">
          Object
        </label>
        <select
          id={selectId}
          value={current}
          onChange={(e) => setChoice(e.target.value)}
          className="mt-0.5 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-xs focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {choices.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      {status ? (
        <p role="status" className="text-xs text-slate-700">
          {status}
        </p>
      ) : value !== undefined ? (
        <JsonTree key={current} value={value} label={label} />
      ) : null}
    </div>
  );
}
