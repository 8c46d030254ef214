"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { SessionControls } from "@/components/access/session-controls";
import { ConnectionPicker } from "@/components/connections/connection-picker";
import { ThemeSwitch } from "@/components/playground/theme-switch";
import { DeploymentNotice } from "./deployment-notice";
import type { ActiveConnection } from "@/lib/client/use-active-connection";

const PAGES = [
  { href: "/", label: "Playground" },
  { href: "/assistants", label: "Assistants" },
  { href: "/files", label: "Files" },
  { href: "/vector-stores", label: "Vector stores" },
  { href: "/evaluate", label: "Evaluate" },
  { href: "/backup", label: "Backup" },
  { href: "/settings", label: "Settings" },
] as const;

/** The header every page shares: the app's name, its pages, the active connection, page actions. */
export function AppHeader({ active, actions }: { active: ActiveConnection; actions?: ReactNode }) {
  // null outside the Next.js router (component tests).
  const pathname = usePathname() ?? "/";
  return (
    <header className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-200 bg-white px-4 py-2.5">
      <h1 className="text-base font-semibold text-slate-900">Assistants Playground</h1>
      <nav aria-label="Pages">
        <ul className="flex flex-wrap gap-1 text-sm">
          {PAGES.map((p) => {
            const current = p.href === "/" ? pathname === "/" : pathname.startsWith(p.href);
            return (
              <li key={p.href}>
                <Link
                  href={p.href}
                  aria-current={current ? "page" : undefined}
                  className={`rounded-md px-2 py-1 ${current ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"}`}
                >
                  {p.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <ConnectionPicker
        connections={active.connections}
        connection={active.connection}
        isLoading={active.isLoading}
        error={active.error}
      />
      <DeploymentNotice connectionKind={active.connection?.kind} />
      <div className="ml-auto flex items-center gap-2">
        {actions}
        <ThemeSwitch />
        <SessionControls />
      </div>
    </header>
  );
}
