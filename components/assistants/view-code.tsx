"use client";

import { useId, useMemo, useState, type KeyboardEvent } from "react";
import { generateSnippets, type Snippets } from "@/lib/client/assistants/code";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/dialog";

const TABS: { id: keyof Snippets; label: string }[] = [
  { id: "python", label: "Python" },
  { id: "typescript", label: "TypeScript" },
  { id: "curl", label: "curl" },
];

/** The portal's "View code": the assistant and a run on it, for the active connection, never with a key. */
export function ViewCodeDialog({
  open,
  onClose,
  body,
  connection,
}: {
  open: boolean;
  onClose: () => void;
  body: Record<string, unknown>;
  connection: { name: string; apiVersion: string; default: boolean };
}) {
  const id = useId();
  const [tab, setTab] = useState<keyof Snippets>("python");
  const [copied, setCopied] = useState<string | null>(null);
  const snippets = useMemo(
    () =>
      open
        ? generateSnippets(
            {
              origin: window.location.origin,
              connection: connection.name,
              isDefault: connection.default,
              apiVersion: connection.apiVersion,
            },
            body,
          )
        : null,
    [open, body, connection.name, connection.default, connection.apiVersion],
  );
  const code = snippets?.[tab] ?? "";

  function onKey(e: KeyboardEvent) {
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const t = TABS[(next + TABS.length) % TABS.length];
    if (t) {
      setTab(t.id);
      document.getElementById(`${id}-tab-${t.id}`)?.focus();
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(`Copied the ${TABS.find((t) => t.id === tab)?.label} code.`);
    } catch {
      setCopied("Copy failed: select the code and copy it by hand.");
    }
  }

  return (
    <Modal
      title="View code"
      open={open}
      onClose={onClose}
      wide
      footer={<Button onClick={onClose}>Close</Button>}
    >
      <p className="mb-2 text-slate-700">
        Creates this assistant and runs it once on <strong>{connection.name}</strong> (api-version{" "}
        {connection.apiVersion}) through this playground&apos;s proxy, which holds the credentials: the code
        contains no key.
      </p>
      <div className="flex items-center justify-between gap-2">
        <div role="tablist" aria-label="Language" className="flex gap-1" onKeyDown={onKey}>
          {TABS.map((t) => (
            <button
              key={t.id}
              id={`${id}-tab-${t.id}`}
              role="tab"
              type="button"
              aria-selected={tab === t.id}
              aria-controls={`${id}-panel`}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => setTab(t.id)}
              className={`rounded-md px-3 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${tab === t.id ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"}`}
            >
              {t.label}
            </button>
          ))}
        </div>
        <Button onClick={() => void copy()}>Copy code</Button>
      </div>
      <p role="status" className="mt-1 min-h-4 text-xs text-slate-600">
        {copied}
      </p>
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${tab}`}>
        <pre
          tabIndex={0}
          aria-label={`${TABS.find((t) => t.id === tab)?.label} code`}
          className="mt-1 max-h-[55dvh] overflow-auto rounded-md bg-slate-950 p-3 font-mono text-xs leading-relaxed text-slate-100"
        >
          <code>{code}</code>
        </pre>
      </div>
    </Modal>
  );
}
