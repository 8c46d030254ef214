const labels: Record<string, string> = {
  queued: "Queued",
  in_progress: "In progress",
  requires_action: "Requires action",
  cancelling: "Cancelling",
  cancelled: "Cancelled",
  failed: "Failed",
  completed: "Completed",
  incomplete: "Incomplete",
  expired: "Expired",
};

const tones: Record<string, string> = {
  queued: "bg-slate-100 text-slate-800 ring-slate-300",
  in_progress: "bg-sky-50 text-sky-900 ring-sky-300",
  requires_action: "bg-amber-50 text-amber-900 ring-amber-300",
  cancelling: "bg-slate-100 text-slate-800 ring-slate-300",
  cancelled: "bg-slate-100 text-slate-800 ring-slate-300",
  failed: "bg-red-50 text-red-900 ring-red-300",
  completed: "bg-emerald-50 text-emerald-900 ring-emerald-300",
  incomplete: "bg-amber-50 text-amber-900 ring-amber-300",
  expired: "bg-red-50 text-red-900 ring-red-300",
};

export function runStatusLabel(status: string): string {
  return labels[status] ?? status.replace(/_/g, " ");
}

export function RunStatusBadge({ status, prefix }: { status: string; prefix?: string }) {
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[status] ?? tones.queued}`}
    >
      {status === "in_progress" || status === "queued" ? (
        <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-current" />
      ) : null}
      {prefix ? `${prefix} ` : ""}
      {runStatusLabel(status)}
    </span>
  );
}
