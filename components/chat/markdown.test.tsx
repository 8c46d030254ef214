// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render } from "@testing-library/react";
import { appendMarkdown, emptyBlocks } from "@/lib/client/markdown-blocks";

// Count what gets parsed: each call is one markdown block rendered.
const parsed: string[] = [];
vi.mock("react-markdown", () => ({
  default: ({ children }: { children: string }) => {
    parsed.push(children);
    return <div data-block>{children}</div>;
  },
}));

const { Markdown } = await import("./markdown");

afterEach(() => {
  cleanup();
  parsed.length = 0;
});

describe("Markdown of a streaming answer", () => {
  it("re-renders only the open block per delta, however long the message already is", () => {
    let blocks = emptyBlocks;
    for (let i = 0; i < 200; i++) blocks = appendMarkdown(blocks, `Paragraph ${i} with **some** words.\n\n`);
    blocks = appendMarkdown(blocks, "Open **");
    const view = render(<Markdown blocks={blocks} />);
    expect(parsed).toHaveLength(201);

    parsed.length = 0;
    blocks = appendMarkdown(blocks, "block** grows");
    view.rerender(<Markdown blocks={blocks} />);
    expect(parsed).toEqual(["Open **block** grows"]);

    parsed.length = 0;
    blocks = appendMarkdown(blocks, "\n\nNext");
    view.rerender(<Markdown blocks={blocks} />);
    // One block closed: it keeps the parse it had while open; the new open block is plain text (no parse).
    expect(parsed).toEqual([]);
    expect(view.container.querySelectorAll("[data-block]")).toHaveLength(201);
    expect(view.container.textContent).toContain("Next");
  });

  it("never parses paragraphs of plain prose, open or finished", () => {
    let blocks = emptyBlocks;
    for (let i = 0; i < 50; i++) blocks = appendMarkdown(blocks, `Plain paragraph ${i} with words.\n\n`);
    for (let i = 0; i < 150; i++) blocks = appendMarkdown(blocks, `Plainword${i} `);
    const view = render(<Markdown blocks={blocks} />);
    expect(parsed).toEqual([]);
    expect(view.container.querySelectorAll("p")).toHaveLength(51);
    expect(view.container.textContent).toContain("Plain paragraph 49 with words.");
    expect(view.container.textContent).toContain("Plainword149");
  });

  it("parses an open paragraph's frozen pieces once, then only its growing rest", () => {
    let blocks = appendMarkdown(emptyBlocks, "Intro with **bold** ");
    for (let i = 0; i < 150; i++) blocks = appendMarkdown(blocks, `Word${i} `);
    const view = render(<Markdown blocks={blocks} />);
    const first = parsed.length;
    expect(first).toBeGreaterThan(0);
    parsed.length = 0;
    blocks = appendMarkdown(blocks, "*more* ");
    view.rerender(<Markdown blocks={blocks} />);
    // Only the rest (which now holds markup) is parsed again; no frozen piece is.
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatch(/^Word\d+ .*\*more\* $/);
  });
});
