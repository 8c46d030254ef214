"use client";

import { memo } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { downloadJson } from "@/lib/client/download";
import type { PlaygroundConnection } from "@/lib/client/connections";
import type { Prompt, PromptSet } from "@/lib/evaluations/model";
import { PromptEditor } from "./prompt-editor";
import { fileSafe, section } from "./shared";

/** The set being edited: its name, its prompts, and how it is saved, exported, deleted and run. */
export const PromptSetEditor = memo(function PromptSetEditor({
  draft,
  connections,
  configurationCount,
  busy,
  concurrency,
  onConcurrencyChange,
  onEdit,
  onChangePrompt,
  onRemovePrompt,
  onAddPrompt,
  onSave,
  onDelete,
  onRun,
}: {
  draft: PromptSet;
  connections: PlaygroundConnection[];
  configurationCount: number;
  /** A run or a request is under way: saving, deleting and running wait. */
  busy: boolean;
  concurrency: number;
  onConcurrencyChange: (n: number) => void;
  onEdit: (patch: Partial<Pick<PromptSet, "name" | "description">>) => void;
  onChangePrompt: (p: Prompt) => void;
  onRemovePrompt: (id: string) => void;
  onAddPrompt: () => void;
  onSave: () => void;
  onDelete: () => void;
  onRun: () => void;
}) {
  return (
    <section aria-label="Prompt set editor" className={section}>
      <div className="grid gap-2 md:grid-cols-2">
        <TextField
          label="Set name"
          value={draft.name}
          maxLength={200}
          onChange={(e) => onEdit({ name: e.target.value })}
        />
        <TextField
          label="Description"
          value={draft.description}
          maxLength={2000}
          onChange={(e) => onEdit({ description: e.target.value })}
        />
      </div>
      <ol className="mt-3 space-y-3" aria-label="Prompts">
        {draft.prompts.map((p, i) => (
          <PromptEditor
            key={p.id}
            prompt={p}
            index={i}
            connections={connections}
            onChange={onChangePrompt}
            onRemove={onRemovePrompt}
          />
        ))}
      </ol>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button onClick={onAddPrompt}>Add prompt</Button>
        <Button variant="primary" disabled={busy} onClick={onSave}>
          Save set
        </Button>
        <Button onClick={() => downloadJson(`${fileSafe(draft.name)}.prompt-set.json`, draft)}>
          Export set
        </Button>
        <Button variant="danger" disabled={busy} onClick={onDelete}>
          Delete set
        </Button>
      </div>
      <div className="mt-4 flex flex-wrap items-end gap-2 border-t border-slate-200 pt-3">
        <TextField
          className="w-32"
          label="Runs at once"
          type="number"
          min={1}
          max={8}
          value={concurrency}
          onChange={(e) =>
            onConcurrencyChange(Math.min(8, Math.max(1, Math.round(Number(e.target.value) || 1))))
          }
        />
        <Button variant="primary" disabled={busy} onClick={onRun}>
          Run against {configurationCount} configuration{configurationCount === 1 ? "" : "s"}
        </Button>
      </div>
    </section>
  );
});
