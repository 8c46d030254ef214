"use client";

import { AppHeader } from "@/components/layout/app-header";
import { ErrorAlert } from "@/components/ui/error-alert";
import { useActiveConnection } from "@/lib/client/use-active-connection";
import { BackupSection } from "./backup-section";
import { RestoreSection } from "./restore-section";

/** /backup: back up a whole connection into one archive, and restore one (docs/backup.md). */
export function BackupPage() {
  const active = useActiveConnection();
  return (
    <div className="flex min-h-dvh flex-col bg-slate-100">
      <AppHeader active={active} />
      <main className="mx-auto flex w-full max-w-4xl flex-col gap-6 p-4">
        <h2 className="text-lg font-semibold text-slate-900">Backup and restore</h2>
        {active.error ? <ErrorAlert error={active.error} /> : null}
        <BackupSection connection={active.connection} />
        <RestoreSection connections={active.connections} active={active.connection} />
      </main>
    </div>
  );
}
