"use client";

import { AccessTokens } from "@/components/access/access-tokens";
import { ConnectionSettings } from "@/components/connections/user-connections";
import { AppHeader } from "@/components/layout/app-header";
import { useActiveConnection } from "@/lib/client/use-active-connection";

/** /settings: connections (and their tests), access tokens. Each section belongs to its feature. */
export function SettingsPage() {
  const active = useActiveConnection();
  return (
    <div className="flex min-h-dvh flex-col bg-slate-100">
      <AppHeader active={active} />
      <main className="mx-auto flex w-full max-w-4xl flex-col gap-6 p-4">
        <h2 className="text-lg font-semibold text-slate-900">Settings</h2>
        <ConnectionSettings />
        <AccessTokens />
      </main>
    </div>
  );
}
