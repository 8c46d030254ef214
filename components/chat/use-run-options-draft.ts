"use client";

import { useState } from "react";
import type { Assistant } from "openai/resources/beta/assistants";
import {
  buildRunOverrides,
  emptyRunOptions,
  type RunOptionErrors,
  type RunOptionsDraft,
} from "@/lib/client/chat/run-options";
import type { RunTarget } from "@/lib/client/use-run-stream";
import { useStableCallback } from "@/lib/client/use-stable-callback";

function sameErrors(a: RunOptionErrors, b: RunOptionErrors): boolean {
  const keys = Object.keys(a) as (keyof RunOptionErrors)[];
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * The options of the next run as the person edits them, checked when a run is about to start:
 * `targetFor` gives the run to start, or null when an option is wrong (its error is then shown
 * beside it, and stays in step with later edits).
 */
export function useRunOptionsDraft(assistant: Assistant | null, assistantId: string | null, v1: boolean) {
  const [runOptions, setRunOptions] = useState<RunOptionsDraft>(emptyRunOptions);
  const [optionErrors, setOptionErrors] = useState<RunOptionErrors>({});
  const stream = runOptions.stream && !v1;

  function targetFor(threadId: string): RunTarget | null {
    const { overrides, errors } = buildRunOverrides(runOptions, assistant);
    // The same errors keep the same object (the options form is memoised on it).
    setOptionErrors((current) => (sameErrors(current, errors) ? current : errors));
    if (Object.values(errors).some(Boolean)) return null;
    return { threadId, assistantId: assistantId ?? "", overrides, stream };
  }

  // Stable: the options form is memoised and stays as it is while an answer streams.
  const onChange = useStableCallback((next: RunOptionsDraft) => {
    setRunOptions(next);
    if (Object.values(optionErrors).some(Boolean)) setOptionErrors(buildRunOverrides(next, assistant).errors);
  });

  return { runOptions, optionErrors, onChange, targetFor, stream };
}
