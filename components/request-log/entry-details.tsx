import type { LoggedBody, RequestLogEntry } from "@/lib/client/request-log";

export function HeaderTable({ title, list }: { title: string; list: RequestLogEntry["requestHeaders"] }) {
  if (list.length === 0) return null;
  return (
    <div>
      <h4 className="text-[11px] font-semibold tracking-wide text-slate-600 uppercase">{title}</h4>
      <dl className="mt-0.5 grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-2 font-mono text-[11px]">
        {list.map(([name, value]) => (
          <div key={name} className="contents">
            <dt className="truncate text-slate-600" title={name}>
              {name}
            </dt>
            <dd className="break-all text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

const pre =
  "mt-0.5 max-h-64 overflow-auto rounded border border-slate-200 bg-slate-50 p-1.5 font-mono text-[11px] break-all whitespace-pre-wrap text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600";

export function Body({ title, body }: { title: string; body: LoggedBody | null }) {
  if (!body) return null;
  let content;
  switch (body.kind) {
    case "json":
    case "text":
      content = (
        <>
          {/* Focusable: a scrollable region must be reachable from the keyboard. */}
          <pre className={pre} tabIndex={0} aria-label={title}>
            {body.text}
          </pre>
          {body.truncated ? <p className="text-[11px] text-slate-600">Cut at 64 KB.</p> : null}
        </>
      );
      break;
    case "sse":
      content = (
        <>
          <p className="text-[11px] text-slate-700">
            {body.events.length} events{body.complete ? "" : " so far"}
            {body.truncated ? " (later events not kept)" : ""}
          </p>
          <ol
            className="mt-0.5 max-h-80 space-y-1 overflow-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
            aria-label={`${title} events`}
            tabIndex={0}
          >
            {body.events.map((ev, i) => (
              <li key={i} className="rounded border border-slate-200 bg-slate-50 p-1">
                <span className="font-mono text-[11px] font-semibold text-indigo-800">{ev.event}</span>
                <pre className="font-mono text-[11px] break-all whitespace-pre-wrap text-slate-800">
                  {ev.data}
                </pre>
              </li>
            ))}
          </ol>
        </>
      );
      break;
    case "multipart":
      content = (
        <ul className="mt-0.5 space-y-0.5 font-mono text-[11px] text-slate-900">
          {body.parts.map((p, i) => (
            <li key={i} className="break-all">
              {p.name}:{" "}
              {p.filename !== undefined
                ? `file “${p.filename}” (${p.contentType ?? "?"}, ${p.size ?? "?"} bytes; bytes not recorded)`
                : p.value}
            </li>
          ))}
        </ul>
      );
      break;
    case "binary":
      content = (
        <p className="text-[11px] text-slate-800">
          Binary, {body.contentType || "unknown type"}
          {body.size !== null ? `, ${body.size} bytes` : ""} (not recorded)
        </p>
      );
      break;
  }
  return (
    <div>
      <h4 className="text-[11px] font-semibold tracking-wide text-slate-600 uppercase">{title}</h4>
      {content}
    </div>
  );
}
