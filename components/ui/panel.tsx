import { useId, type ReactNode } from "react";

/**
 * A collapsible region. Collapsed, it keeps a narrow rail with the button that opens it again,
 * so the control never disappears from the keyboard order. The body stays mounted while hidden,
 * so a draft or a running stream survives collapsing.
 */
export function Panel({
  title,
  open,
  onToggle,
  actions,
  children,
  className = "",
  headerClassName = "",
  collapseClassName = "",
  id: givenId,
}: {
  title: string;
  open: boolean;
  onToggle: () => void;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  headerClassName?: string;
  /** Classes of the collapse button (e.g. hidden where the panel cannot collapse). */
  collapseClassName?: string;
  id?: string;
}) {
  const id = useId();
  const headingId = `${id}-heading`;
  const bodyId = `${id}-body`;
  return (
    <section
      id={givenId}
      aria-labelledby={headingId}
      className={`flex min-h-0 min-w-0 flex-col rounded-lg border border-slate-200 bg-white shadow-sm ${className}`}
    >
      <div
        className={`flex items-center gap-2 border-b border-slate-200 px-3 py-1.5 ${open ? "" : "lg:flex-col lg:border-b-0"} ${headerClassName}`}
      >
        <button
          type="button"
          onClick={onToggle}
          aria-expanded={open}
          aria-controls={bodyId}
          aria-label={`${open ? "Collapse" : "Expand"} ${title} panel`}
          className={`rounded p-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600 ${collapseClassName}`}
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 20 20"
            className={`size-4 transition-transform ${open ? "rotate-90" : ""}`}
            fill="currentColor"
          >
            <path d="M7 5l6 5-6 5V5z" />
          </svg>
        </button>
        <h2
          id={headingId}
          className={`text-sm font-semibold text-slate-900 ${open ? "" : "lg:[writing-mode:vertical-rl]"}`}
        >
          {title}
        </h2>
        {open && actions ? <div className="ml-auto flex min-w-0 items-center gap-2">{actions}</div> : null}
      </div>
      <div id={bodyId} hidden={!open} className="flex min-h-0 flex-1 flex-col">
        {children}
      </div>
    </section>
  );
}
