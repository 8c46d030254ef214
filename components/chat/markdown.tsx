"use client";

import { memo, useMemo } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { splitMarkdown, type MarkdownBlocks } from "@/lib/client/markdown-blocks";

const remarkPlugins = [remarkGfm];

const components: Components = {
  a: ({ href, title, children }) => (
    <a href={href} title={title} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
  // Long lines scroll sideways; a focusable block lets keyboard users scroll it too.
  pre: ({ children }) => <pre tabIndex={0}>{children}</pre>,
};

const MarkdownBlock = memo(function MarkdownBlock({ source }: { source: string }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} components={components}>
      {source}
    </ReactMarkdown>
  );
});

/** Re-renders only when a block closes: the array is replaced then and only then. */
const FinishedBlocks = memo(function FinishedBlocks({ blocks }: { blocks: readonly string[] }) {
  return blocks.map((source, i) => <MarkdownBlock key={i} source={source} />);
});

/** Markdown that is still arriving: finished blocks are memoised, only the open one re-renders per delta. */
export function StreamingMarkdown({ blocks }: { blocks: MarkdownBlocks }) {
  return (
    <div className="markdown">
      <FinishedBlocks blocks={blocks.closed} />
      {blocks.tail.trim() ? <MarkdownBlock source={blocks.tail} /> : null}
    </div>
  );
}

/** A finished message's markdown, split once. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const blocks = useMemo(() => splitMarkdown(text), [text]);
  return (
    <div className="markdown">
      <FinishedBlocks blocks={blocks} />
    </div>
  );
});
