import { describe, expect, it } from "vitest";
import { appendMarkdown, emptyBlocks, splitMarkdown, type MarkdownBlocks } from "./markdown-blocks";

function feed(text: string, chunk: number): MarkdownBlocks {
  let state = emptyBlocks;
  for (let i = 0; i < text.length; i += chunk) state = appendMarkdown(state, text.slice(i, i + chunk));
  return state;
}

function all(state: MarkdownBlocks): string[] {
  const tail = state.tail.replace(/\s+$/, "");
  return tail ? [...state.closed, tail] : [...state.closed];
}

const ANSWER = [
  "## Title",
  "",
  "A paragraph that",
  "spans two lines.",
  "",
  "- one",
  "- two",
  "",
  "```python",
  "x = 1",
  "",
  "",
  "y = 2",
  "```",
  "",
  "| a | b |",
  "| --- | --- |",
  "| 1 | 2 |",
  "",
  "Last line",
].join("\n");

describe("markdown blocks", () => {
  it("splits at blank lines, keeping fenced code with blank lines whole", () => {
    expect(splitMarkdown(ANSWER)).toEqual([
      "## Title",
      "A paragraph that\nspans two lines.",
      "- one\n- two",
      "```python\nx = 1\n\n\ny = 2\n```",
      "| a | b |\n| --- | --- |\n| 1 | 2 |",
      "Last line",
    ]);
  });

  it("gives the same blocks whatever the delta sizes", () => {
    const whole = splitMarkdown(ANSWER);
    for (const chunk of [1, 2, 3, 7, 64]) expect(all(feed(`${ANSWER}\n`, chunk))).toEqual(whole);
  });

  it("keeps an indented continuation after a blank line in the same block (a loose list item)", () => {
    expect(splitMarkdown("1. First\n\n   more about first\n\n2. Second")).toEqual([
      "1. First\n\n   more about first",
      "2. Second",
    ]);
  });

  it("does not close a block until a later line proves it finished", () => {
    let s = appendMarkdown(emptyBlocks, "# Heading\n\n");
    expect(s.closed).toEqual([]);
    s = appendMarkdown(s, "  ");
    expect(s.closed).toEqual([]);
    s = appendMarkdown(s, " indented code\n");
    expect(s.closed).toEqual([]);
    s = appendMarkdown(s, "\nN");
    expect(s.closed).toEqual(["# Heading\n\n   indented code"]);
    expect(s.tail).toBe("N");
  });

  it("reuses the closed array while no block closes, so memoised views skip re-rendering", () => {
    const a = appendMarkdown(appendMarkdown(emptyBlocks, "one\n\ntwo "), "words\n");
    const b = appendMarkdown(a, "more words ");
    const c = appendMarkdown(b, "and more");
    expect(a.closed).toEqual(["one"]);
    expect(b.closed).toBe(a.closed);
    expect(c.closed).toBe(a.closed);
  });

  it("only scans the open block: a delta's work does not depend on what was closed before", () => {
    let s = emptyBlocks;
    for (let i = 0; i < 500; i++) s = appendMarkdown(s, `Paragraph ${i}\n\n`);
    s = appendMarkdown(s, "tail");
    expect(s.closed).toHaveLength(500);
    expect(s.closed[499]).toBe("Paragraph 499");
    // The open block holds only the new text, never the whole message.
    expect(s.tail).toBe("tail");
  });

  it("treats a tilde fence and a longer closing fence correctly", () => {
    expect(splitMarkdown("~~~\na\n\nb\n~~~\n\nafter")).toEqual(["~~~\na\n\nb\n~~~", "after"]);
    expect(splitMarkdown("````\n```\n\n````\n\nafter")).toEqual(["````\n```\n\n````", "after"]);
  });

  it("returns nothing for empty or blank text", () => {
    expect(splitMarkdown("")).toEqual([]);
    expect(splitMarkdown("\n\n  \n")).toEqual([]);
  });
});
