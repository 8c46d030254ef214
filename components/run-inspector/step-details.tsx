"use client";

import type {
  CodeInterpreterToolCall,
  FileSearchToolCall,
  FunctionToolCall,
  RunStep,
  ToolCall,
} from "openai/resources/beta/threads/runs/steps";
import { useId } from "react";
import type { ClientScope } from "@/lib/client/queries/scope";
import { prettyArguments } from "@/lib/client/chat/tool-outputs";
import { ImageFile } from "@/components/chat/file-content";
import { HighlightedCode } from "./highlighted-code";
import { splitCodeLogs } from "@/lib/client/chat/code-logs";

export interface StepDetailOptions {
  scope: ClientScope | null;
  /** Whether file-search content was asked for (include[]); the button asks for it. */
  fileSearchContent: boolean;
  onRequestFileSearchContent: () => void;
  loadingContent: boolean;
}

const PRE =
  "max-h-48 overflow-auto rounded border p-2 font-mono text-xs whitespace-pre-wrap focus-visible:outline-2 focus-visible:outline-indigo-600";

/** A call's logs: what the code printed, then the error that ended it (a traceback, a stop) apart, in red. */
function CodeLogsView({ logs }: { logs: string }) {
  const { output, error } = splitCodeLogs(logs);
  const errorId = useId();
  return (
    <>
      {output || !error ? (
        <>
          <h5 className="text-xs font-semibold text-slate-700">Logs</h5>
          <pre
            tabIndex={0}
            aria-label="Logs"
            className={`${PRE} border-slate-200 bg-slate-50 text-slate-900`}
          >
            {output}
          </pre>
        </>
      ) : null}
      {error ? (
        <div role="group" aria-labelledby={errorId} className="space-y-1">
          <h5 id={errorId} className="text-xs font-semibold text-red-800">
            <span aria-hidden="true">✗ </span>Error: {error.title}
          </h5>
          <pre
            tabIndex={0}
            aria-label="Error output"
            className={`${PRE} border-red-300 bg-red-50 text-red-950`}
          >
            {error.text}
          </pre>
        </div>
      ) : null}
    </>
  );
}

function CodeInterpreterCall({ call, scope }: { call: CodeInterpreterToolCall; scope: ClientScope | null }) {
  const { input, outputs } = call.code_interpreter;
  const logs = outputs.filter((o) => o.type === "logs");
  const images = outputs.filter((o) => o.type === "image");
  return (
    <div className="space-y-2">
      <h5 className="text-xs font-semibold text-slate-700">Input</h5>
      {input ? (
        <HighlightedCode code={input.replace(/^\n+/, "")} language="python" label="Code" />
      ) : (
        <p className="text-xs text-slate-600">No code yet.</p>
      )}
      {logs.map((log, i) => (
        <CodeLogsView key={i} logs={log.logs} />
      ))}
      {images.length > 0 ? (
        <>
          <h5 className="text-xs font-semibold text-slate-700">
            {images.length === 1 ? "Output image" : `Output images (${images.length})`}
          </h5>
          {images.map((img) => (
            <ImageFile key={img.image.file_id} scope={scope} fileId={img.image.file_id} />
          ))}
        </>
      ) : null}
      {outputs.length === 0 && input ? <p className="text-xs text-slate-600">No outputs.</p> : null}
    </div>
  );
}

function FileSearchCall({ call, options }: { call: FileSearchToolCall; options: StepDetailOptions }) {
  const results = call.file_search.results;
  const ranking = call.file_search.ranking_options;
  if (!results)
    return <p className="text-xs text-slate-600">The upstream reported no results for this call.</p>;
  return (
    <div className="space-y-2">
      {ranking ? (
        <p className="text-xs text-slate-700">
          Ranker {ranking.ranker}, score threshold {ranking.score_threshold}
        </p>
      ) : null}
      {results.length === 0 ? <p className="text-xs text-slate-600">No results.</p> : null}
      <ol aria-label="File search results" className="space-y-1.5">
        {results.map((r, i) => (
          <li key={`${r.file_id}-${i}`} className="rounded border border-slate-200 p-1.5 text-xs">
            <div className="flex items-baseline justify-between gap-2">
              <span className="min-w-0 font-medium [overflow-wrap:anywhere] text-slate-900">
                {r.file_name}
              </span>
              <span className="shrink-0 text-slate-700 tabular-nums">score {r.score.toFixed(3)}</span>
            </div>
            <code className="text-[0.7rem] text-slate-600">{r.file_id}</code>
            {r.content ? (
              r.content.length ? (
                <blockquote className="mt-1 max-h-40 overflow-auto border-l-2 border-slate-300 pl-2 whitespace-pre-wrap text-slate-800">
                  {r.content.map((c) => c.text ?? "").join("\n")}
                </blockquote>
              ) : (
                <p className="mt-1 text-slate-600">The connection returned no content for this result.</p>
              )
            ) : null}
          </li>
        ))}
      </ol>
      {results.length > 0 && !options.fileSearchContent ? (
        <button
          type="button"
          onClick={options.onRequestFileSearchContent}
          className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          Show matched content
        </button>
      ) : null}
      {options.fileSearchContent && options.loadingContent ? (
        <p className="text-xs text-slate-600">Loading matched content…</p>
      ) : null}
    </div>
  );
}

function FunctionCall({ call }: { call: FunctionToolCall }) {
  const { name, arguments: args, output } = call.function;
  return (
    <div className="space-y-2">
      <h5 className="text-xs font-semibold text-slate-700">Arguments</h5>
      <HighlightedCode code={prettyArguments(args)} language="json" label={`Arguments of ${name}`} />
      <h5 className="text-xs font-semibold text-slate-700">Output</h5>
      {output === null || output === undefined ? (
        <p className="text-xs text-slate-600">No output submitted yet.</p>
      ) : (
        <pre
          tabIndex={0}
          aria-label={`Output of ${name}`}
          className="max-h-48 overflow-auto rounded border border-slate-200 bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {output}
        </pre>
      )}
    </div>
  );
}

const CALL_TITLES: Record<ToolCall["type"], string> = {
  code_interpreter: "Code interpreter",
  file_search: "File search",
  function: "Function",
};

function ToolCallDetail({ call, options }: { call: ToolCall; options: StepDetailOptions }) {
  return (
    <section aria-label={`${CALL_TITLES[call.type]} call ${call.id}`} className="space-y-1">
      {/* One heading per call: a function's name is in it (not in a second "Function" line below). */}
      <h4 className="flex flex-wrap items-baseline gap-x-2 text-xs font-semibold text-slate-900">
        <span>
          {CALL_TITLES[call.type]}
          {call.type === "function" ? (
            <>
              {" "}
              <code className="font-semibold">{call.function.name || "…"}</code>
            </>
          ) : null}
        </span>
        <code className="font-normal text-slate-600">{call.id}</code>
      </h4>
      {call.type === "code_interpreter" ? <CodeInterpreterCall call={call} scope={options.scope} /> : null}
      {call.type === "file_search" ? <FileSearchCall call={call} options={options} /> : null}
      {call.type === "function" ? <FunctionCall call={call} /> : null}
    </section>
  );
}

/** Moves the conversation to the message a step wrote, and focus with it. */
function goToMessage(messageId: string): boolean {
  const el = document.getElementById(`message-${messageId}`);
  if (!el) return false;
  // Smooth unless the person asked for less motion.
  const reduce = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
  el.scrollIntoView({ block: "start", behavior: reduce ? "auto" : "smooth" });
  el.focus({ preventScroll: true });
  return true;
}

export function StepDetail({
  step,
  options,
  onMissingMessage,
}: {
  step: RunStep;
  options: StepDetailOptions;
  onMissingMessage: (messageId: string) => void;
}) {
  const d = step.step_details;
  return (
    <div className="space-y-3">
      {d.type === "message_creation" ? (
        d.message_creation.message_id ? (
          <p className="text-xs">
            Wrote message{" "}
            <a
              href={`#message-${d.message_creation.message_id}`}
              onClick={(e) => {
                e.preventDefault();
                if (!goToMessage(d.message_creation.message_id))
                  onMissingMessage(d.message_creation.message_id);
              }}
              className="font-medium text-indigo-700 underline hover:text-indigo-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              Go to message {d.message_creation.message_id}
            </a>
          </p>
        ) : (
          <p className="text-xs text-slate-600">The message is being created.</p>
        )
      ) : d.tool_calls.length === 0 ? (
        <p className="text-xs text-slate-600">No tool calls yet.</p>
      ) : (
        d.tool_calls.map((call, i) => <ToolCallDetail key={call.id || i} call={call} options={options} />)
      )}
      {step.last_error ? (
        <p className="text-xs text-red-800">
          {step.last_error.code}: {step.last_error.message}
        </p>
      ) : null}
    </div>
  );
}
