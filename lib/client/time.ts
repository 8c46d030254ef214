/** A protocol timestamp (Unix seconds), a Date, or an ISO 8601 string. */
export type Timestamp = number | Date | string;

export interface TimestampStyle {
  /** "utc" (the default) says so after the time; "local" is the browser's zone, unmarked. */
  zone?: "utc" | "local";
  /** Without it, only the time of day. Default true. */
  date?: boolean;
  /** Default: with the date, minutes; without it, seconds. */
  seconds?: boolean;
}

const pad = (n: number) => String(n).padStart(2, "0");

function toDate(t: Timestamp): Date {
  return typeof t === "number" ? new Date(t * 1000) : typeof t === "string" ? new Date(t) : t;
}

/**
 * Every time the app prints: "2026-11-28 14:03 UTC" by default; `{ zone: "local", date: false }` for
 * a time of day such as a step's "14:03:09". Empty or invalid: "—".
 */
export function formatTimestamp(t: Timestamp | null | undefined, style: TimestampStyle = {}): string {
  if (t === null || t === undefined) return "—";
  const d = toDate(t);
  if (Number.isNaN(d.getTime())) return "—";
  const { zone = "utc", date = true, seconds = !date } = style;
  const utc = zone === "utc";
  const day = utc
    ? `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
    : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const [h, m, s] = utc
    ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getHours(), d.getMinutes(), d.getSeconds()];
  const time = `${pad(h)}:${pad(m)}${seconds ? `:${pad(s)}` : ""}`;
  return `${date ? `${day} ` : ""}${time}${utc ? " UTC" : ""}`;
}

/** A UTC date and time that is safe in a file name: "2026-11-28-14-03-09". */
export function fileNameStamp(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19).replace(/[:T]/g, "-");
}

/** A time of day in the browser's zone, "14:03:09": when a run or step of this session happened. */
export function formatTimeOfDay(t: Timestamp | null | undefined): string {
  return formatTimestamp(t, { zone: "local", date: false });
}
