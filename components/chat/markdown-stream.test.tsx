// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render } from "@testing-library/react";
import { appendMarkdown, emptyBlocks, paragraphPieces } from "@/lib/client/markdown-blocks";
import { Markdown } from "./markdown";

afterEach(cleanup);

/** The same HTML up to whitespace runs (a paragraph's trailing space, adjacent text nodes). */
const normal = (html: string) =>
  html
    .replace(/\s+/g, " ")
    .replace(/ <\/p>/g, "</p>")
    .replace(/<p> /g, "<p>");

const WORDS = [
  "Plain prose, with numbers like 42 and 3.5 percent, and AT&T,",
  "some **strong words** and *emphasis* and _underscored_ text,",
  "a `code span` and a [link](https://example.test/docs) and https://example.test/raw,",
  "~~struck~~ words, an escaped \\* star, snake_case_names,",
  "and a lone * star, then *emphasis that opens here and closes",
  "much later* after many words.",
].join(" ");

function longParagraph(repeat: number) {
  return Array.from({ length: repeat }, () => WORDS).join(" ");
}

describe("Markdown of a streaming answer renders what the finished message renders", () => {
  for (const [name, text] of [
    ["markdown-rich prose", longParagraph(6)],
    ["plain prose", Array.from({ length: 300 }, (_, i) => `word${i}`).join(" ")],
    ["an emphasis left open for long", `Intro *${longParagraph(3)}* end`],
    ["paragraphs and a list", `${longParagraph(2)}\n\n- one **x**\n- two\n\n${longParagraph(2)}`],
  ] as const) {
    it(`at every point of the stream: ${name}`, () => {
      const deltas = text.match(/\S+\s*/g)!;
      let blocks = emptyBlocks;
      let sofar = "";
      const view = render(<Markdown blocks={blocks} />);
      const reference = render(<Markdown text="x" whole />);
      let frozeSome = false;
      deltas.forEach((delta, i) => {
        blocks = appendMarkdown(blocks, delta);
        sofar += delta;
        if (i % 9 !== 0 && i !== deltas.length - 1) return;
        view.rerender(<Markdown blocks={blocks} />);
        reference.rerender(<Markdown text={sofar} whole />);
        expect(normal(view.container.innerHTML), `after ${i + 1} deltas`).toBe(
          normal(reference.container.innerHTML),
        );
        frozeSome ||= (paragraphPieces(blocks.tail)?.frozen.length ?? 0) > 0;
      });
      if (name !== "an emphasis left open for long") expect(frozeSome).toBe(true);
    });
  }
});

describe("Markdown renders a finished message's paragraphs in pieces, as they streamed", () => {
  for (const [name, text] of [
    ["markdown-rich prose", longParagraph(6)],
    ["plain prose", Array.from({ length: 300 }, (_, i) => `Word${i}, said plainly.`).join(" ")],
    [
      "paragraphs, a heading, a list and code",
      `# Title\n\n${longParagraph(2)}\n\n- one **x**\n- two\n\n\`\`\`\nconst a = 1;\n\`\`\`\n\n${longParagraph(3)}`,
    ],
  ] as const) {
    it(`the same HTML as every block parsed whole: ${name}`, () => {
      const pieces = render(<Markdown text={text} />);
      const whole = render(<Markdown text={text} whole />);
      expect(normal(pieces.container.innerHTML)).toBe(normal(whole.container.innerHTML));
      // It did render in pieces: text nodes of a paragraph are split at the pieces' spaces.
      const paragraph = pieces.container.querySelector("p")!;
      expect(paragraph.childNodes.length).toBeGreaterThan(2);
    });
  }
});
