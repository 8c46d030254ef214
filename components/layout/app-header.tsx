"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { SessionControls } from "@/components/access/session-controls";
import { ConnectionPicker } from "@/components/connections/connection-picker";
import { ThemeSwitch } from "@/components/playground/theme-switch";
import { Popover } from "@/components/ui/popover";
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

const PAGES_MENU = "app-pages-menu";

/**
 * The header every page shares, one row from 1024 px up: the app's name, its pages, the active
 * connection (its choice, api-version and the theme in a menu) and the session. Page actions live
 * in the pages. Below 1024 px the pages are a menu too.
 */
export function AppHeader({ active }: { active: ActiveConnection }) {
  // null outside the Next.js router (component tests).
  const pathname = usePathname() ?? "/";
  const isCurrent = (href: string) => (href === "/" ? pathname === "/" : pathname.startsWith(href));
  const current = PAGES.find((p) => isCurrent(p.href));
  const connection = active.connection;
  return (
    <header className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-slate-200 bg-white px-3 py-2 lg:flex-nowrap">
      <h1 className="shrink-0 text-base font-semibold whitespace-nowrap text-slate-900">
        Assistants Playground
      </h1>
      <nav aria-label="Pages" className="min-w-0">
        <button
          type="button"
          popoverTarget={PAGES_MENU}
          className="inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600 lg:hidden"
        >
          <span className="sr-only">Pages: </span>
          {current?.label ?? "Pages"} <span aria-hidden="true">▾</span>
        </button>
        {/* A popover menu below 1024 px; from there up the same list shows inline (author styles
            outrank the browser's hiding of a closed popover). */}
        <ul
          id={PAGES_MENU}
          popover="auto"
          className="top-12 left-2 m-0 flex-col gap-1 rounded-lg border border-slate-200 bg-white p-2 text-sm text-slate-900 shadow-xl [&:popover-open]:flex lg:static lg:flex lg:flex-row lg:gap-0.5 lg:rounded-none lg:border-0 lg:bg-transparent lg:p-0 lg:shadow-none"
        >
          {PAGES.map((p) => (
            <li key={p.href}>
              <Link
                href={p.href}
                aria-current={isCurrent(p.href) ? "page" : undefined}
                onClick={() => document.getElementById(PAGES_MENU)?.hidePopover?.()}
                className={`block rounded-md px-2 py-1 whitespace-nowrap lg:px-1.5 xl:px-2 ${isCurrent(p.href) ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"}`}
              >
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <span className="flex-1" />
      <DeploymentNotice connectionKind={connection?.kind} />
      <Popover
        align="end"
        title="Connection and theme"
        className="w-80"
        keepMounted
        buttonClassName="inline-flex min-w-0 items-center gap-1.5 rounded-full bg-emerald-50 px-2.5 py-1 text-sm font-medium text-emerald-900 ring-1 ring-emerald-300 ring-inset hover:bg-emerald-100"
        label={
          <>
            <span aria-hidden="true" className="size-1.5 shrink-0 rounded-full bg-emerald-600" />
            <span className="sr-only">Connection and theme: </span>
            <span
              className="max-w-[11rem] truncate lg:max-w-[6rem] xl:max-w-[11rem] 2xl:max-w-[18rem]"
              title={connection?.description}
            >
              {active.error ? "Connections unavailable" : (connection?.label ?? "Connecting…")}
            </span>
            {connection ? (
              <span className="hidden text-xs font-normal text-emerald-800 xl:inline">
                · {connection.apiVersion}
              </span>
            ) : null}
            <span aria-hidden="true">▾</span>
          </>
        }
      >
        <div className="space-y-3">
          <ConnectionPicker
            connections={active.connections}
            connection={connection}
            isLoading={active.isLoading}
            error={active.error}
          />
          <ThemeSwitch />
        </div>
      </Popover>
      <div className="shrink-0 whitespace-nowrap">
        <SessionControls />
      </div>
    </header>
  );
}
