import type { VectorStore } from "openai/resources/vector-stores/vector-stores";

/** A store's (or batch's) file counts, as text a screen reader reads in one go. */
export function FileCounts({ counts }: { counts: VectorStore["file_counts"] }) {
  const parts = [
    `${counts.total} file${counts.total === 1 ? "" : "s"}`,
    counts.completed ? `${counts.completed} completed` : null,
    counts.in_progress ? `${counts.in_progress} in progress` : null,
    counts.failed ? `${counts.failed} failed` : null,
    counts.cancelled ? `${counts.cancelled} cancelled` : null,
  ].filter(Boolean);
  return <p className="text-xs text-slate-700">{parts.join(" · ")}</p>;
}
