import { memo } from "react";
import type { Change } from "@/lib/client/assistants/diff";
import type { SavedNote } from "./use-assistant-form";

function ChangeList({ changes }: { changes: Change[] }) {
  return (
    <ul className="mt-1 space-y-0.5">
      {changes.map((c, i) => (
        <li key={i}>
          <span className="font-semibold">{c.field}</span>: {c.before} → {c.after}
        </li>
      ))}
    </ul>
  );
}

/** The unsaved changes to a saved assistant, field by field. */
export const UnsavedChanges = memo(function UnsavedChanges({ changes }: { changes: Change[] }) {
  if (!changes.length) return null;
  return (
    <details className="rounded-md border border-amber-300 bg-amber-50 p-2 text-xs text-amber-950">
      <summary className="cursor-pointer font-medium">
        {changes.length} unsaved change{changes.length === 1 ? "" : "s"}
      </summary>
      <ChangeList changes={changes} />
    </details>
  );
});

/** What the last save did. */
export const SavedSummary = memo(function SavedSummary({ note }: { note: SavedNote }) {
  if (note.created) return <span>Created.</span>;
  if (note.changes.length === 0) return <span>Saved. Nothing changed.</span>;
  return (
    <div>
      <span>Saved. Changed: {note.changes.map((c) => c.field).join(", ")}.</span>
      <details className="text-xs text-slate-600">
        <summary className="cursor-pointer">What changed</summary>
        <ChangeList changes={note.changes} />
      </details>
    </div>
  );
});
