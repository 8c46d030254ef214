"use client";

import { useRef, type KeyboardEvent, type PointerEvent } from "react";
import { PANEL_WIDTH, type SidePanelId } from "@/lib/client/stores/playground-store";

const STEP_PX = 16;

/**
 * The edge between a side panel and the chat: drag it, or focus it and press the arrow keys
 * (Shift for larger steps, Home and End for the limits), to set the panel's width. A `separator`
 * with its value, so assistive technology reads the width as it changes.
 */
export function PanelResizer({
  panel,
  label,
  controls,
  width,
  onWidth,
}: {
  panel: SidePanelId;
  label: string;
  /** The id of the panel it resizes. */
  controls: string;
  width: number;
  onWidth: (px: number) => void;
}) {
  // The setup panel is left of its edge (dragging right widens it), the inspector right of its.
  const sign = panel === "setup" ? 1 : -1;
  const drag = useRef<{ x: number; width: number } | null>(null);
  const { min, max } = PANEL_WIDTH[panel];

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, width };
  }
  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    if (!drag.current) return;
    onWidth(drag.current.width + sign * (e.clientX - drag.current.x));
  }
  function onPointerUp(e: PointerEvent<HTMLDivElement>) {
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  }
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const step = e.shiftKey ? STEP_PX * 4 : STEP_PX;
    const next =
      e.key === "ArrowRight"
        ? width + sign * step
        : e.key === "ArrowLeft"
          ? width - sign * step
          : e.key === "Home"
            ? min
            : e.key === "End"
              ? max
              : null;
    if (next === null) return;
    e.preventDefault();
    onWidth(next);
  }

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-controls={controls}
      aria-valuenow={width}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
      className="group flex cursor-col-resize touch-none justify-center rounded focus-visible:outline-2 focus-visible:outline-indigo-600 max-lg:hidden"
    >
      <span
        aria-hidden="true"
        className="my-auto h-10 w-1 rounded-full bg-slate-300 group-hover:bg-indigo-500 group-focus-visible:bg-indigo-600"
      />
    </div>
  );
}
