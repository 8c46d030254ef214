// One formatter for every call: toLocaleTimeString with options builds a new one each time
// (about a millisecond in Chromium; the inspector formats every step's times on each render).
// Its first use loads the locale's calendar data (over 10 ms): RunInspector warms it up when idle.
let timeFormat: Intl.DateTimeFormat | null = null;

/** A protocol timestamp (Unix seconds) as a local time of day, e.g. "14:03:09". */
export function formatTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  timeFormat ??= new Intl.DateTimeFormat([], {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  });
  return timeFormat.format(new Date(seconds * 1000));
}

/** A protocol timestamp with its date, e.g. "2026-11-28 14:03:09". */
export function formatDateTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatTime(seconds)}`;
}

export function formatTokens(n: number): string {
  return n === 1 ? "1 token" : `${n.toLocaleString("en-US")} tokens`;
}
