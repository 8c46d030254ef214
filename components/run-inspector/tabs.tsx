"use client";

import { Activity, useId, useRef, useState, type ReactNode } from "react";

export interface TabDef {
  id: string;
  label: string;
  content: ReactNode;
}

/**
 * WAI-ARIA tabs with automatic activation: arrow keys, Home and End move between tabs. Every
 * panel stays mounted and keeps its state; a hidden one is an `<Activity mode="hidden">`, so its
 * effects and store subscriptions rest and it does not re-render with each request or run event
 * (it catches up, at low priority, and shows what is current when selected).
 */
export function Tabs({ tabs, label }: { tabs: TabDef[]; label: string }) {
  const [selected, setSelected] = useState(tabs[0]?.id ?? "");
  const base = useId();
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const select = (index: number) => {
    const tab = tabs[(index + tabs.length) % tabs.length];
    if (!tab) return;
    setSelected(tab.id);
    refs.current[tab.id]?.focus();
  };
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div
        role="tablist"
        aria-label={label}
        className="flex shrink-0 gap-1 border-b border-slate-200 px-2 pt-2"
      >
        {tabs.map((tab, i) => {
          const active = tab.id === selected;
          return (
            <button
              key={tab.id}
              ref={(el) => {
                refs.current[tab.id] = el;
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${tab.id}`}
              aria-selected={active}
              aria-controls={`${base}-panel-${tab.id}`}
              tabIndex={active ? 0 : -1}
              onClick={() => setSelected(tab.id)}
              onKeyDown={(e) => {
                if (e.key === "ArrowRight") select(i + 1);
                else if (e.key === "ArrowLeft") select(i - 1);
                else if (e.key === "Home") select(0);
                else if (e.key === "End") select(tabs.length - 1);
                else return;
                e.preventDefault();
              }}
              className={`-mb-px rounded-t-md border px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                active
                  ? "border-slate-200 border-b-white bg-white text-slate-900"
                  : "border-transparent text-slate-600 hover:text-slate-900"
              }`}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`${base}-panel-${tab.id}`}
          aria-labelledby={`${base}-tab-${tab.id}`}
          hidden={tab.id !== selected}
          className="flex min-h-0 flex-1 flex-col"
        >
          <Activity mode={tab.id === selected ? "visible" : "hidden"}>{tab.content}</Activity>
        </div>
      ))}
    </div>
  );
}
