"use client";

// Loaded on demand by json-tree.tsx: react-json-view-lite (no dependencies, role="tree" with
// arrow-key navigation), styled with the app's colours instead of its stylesheet.
import { allExpanded, JsonView } from "react-json-view-lite";
import type { StyleProps } from "react-json-view-lite/dist/DataRenderer";

const icon =
  "mr-1 inline-block w-3 cursor-pointer select-none text-slate-600 focus-visible:outline-2 focus-visible:outline-indigo-600";

const styles: StyleProps = {
  container: "font-mono text-xs leading-5 whitespace-pre-wrap [overflow-wrap:anywhere] text-slate-900",
  basicChildStyle: "pl-3",
  childFieldsContainer: "m-0 p-0",
  label: "mr-1 font-semibold text-slate-800",
  clickableLabel: "mr-1 cursor-pointer font-semibold text-slate-800",
  nullValue: "text-rose-700",
  undefinedValue: "text-rose-700",
  stringValue: "text-emerald-800",
  booleanValue: "text-violet-800",
  numberValue: "text-sky-800",
  otherValue: "text-slate-800",
  punctuation: "mr-1 text-slate-600",
  expandIcon: `${icon} after:content-['▸']`,
  collapseIcon: `${icon} after:content-['▾']`,
  collapsedContent: "mr-1 cursor-pointer text-slate-600 after:content-['…']",
  noQuotesForStringValues: false,
  quotesForFieldNames: true,
  ariaLables: { collapseJson: "Collapse", expandJson: "Expand" },
  stringifyStringValues: true,
};

/** The object and its direct children open; deeper levels one click (or arrow key) away. */
const expandTopLevels = (level: number) => level < 2;

export function JsonTreeView({
  data,
  label,
  expandAll,
}: {
  data: object;
  label: string;
  expandAll: boolean;
}) {
  return (
    <JsonView
      data={data}
      style={styles}
      aria-label={label}
      shouldExpandNode={expandAll ? allExpanded : expandTopLevels}
      clickToExpandNode
    />
  );
}
