import { describe, expect, it } from "vitest";
import { THREAD_TITLE_KEY, threadMeta, threadTitle } from "./threads";

describe("thread titles", () => {
  it("prefers the thread's stored title, then this browser's, then the first message, then the date", () => {
    const createdAt = Date.UTC(2026, 0, 5, 14, 30);
    expect(threadTitle({ metadataTitle: "Stored", localTitle: "Local", firstMessage: "Hi", createdAt })).toBe(
      "Stored",
    );
    expect(threadTitle({ metadataTitle: "  ", localTitle: "Local", createdAt })).toBe("Local");
    expect(threadTitle({ firstMessage: "Plot a sine wave\nwith a grid", createdAt })).toBe(
      "Plot a sine wave",
    );
    const dated = threadTitle({ createdAt });
    expect(dated).toMatch(/^Untitled · /);
    expect(dated).toContain("5");
    expect(threadTitle({})).toBe("Untitled thread");
  });

  it("reads a metadata value only when it is a non-empty string", () => {
    expect(threadMeta({ metadata: { [THREAD_TITLE_KEY]: "Mine" } }, THREAD_TITLE_KEY)).toBe("Mine");
    expect(threadMeta({ metadata: { [THREAD_TITLE_KEY]: "" } }, THREAD_TITLE_KEY)).toBeNull();
    expect(threadMeta({ metadata: { [THREAD_TITLE_KEY]: 3 } }, THREAD_TITLE_KEY)).toBeNull();
    expect(threadMeta({ metadata: null }, THREAD_TITLE_KEY)).toBeNull();
    expect(threadMeta(null, THREAD_TITLE_KEY)).toBeNull();
  });
});
