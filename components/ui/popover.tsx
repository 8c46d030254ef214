"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";

const MARGIN_PX = 8;
const GAP_PX = 4;

/**
 * Puts an open popover beside its button, within the window: below or above (`side`, switched
 * when the other side has more room), lined up with the button's start or end edge.
 */
function place(pop: HTMLElement, button: HTMLElement, side: "above" | "below", align: "start" | "end") {
  const b = button.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const roomBelow = vh - b.bottom - GAP_PX - MARGIN_PX;
  const roomAbove = b.top - GAP_PX - MARGIN_PX;
  const below =
    side === "below" ? roomBelow >= 240 || roomBelow >= roomAbove : roomAbove < 240 && roomBelow > roomAbove;
  const s = pop.style;
  s.position = "fixed";
  s.margin = "0";
  s.maxWidth = `${vw - 2 * MARGIN_PX}px`;
  s.maxHeight = `${Math.max(120, below ? roomBelow : roomAbove)}px`;
  s.top = below ? `${b.bottom + GAP_PX}px` : "auto";
  s.bottom = below ? "auto" : `${vh - b.top + GAP_PX}px`;
  const width = pop.offsetWidth;
  const left = align === "start" ? b.left : b.right - width;
  s.left = `${Math.max(MARGIN_PX, Math.min(left, vw - width - MARGIN_PX))}px`;
  s.right = "auto";
}

/**
 * A button that opens a non-modal dialog on the native `popover` attribute: it sits on the top
 * layer (above every scroll area), Escape and a click outside close it, focus goes back to the
 * button, and its content follows the button in the Tab order. Its content renders only while it
 * is open (closed, it costs nothing and queries nothing), so what it edits belongs to its owner.
 * `open` lets the owner open it (e.g. to show a refused value); `onOpenChange` tells it when the
 * person opens or closes it.
 */
export function Popover({
  label,
  buttonLabel,
  title,
  side = "below",
  align = "start",
  open,
  onOpenChange,
  buttonClassName = "",
  className = "",
  keepMounted = false,
  children,
}: {
  /** The button's content. */
  label: ReactNode;
  /** The button's accessible name, when its content is shorter (it must contain the content's words). */
  buttonLabel?: string;
  /** The dialog's accessible name (and heading). */
  title: string;
  side?: "above" | "below";
  align?: "start" | "end";
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  buttonClassName?: string;
  className?: string;
  /** Keep the content mounted while closed (cheap content whose values others read). */
  keepMounted?: boolean;
  children: ReactNode;
}) {
  const id = useId();
  const popId = `${id}-popover`;
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popRef = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(false);
  const onChange = useRef(onOpenChange);
  useEffect(() => {
    onChange.current = onOpenChange;
  }, [onOpenChange]);

  useEffect(() => {
    const pop = popRef.current;
    const button = buttonRef.current;
    if (!pop || !button) return;
    const onBefore = (e: Event) => {
      if ((e as ToggleEvent).newState === "open") place(pop, button, side, align);
    };
    const onToggle = (e: Event) => {
      const next = (e as ToggleEvent).newState === "open";
      setShown(next);
      onChange.current?.(next);
      // Placed again once its content has its size (the first placement measured it closed).
      if (next) place(pop, button, side, align);
    };
    const onResize = () => {
      if (pop.matches(":popover-open")) place(pop, button, side, align);
    };
    pop.addEventListener("beforetoggle", onBefore);
    pop.addEventListener("toggle", onToggle);
    window.addEventListener("resize", onResize);
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(onResize);
    observer?.observe(pop);
    return () => {
      pop.removeEventListener("beforetoggle", onBefore);
      pop.removeEventListener("toggle", onToggle);
      window.removeEventListener("resize", onResize);
      observer?.disconnect();
    };
  }, [side, align]);

  useEffect(() => {
    const pop = popRef.current;
    if (!pop || open === undefined || typeof pop.showPopover !== "function") return;
    const isOpen = pop.matches(":popover-open");
    if (open && !isOpen) pop.showPopover();
    if (!open && isOpen) pop.hidePopover();
  }, [open]);

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        popoverTarget={popId}
        aria-expanded={shown}
        aria-label={buttonLabel}
        className={`focus-visible:outline-2 focus-visible:outline-indigo-600 ${buttonClassName}`}
      >
        {label}
      </button>
      <div
        ref={popRef}
        id={popId}
        popover="auto"
        role="dialog"
        aria-labelledby={`${id}-title`}
        className={`overflow-y-auto rounded-lg border border-slate-200 bg-white p-3 text-sm text-slate-900 shadow-xl ${className}`}
      >
        <div className="mb-2 flex items-center justify-between gap-2">
          <h2 id={`${id}-title`} className="text-sm font-semibold">
            {title}
          </h2>
          <button
            type="button"
            popoverTarget={popId}
            popoverTargetAction="hide"
            aria-label={`Close ${title}`}
            className="rounded p-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
        {shown || keepMounted ? children : null}
      </div>
    </>
  );
}
