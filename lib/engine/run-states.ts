/** The run lifecycle as an explicit transition table (Azurite keeps its lease states the same way). */
import type { RunStatus } from "./records";

export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  queued: ["in_progress", "cancelling", "failed", "expired"],
  in_progress: ["requires_action", "cancelling", "completed", "failed", "incomplete", "expired"],
  requires_action: ["queued", "cancelling", "expired", "failed"],
  cancelling: ["cancelled", "failed", "expired"],
  cancelled: [],
  failed: [],
  completed: [],
  expired: [],
  incomplete: [],
};

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

export function isTerminal(status: RunStatus): boolean {
  return RUN_TRANSITIONS[status].length === 0;
}

/** Statuses in which a run accepts cancel (everything not terminal and not already cancelling). */
export function isCancellable(status: RunStatus): boolean {
  return canTransition(status, "cancelling");
}
