import { queryOptions, skipToken } from "@tanstack/react-query";
import type { BackupContents } from "../../export/archive";
import { checkLocalRestore, modeFor, planRestore, type RestoreTarget } from "../../export/restore";

/** A backup archive read in the page; `id` is new for every file chosen, so its plans start afresh. */
export interface LoadedArchive {
  id: string;
  name: string;
  zip: Uint8Array;
  backup: BackupContents;
}

export const backupKeys = {
  all: ["backup"] as const,
  archive: (archiveId: string) => [...backupKeys.all, "archive", archiveId] as const,
  plan: (archiveId: string, target: RestoreTarget | null) =>
    [
      ...backupKeys.archive(archiveId),
      "plan",
      target?.name ?? "",
      target?.kind ?? "",
      target?.label ?? "",
    ] as const,
};

/**
 * What restoring `archive` into `target` will do. An exact restore (into a local engine) first asks
 * the engine which of the archive's ids it already has; nothing is written.
 */
export function restorePlanQuery(archive: LoadedArchive | null, target: RestoreTarget | null) {
  // The archive's id stands for its contents (a new one for every file chosen).
  // eslint-disable-next-line @tanstack/query/exhaustive-deps
  return queryOptions({
    queryKey: backupKeys.plan(archive?.id ?? "", target),
    queryFn:
      archive && target
        ? async ({ signal }) => {
            const collisions =
              modeFor(target) === "exact"
                ? (await checkLocalRestore(archive.zip, target.name, signal)).collisions
                : [];
            return planRestore(archive.backup, target, collisions);
          }
        : skipToken,
    // What the target holds changes with every restore: never plan from an old answer.
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
}
