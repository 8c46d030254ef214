"use client";

import {
  createContext,
  Fragment,
  memo,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from "react";
import ReactMarkdown, { defaultUrlTransform, type Components, type Options } from "react-markdown";

type PluggableList = NonNullable<Options["rehypePlugins"]>;
import remarkGfm from "remark-gfm";
import {
  paragraphPieces,
  splitMarkdown,
  type MarkdownBlocks,
  type ParagraphPieces,
} from "@/lib/client/markdown-blocks";
import { convertMathDelimiters, mayContainMath } from "@/lib/client/chat/math-delimiters";
import { CITATION_HREF, FILE_HREF, type Citation } from "@/lib/client/chat/annotations";
import { heavyPlugins, loadHighlight, loadMath, subscribeHeavyPlugins } from "./markdown-plugins";

/** What links inside an answer point at: its citations and the files it wrote. */
export interface MarkdownLinks {
  citations: readonly Citation[];
  /** Renders a download for a file_path annotation. */
  renderFile?: (fileId: string, children: ReactNode) => ReactNode;
  /** Prefix for citation anchors, unique per message. */
  anchorPrefix: string;
}

const LinksContext = createContext<MarkdownLinks | null>(null);

function CopyButton({ getText }: { getText: () => string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard?.writeText(getText()).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
      className="absolute top-1.5 right-1.5 rounded border border-slate-500 bg-slate-800 px-2 py-0.5 text-xs text-slate-100 hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-400"
    >
      <span aria-live="polite">{copied ? "Copied" : "Copy code"}</span>
    </button>
  );
}

function CodeBlock({ children }: { children?: ReactNode }) {
  const ref = useRef<HTMLPreElement>(null);
  return (
    <div className="relative">
      {/* Long lines scroll sideways; a focusable block lets keyboard users scroll it too. */}
      <pre ref={ref} tabIndex={0} className="code-block">
        {children}
      </pre>
      <CopyButton
        getText={() => ref.current?.querySelector("code")?.textContent ?? ref.current?.textContent ?? ""}
      />
    </div>
  );
}

function Link({ href, title, children }: { href?: string; title?: string; children?: ReactNode }) {
  const links = useContext(LinksContext);
  if (href?.startsWith(CITATION_HREF)) {
    const n = Number(href.slice(CITATION_HREF.length));
    return (
      <sup>
        <a
          href={`#${links?.anchorPrefix ?? ""}cite-${n}`}
          aria-label={`Citation ${n}`}
          className="citation-ref no-underline"
        >
          [{children}]
        </a>
      </sup>
    );
  }
  if (href?.startsWith(FILE_HREF) && links?.renderFile) {
    return <>{links.renderFile(href.slice(FILE_HREF.length), children)}</>;
  }
  return (
    <a href={href} title={title} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

const components: Components = {
  a: Link,
  pre: CodeBlock,
  // GFM task lists: the checkboxes show state; they are not controls here.
  input: ({ type, checked }) =>
    type === "checkbox" ? (
      <input
        type="checkbox"
        checked={checked ?? false}
        readOnly
        aria-label={checked ? "Done" : "Not done"}
        className="mr-1.5 align-middle"
      />
    ) : null,
};

/** For a piece of a paragraph: its inline content, without a paragraph of its own. */
const inlineComponents: Components = { ...components, p: ({ children }) => <>{children}</> };

const urlTransform = (url: string) =>
  url.startsWith(CITATION_HREF) || url.startsWith(FILE_HREF) ? url : defaultUrlTransform(url);

function useHeavy() {
  return useSyncExternalStore(subscribeHeavyPlugins, heavyPlugins, heavyPlugins);
}

const MarkdownBlock = memo(function MarkdownBlock({
  source,
  inline = false,
}: {
  source: string;
  inline?: boolean;
}) {
  const heavy = useHeavy();
  const hasCode = /(^|\n) {0,3}(```|~~~)/.test(source);
  const hasMath = mayContainMath(source);
  useEffect(() => {
    if (hasCode) void loadHighlight();
    if (hasMath) void loadMath();
  }, [hasCode, hasMath]);
  const text = useMemo(() => (hasMath ? convertMathDelimiters(source) : source), [source, hasMath]);
  const useHighlight = hasCode ? heavy.highlight : undefined;
  const useMath = hasMath ? heavy.math : undefined;
  const remarkPlugins = useMemo<PluggableList>(() => [remarkGfm, ...(useMath?.remark ?? [])], [useMath]);
  const rehypePlugins = useMemo<PluggableList>(
    () => [...(useMath?.rehype ?? []), ...(useHighlight ?? [])],
    [useMath, useHighlight],
  );
  return (
    <ReactMarkdown
      remarkPlugins={remarkPlugins}
      rehypePlugins={rehypePlugins}
      components={inline ? inlineComponents : components}
      urlTransform={urlTransform}
    >
      {text}
    </ReactMarkdown>
  );
});

/** Re-renders only when a block closes: the array is replaced then and only then. */
const FinishedBlocks = memo(function FinishedBlocks({ blocks }: { blocks: readonly string[] }) {
  return blocks.map((source, i) => <MarkdownBlock key={i} source={source} />);
});

/** The open paragraph in pieces (lib/client/markdown-blocks paragraphPieces): frozen pieces are parsed once. */
function OpenParagraph({ pieces }: { pieces: ParagraphPieces }) {
  return (
    <p>
      {pieces.frozen.map((piece, i) => (
        <Fragment key={i}>
          <MarkdownBlock source={piece} inline />
          {/* The space the piece ended with: parsed alone, a paragraph drops its trailing whitespace. */}{" "}
        </Fragment>
      ))}
      {pieces.restIsPlain ? pieces.rest : <MarkdownBlock source={pieces.rest} inline />}
    </p>
  );
}

/**
 * Markdown that is still arriving: finished blocks are memoised, only the open one re-renders per
 * delta — and an open paragraph only its last piece.
 */
export function StreamingMarkdown({ blocks }: { blocks: MarkdownBlocks }) {
  const open = blocks.tail.trim() ? blocks.tail : "";
  const pieces = useMemo(() => (open ? paragraphPieces(open) : null), [open]);
  return (
    <div className="markdown">
      <FinishedBlocks blocks={blocks.closed} />
      {pieces ? <OpenParagraph pieces={pieces} /> : open ? <MarkdownBlock source={open} /> : null}
    </div>
  );
}

/** A finished message's markdown, split once; citations and file links resolved through `links`. */
export const Markdown = memo(function Markdown({ text, links }: { text: string; links?: MarkdownLinks }) {
  const blocks = useMemo(() => splitMarkdown(text), [text]);
  return (
    <LinksContext.Provider value={links ?? null}>
      <div className="markdown">
        <FinishedBlocks blocks={blocks} />
      </div>
    </LinksContext.Provider>
  );
});
