"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { deleteRecord, getRecord, saveRecord } from "@/lib/client/evaluations/api";
import { toPlaygroundError } from "@/lib/client/errors";
import { describeProblem, importPrompts } from "@/lib/evaluations/import";
import { describeIssues, newId, promptSetSchema, type Prompt, type PromptSet } from "@/lib/evaluations/model";
import type { Failure } from "./use-set-run";

/** What is wrong, shown above the editor: lines of a file or a form (the first is the title), or a failed request. */
export type Problem = { lines: string[] } | Failure;

export function emptyPrompt(): Prompt {
  return { id: newId("p"), text: "", attachments: [], checks: [] };
}

function newSet(name = "Untitled set", prompts: Prompt[] = [emptyPrompt()]): PromptSet {
  const now = Math.floor(Date.now() / 1000);
  return { id: newId("set"), name, description: "", prompts, created_at: now, updated_at: now };
}

/** "prompts.1.checks.0.value …" as "prompt 2, check 1.value …". */
function describeSetIssue(line: string): string {
  return line
    .replace(/^prompts\.(\d+)\.checks\.(\d+)/, (_, p, c) => `prompt ${Number(p) + 1}, check ${Number(c) + 1}`)
    .replace(/^prompts\.(\d+)/, (_, p) => `prompt ${Number(p) + 1}`);
}

/**
 * The prompt set being edited: opened from the server, started empty, or read from a file; saved and
 * deleted on the server; with what went wrong and what was done, to show above it.
 */
export function usePromptSetDraft() {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<PromptSet | null>(null);
  const [chosen, setChosen] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const show = (next: { draft?: PromptSet | null; problem?: Problem | null; notice?: string | null }) => {
    if (next.draft !== undefined) setDraft(next.draft);
    if (next.problem !== undefined) setProblem(next.problem);
    if (next.notice !== undefined) setNotice(next.notice);
  };

  const saving = useMutation({
    mutationFn: (set: PromptSet) => saveRecord("prompt-sets", set, queryClient),
    onSuccess: (saved) => {
      setDraft(saved);
      setChosen(saved.id);
      setNotice(`Saved “${saved.name}”.`);
    },
    onError: (error) => setProblem({ title: "The set could not be saved", error }),
  });

  const opening = useMutation({
    mutationFn: (id: string) => getRecord("prompt-sets", id),
    onSuccess: (set) => show({ draft: set, problem: null, notice: null }),
    onError: (error) => setProblem({ title: "The set could not be opened", error }),
  });

  const deleting = useMutation({
    mutationFn: async (id: string) => {
      try {
        await deleteRecord("prompt-sets", id, queryClient);
      } catch (err) {
        // A set never saved is not on the server: deleting it only closes it.
        if (toPlaygroundError(err).status !== 404) throw err;
      }
    },
    onSuccess: () => {
      setDraft(null);
      setChosen("");
    },
    onError: (error) => setProblem({ title: "The set could not be deleted", error }),
  });

  /** Saves the draft when it is valid (else says why); the saved set, or null. */
  async function save(): Promise<PromptSet | null> {
    if (!draft) return null;
    const parsed = promptSetSchema.safeParse({ ...draft, updated_at: Math.floor(Date.now() / 1000) });
    if (!parsed.success) {
      setProblem({ lines: describeIssues(parsed.error).map(describeSetIssue) });
      return null;
    }
    setProblem(null);
    return saving.mutateAsync(parsed.data).catch(() => null);
  }

  async function importPromptFile(file: File) {
    const result = importPrompts(file.name, await file.text());
    const unit = /\.csv$/i.test(file.name) ? "row" : "line";
    if (!result.ok) {
      const lines = result.problems.map((p) => describeProblem(p, unit));
      return setProblem({ lines: [`Nothing was imported from ${file.name}:`, ...lines] });
    }
    show({
      draft: newSet(file.name.replace(/\.[^.]+$/, ""), result.prompts),
      problem: null,
      notice: `Imported ${result.prompts.length} prompts from ${file.name}. Save the set to keep it.`,
    });
  }

  async function importSetFile(file: File) {
    let value: unknown;
    try {
      value = JSON.parse(await file.text());
    } catch (err) {
      return setProblem({ lines: [`${file.name} is not JSON: ${(err as Error).message}`] });
    }
    const parsed = promptSetSchema.safeParse(value);
    if (!parsed.success) {
      const lines = describeIssues(parsed.error).slice(0, 20);
      return setProblem({ lines: [`${file.name} is not a prompt set:`, ...lines] });
    }
    // A new id: importing never overwrites a set someone else keeps on the server.
    show({
      draft: { ...parsed.data, id: newId("set") },
      problem: null,
      notice: `Read “${parsed.data.name}” from ${file.name}. Save the set to keep it.`,
    });
  }

  // Stable, for the memoised editors.
  const changePrompt = useCallback(
    (next: Prompt) =>
      setDraft((d) => d && { ...d, prompts: d.prompts.map((x) => (x.id === next.id ? next : x)) }),
    [],
  );
  const editDraft = useCallback(
    (patch: Partial<Pick<PromptSet, "name" | "description">>) => setDraft((d) => d && { ...d, ...patch }),
    [],
  );
  const addPrompt = useCallback(
    () => setDraft((d) => d && { ...d, prompts: [...d.prompts, emptyPrompt()] }),
    [],
  );
  const removePrompt = useCallback(
    (id: string) => setDraft((d) => d && { ...d, prompts: d.prompts.filter((x) => x.id !== id) }),
    [],
  );

  return {
    draft,
    chosen,
    setChosen,
    problem,
    notice,
    /** Says what is wrong (lines, or a failure) or what was done; null clears it. */
    setProblem,
    setNotice,
    editDraft,
    addPrompt,
    changePrompt,
    removePrompt,
    startNew: () => {
      show({ draft: newSet(), problem: null, notice: null });
      setChosen("");
    },
    save,
    open: (id: string) => opening.mutate(id),
    remove: (id: string) => deleting.mutate(id),
    importPromptFile,
    importSetFile,
    pending: saving.isPending || opening.isPending || deleting.isPending,
  };
}
