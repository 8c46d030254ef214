/** One line of the targets table at the head of docs/benchmarks.md. */
export interface SummaryRow {
  target: string;
  measured: string;
  /** The floor measured side by side (what the proxy cannot do better than). */
  floor: string;
  verdict: "met" | "not met" | "not conclusive" | "not measured" | "in its section";
  /** Why, when not met or not conclusive: what the measurement shows. */
  why?: string;
}

export function summaryTable(rows: SummaryRow[]): string {
  return [
    "| target | measured | floor (side by side) | verdict |",
    "|---|---|---|---|",
    ...rows.map(
      (r) => `| ${r.target} | ${r.measured} | ${r.floor} | **${r.verdict}**${r.why ? ` — ${r.why}` : ""} |`,
    ),
  ].join("\n");
}
