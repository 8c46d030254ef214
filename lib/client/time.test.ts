import { describe, expect, it } from "vitest";
import { fileNameStamp, formatTimeOfDay, formatTimestamp } from "./time";

// 2026-11-28T14:03:09Z
const T = Date.UTC(2026, 10, 28, 14, 3, 9) / 1000;

describe("formatTimestamp", () => {
  it("prints Unix seconds, Dates and ISO strings alike, in UTC by default", () => {
    expect(formatTimestamp(T)).toBe("2026-11-28 14:03 UTC");
    expect(formatTimestamp(new Date(T * 1000))).toBe("2026-11-28 14:03 UTC");
    expect(formatTimestamp("2026-11-28T14:03:09.500Z")).toBe("2026-11-28 14:03 UTC");
    expect(formatTimestamp(T, { seconds: true })).toBe("2026-11-28 14:03:09 UTC");
  });

  it("prints a local time of day with seconds, and a local date without a zone mark", () => {
    const d = new Date(T * 1000);
    const pad = (n: number) => String(n).padStart(2, "0");
    const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    expect(formatTimestamp(T, { zone: "local", date: false })).toBe(clock);
    expect(formatTimeOfDay(T)).toBe(clock);
    expect(formatTimestamp(T, { zone: "local", seconds: true })).toBe(
      `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock}`,
    );
  });

  it("prints a dash for no time or an unreadable one", () => {
    expect(formatTimestamp(null)).toBe("—");
    expect(formatTimestamp(undefined)).toBe("—");
    expect(formatTimestamp("not a date")).toBe("—");
  });
});

describe("fileNameStamp", () => {
  it("is the UTC date and time with dashes only", () => {
    expect(fileNameStamp(new Date(T * 1000))).toBe("2026-11-28-14-03-09");
  });
});
