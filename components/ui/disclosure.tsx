"use client";

import { useState, type ReactNode } from "react";

/**
 * A native `<details>` whose content renders only while it is open: closed, it costs its summary
 * alone (and what the content would load or query waits until someone looks). Controlled when
 * `open` is given; otherwise it keeps its own state.
 */
export function Disclosure({
  summary,
  className,
  summaryClassName,
  open,
  onOpenChange,
  children,
}: {
  summary: ReactNode;
  className?: string;
  summaryClassName?: string;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  children: ReactNode;
}) {
  const [ownOpen, setOwnOpen] = useState(false);
  const shown = open ?? ownOpen;
  return (
    <details
      className={className}
      open={open}
      onToggle={(e) => {
        const next = e.currentTarget.open;
        setOwnOpen(next);
        onOpenChange?.(next);
      }}
    >
      <summary className={summaryClassName}>{summary}</summary>
      {shown ? children : null}
    </details>
  );
}
