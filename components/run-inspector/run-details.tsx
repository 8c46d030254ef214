"use client";

import type { ReactNode } from "react";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import { RunStatusBadge } from "./run-status-badge";
import { formatTokens } from "./format";
import { formatTimestamp } from "@/lib/client/time";

const formatDateTime = (t: number | null | undefined) => formatTimestamp(t, { zone: "local", seconds: true });

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-600">{term}</dt>
      <dd className="min-w-0 [overflow-wrap:anywhere] text-slate-900">{children}</dd>
    </>
  );
}

const none = <span className="text-slate-500">—</span>;

function toolLabel(tool: Run["tools"][number]): string {
  if (tool.type === "function") return `function ${tool.function.name}`;
  if (tool.type === "file_search") {
    const max = tool.file_search?.max_num_results;
    return max ? `file search (max ${max} results)` : "file search";
  }
  return tool.type.replace(/_/g, " ");
}

function toolChoiceLabel(choice: Run["tool_choice"]): string {
  if (!choice) return "auto";
  if (typeof choice === "string") return choice;
  return choice.type === "function"
    ? `function ${choice.function?.name ?? ""}`
    : choice.type.replace(/_/g, " ");
}

function responseFormatLabel(format: Run["response_format"]): string {
  if (!format) return "auto";
  if (typeof format === "string") return format;
  return format.type === "json_schema" ? `json_schema (${format.json_schema.name})` : format.type;
}

/** What the run actually used and how it ended, as the upstream reports it. */
export function RunDetails({ run }: { run: Run }) {
  const truncation = run.truncation_strategy;
  const pending = run.required_action?.submit_tool_outputs.tool_calls ?? [];
  return (
    <div className="space-y-2">
      <dl className="grid grid-cols-[7.5rem_minmax(0,1fr)] gap-x-2 gap-y-1 text-xs">
        <Row term="Status">
          <RunStatusBadge status={run.status} />
        </Row>
        <Row term="Run">
          <code>{run.id}</code>
        </Row>
        <Row term="Assistant">
          <code>{run.assistant_id}</code>
        </Row>
        <Row term="Model">{run.model || none}</Row>
        <Row term="Tools">
          {run.tools.length ? (
            <ul>
              {run.tools.map((t, i) => (
                <li key={i}>{toolLabel(t)}</li>
              ))}
            </ul>
          ) : (
            "none"
          )}
        </Row>
        <Row term="Tool choice">{toolChoiceLabel(run.tool_choice)}</Row>
        <Row term="Parallel tool calls">
          {run.parallel_tool_calls === undefined ? none : String(run.parallel_tool_calls)}
        </Row>
        <Row term="Response format">{responseFormatLabel(run.response_format)}</Row>
        <Row term="Temperature">{run.temperature ?? none}</Row>
        <Row term="Top P">{run.top_p ?? none}</Row>
        <Row term="Truncation">
          {truncation
            ? truncation.type === "last_messages"
              ? `last ${truncation.last_messages ?? "?"} messages`
              : truncation.type
            : none}
        </Row>
        <Row term="Max prompt tokens">{run.max_prompt_tokens ?? none}</Row>
        <Row term="Max completion tokens">{run.max_completion_tokens ?? none}</Row>
        <Row term="Usage">
          {run.usage
            ? `${formatTokens(run.usage.total_tokens)} (${run.usage.prompt_tokens} prompt, ${run.usage.completion_tokens} completion)`
            : none}
        </Row>
        <Row term="Created">{formatDateTime(run.created_at)}</Row>
        <Row term="Started">{formatDateTime(run.started_at)}</Row>
        {run.completed_at ? <Row term="Completed">{formatDateTime(run.completed_at)}</Row> : null}
        {run.failed_at ? <Row term="Failed">{formatDateTime(run.failed_at)}</Row> : null}
        {run.cancelled_at ? <Row term="Cancelled">{formatDateTime(run.cancelled_at)}</Row> : null}
        {run.expires_at ? <Row term="Expires">{formatDateTime(run.expires_at)}</Row> : null}
        <Row term="Last error">
          {run.last_error ? (
            <span className="text-red-800">
              {run.last_error.code}: {run.last_error.message}
            </span>
          ) : (
            none
          )}
        </Row>
        <Row term="Incomplete">
          {run.incomplete_details ? (
            <span className="text-amber-800">{run.incomplete_details.reason ?? "yes"}</span>
          ) : (
            none
          )}
        </Row>
        <Row term="Required action">
          {pending.length ? (
            <ul>
              {pending.map((c) => (
                <li key={c.id}>
                  submit output for <code>{c.function.name}</code> ({c.id})
                </li>
              ))}
            </ul>
          ) : (
            none
          )}
        </Row>
      </dl>
      <details className="rounded border border-slate-200">
        <summary className="cursor-pointer px-2 py-1 text-xs font-medium text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-600">
          Instructions{" "}
          {run.instructions ? `(${run.instructions.length.toLocaleString("en-US")} characters)` : "(none)"}
        </summary>
        <p className="max-h-60 overflow-auto p-2 text-xs whitespace-pre-wrap text-slate-900">
          {run.instructions || "No instructions."}
        </p>
      </details>
    </div>
  );
}
