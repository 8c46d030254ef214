import { describe, expect, it } from "vitest";
import {
  appendMarkdown,
  emptyBlocks,
  isClosedInline,
  paragraphPieces,
  splitMarkdown,
  type MarkdownBlocks,
} from "./markdown-blocks";

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

describe("paragraph pieces", () => {
  const prose = Array.from({ length: 120 }, (_, i) => `Sentence ${i} says something plain.`).join(" ");

  it("cuts a long one-line paragraph into pieces that join back to it, each ending with whitespace before a letter", () => {
    const pieces = paragraphPieces(prose)!;
    expect(pieces.frozen.length).toBeGreaterThan(5);
    expect(pieces.frozen.join("") + pieces.rest).toBe(prose);
    for (const piece of pieces.frozen) expect(piece).toMatch(/\s$/);
    for (const next of [...pieces.frozen.slice(1), pieces.rest]) expect(next).toMatch(/^\p{L}/u);
    expect(pieces.restIsPlain).toBe(true);
  });

  it("keeps the pieces it froze as the paragraph grows", () => {
    const early = paragraphPieces(prose.slice(0, 2000))!;
    const later = paragraphPieces(prose)!;
    expect(later.frozen.slice(0, early.frozen.length)).toEqual(early.frozen);
  });

  it("cuts a paragraph that grows delta by delta exactly as it cuts the whole (it resumes where it left off)", () => {
    const mixed = `Start *of* a **strong** line, [a link](https://x.test) and \`code\` ${prose} then *open emphasis ${prose}`;
    const whole = (text: string) => {
      paragraphPieces("Reset the cut.");
      return paragraphPieces(text);
    };
    let x = 7;
    for (let at = 0; at < mixed.length;) {
      x = (x * 48271) % 2147483647;
      at = Math.min(mixed.length, at + 1 + (x % 90));
      const grown = paragraphPieces(mixed.slice(0, at));
      expect(grown, `at ${at}`).toEqual(whole(mixed.slice(0, at)));
      paragraphPieces(mixed.slice(0, at)); // the next delta resumes from this one
    }
    // A second line after a resumed cut: no longer a one-line paragraph.
    paragraphPieces(prose);
    expect(paragraphPieces(`${prose}\nmore`)).toBeNull();
    // Another paragraph (not a continuation) is cut afresh.
    expect(paragraphPieces(prose.slice(0, 1500).replace("Sentence 0", "Sentence zero"))).toEqual(
      whole(prose.slice(0, 1500).replace("Sentence 0", "Sentence zero")),
    );
  });

  it("is not used for anything but a one-line paragraph", () => {
    for (const tail of [
      "- item one",
      "1. first",
      "# Title",
      "> quote",
      "```js",
      "    code",
      "| a | b |",
      "two\nlines",
      "<div>",
    ])
      expect(paragraphPieces(tail), tail).toBeNull();
    expect(paragraphPieces("**Note:** words")).not.toBeNull();
    expect(paragraphPieces("1984 was a year")).not.toBeNull();
  });

  it("never freezes a piece with an inline construct still open", () => {
    const open = `Start *of emphasis ${prose}`;
    expect(paragraphPieces(open)!.frozen).toEqual([]);
    expect(paragraphPieces(`A \`code ${prose}`)!.frozen).toEqual([]);
    expect(paragraphPieces(`A [link ${prose}`)!.frozen).toEqual([]);
    const closed = paragraphPieces(`Start *of* **strong** \`code\` [a](https://x.test) ~~gone~~ ${prose}`)!;
    expect(closed.frozen.length).toBeGreaterThan(0);
  });

  it("tells closed from open inline constructs", () => {
    expect(isClosedInline("plain words, a number 12 and AT&T ")).toBe(true);
    expect(isClosedInline("a *b* and **c** and _d_ ")).toBe(true);
    expect(isClosedInline("x * a *b ")).toBe(false); // `*b` can still open emphasis
    expect(isClosedInline("snake_case_name and a lone * star ")).toBe(true); // neither can open or close
    expect(isClosedInline("a _b ")).toBe(false);
    expect(isClosedInline("math \\(x ")).toBe(false);
    expect(isClosedInline("an escaped \\* star ")).toBe(true);
    expect(isClosedInline("<span> ")).toBe(false);
  });

  it("says when the rest must be parsed", () => {
    expect(paragraphPieces("Just words here")!.restIsPlain).toBe(true);
    for (const t of [
      "A **bold** word",
      "see https://x.test",
      "mail a@b.test",
      "AT&amp;T",
      "a `span`",
      "cost $5",
    ])
      expect(paragraphPieces(t)!.restIsPlain, t).toBe(false);
  });
});
