import { memo } from "react";
import type { RestorePlan, RestoreResult } from "@/lib/client/export/restore";
import { plural, success } from "./backup-common";

const th = "px-2 py-1 font-semibold";

/** What the restore will do, object by object, before anything starts. */
export const RestorePlanView = memo(function RestorePlanView({ plan }: { plan: RestorePlan }) {
  return (
    <div className="mt-3 space-y-2">
      <h4 className="text-sm font-semibold text-slate-900">
        {plan.mode === "exact" ? "Exact restore into " : "Recreate on "}
        {plan.target.label}
      </h4>
      <ul aria-label="What the restore will do" className="list-disc space-y-1 pl-5 text-sm text-slate-800">
        {plan.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      <div
        className="max-h-72 overflow-auto rounded-md border border-slate-200"
        tabIndex={0}
        role="group"
        aria-label="Plan details"
      >
        <table className="w-full text-left text-xs">
          <caption className="sr-only">Objects in the backup and what happens to each</caption>
          <thead className="sticky top-0 bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" className={th}>
                Kind
              </th>
              <th scope="col" className={th}>
                Name
              </th>
              <th scope="col" className={th}>
                Id in the backup
              </th>
              <th scope="col" className={th}>
                What happens
              </th>
            </tr>
          </thead>
          <tbody>
            {plan.items.map((it) => (
              <tr key={`${it.kind}/${it.id}`} className="border-t border-slate-100">
                <td className="px-2 py-1 whitespace-nowrap text-slate-700">{it.kind}</td>
                <td className="max-w-40 truncate px-2 py-1 text-slate-900" title={it.label}>
                  {it.label}
                </td>
                <td className="px-2 py-1 font-mono break-all text-slate-700">{it.id}</td>
                <td className={`px-2 py-1 ${it.exists ? "text-amber-900" : "text-slate-800"}`}>
                  {it.action}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});

/** What the restore created, kept and renamed. */
export const RestoreReport = memo(function RestoreReport({ result }: { result: RestoreResult }) {
  const c = result.created;
  const renamed = Object.entries(result.ids).filter(([from, to]) => from !== to);
  return (
    <div role="status" className={success}>
      <p className="font-semibold">
        Restored: {plural(c.assistants, "assistant")}, {plural(c.files, "file")},{" "}
        {plural(c.vectorStores, "vector store")}, {plural(c.threads, "thread")},{" "}
        {plural(c.messages, "message")}, {plural(c.runs, "run")}, {plural(c.steps, "run step")}.
      </p>
      {result.skipped.length ? (
        <p className="mt-1">
          {plural(result.skipped.length, "object")} already existed and{" "}
          {result.skipped.length === 1 ? "was" : "were"} kept as they were.
        </p>
      ) : null}
      {result.warnings.length ? (
        <ul className="mt-2 list-disc pl-5 text-amber-900">
          {result.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {renamed.length ? (
        <details className="mt-2">
          <summary className="cursor-pointer font-medium">New ids ({renamed.length})</summary>
          <ul className="mt-1 font-mono text-xs">
            {renamed.map(([from, to]) => (
              <li key={from}>
                {from} → {to}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <p className="mt-2">
        Restored threads are in the playground&apos;s thread list, under their assistant.
      </p>
    </div>
  );
});
