import { memo } from "react";
import type { Configuration } from "@/lib/evaluations/model";
import type { ConfigurationRow } from "@/lib/evaluations/report";

/** The settings in which the configurations differ, one row each. */
export const ConfigurationDifferences = memo(function ConfigurationDifferences({
  configurations,
  rows,
}: {
  configurations: readonly Configuration[];
  rows: readonly ConfigurationRow[];
}) {
  const differing = rows.filter((r) => r.differs);
  return (
    <div className="mt-3">
      <h3 className="text-sm font-semibold text-slate-800">How they differ</h3>
      {configurations.length < 2 ? (
        <p className="text-sm text-slate-600">One configuration: nothing to compare.</p>
      ) : differing.length === 0 ? (
        <p className="text-sm text-slate-600">The configurations are the same.</p>
      ) : (
        <div className="mt-1 overflow-x-auto">
          <table className="w-full min-w-0 text-left text-xs">
            <caption className="sr-only">Differences between the configurations</caption>
            <thead>
              <tr>
                <th scope="col" className="py-1 pr-2 font-semibold text-slate-600">
                  Setting
                </th>
                {configurations.map((c) => (
                  <th key={c.id} scope="col" className="py-1 pr-2 font-semibold text-slate-800">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {differing.map((r) => (
                <tr key={r.field} className="border-t border-slate-100 align-top">
                  <th scope="row" className="py-1 pr-2 font-medium text-slate-600">
                    {r.field.replace(/_/g, " ")}
                  </th>
                  {r.values.map((v, i) => (
                    <td key={i} className="max-w-[16rem] py-1 pr-2 break-words text-slate-800">
                      {v || "(empty)"}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
});
