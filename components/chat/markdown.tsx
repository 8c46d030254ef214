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
  isPlainText,
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

/**
 * Parsed prose blocks and pieces, by source: a paragraph parsed while it streamed is not parsed
 * again when its block closes or the finished message replaces the streamed one (the same pieces
 * come back). Only for text without code or math, whose rendering depends on plugins loaded later.
 * React elements are plain values, so one can be shown in several places.
 */
const parsed = new Map<string, ReactNode>();
const PARSED_MAX = 400;

function parsedOnce(key: string, parse: () => ReactNode): ReactNode {
  const hit = parsed.get(key);
  if (hit !== undefined) {
    // Most recently used last: the oldest goes first when the cache is full.
    parsed.delete(key);
    parsed.set(key, hit);
    return hit;
  }
  const node = parse();
  parsed.set(key, node);
  if (parsed.size > PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  return node;
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
  const options = {
    remarkPlugins,
    rehypePlugins,
    components: inline ? inlineComponents : components,
    urlTransform,
    children: text,
  };
  // Blocks with code or math are parsed each time: their plugins load later and change the result.
  if (hasCode || hasMath) return <ReactMarkdown {...options} />;
  // ReactMarkdown parses as it renders and uses no hooks: called here, its result can be kept.
  return parsedOnce(`${inline ? "i" : "b"}\u0000${text}`, () => ReactMarkdown(options));
});

/**
 * A finished block: a paragraph on one line in pieces (as it streamed: see OpenParagraph), anything
 * else parsed whole.
 */
const Block = memo(function Block({ source, whole }: { source: string; whole?: boolean }) {
  const pieces = useMemo(() => (whole ? null : paragraphPieces(source)), [source, whole]);
  return pieces ? <OpenParagraph pieces={pieces} /> : <MarkdownBlock source={source} />;
});

/**
 * A paragraph in pieces (lib/client/markdown-blocks paragraphPieces), each rendering as it would
 * inside the whole: frozen pieces are parsed once, and pieces of plain prose not at all.
 */
function OpenParagraph({ pieces }: { pieces: ParagraphPieces }) {
  return (
    <p>
      {pieces.frozen.map((piece, i) => (
        <Fragment key={i}>
          {isPlainText(piece) ? piece.trimEnd() : <MarkdownBlock source={piece} inline />}
          {/* The space the piece ended with: parsed alone, a paragraph drops its trailing whitespace. */}{" "}
        </Fragment>
      ))}
      {pieces.restIsPlain ? pieces.rest : <MarkdownBlock source={pieces.rest} inline />}
    </p>
  );
}

const NO_BLOCKS: readonly string[] = [];

/**
 * An answer's markdown: a finished message's `text` (split once), or the `blocks` of one still
 * streaming. Both render the same tree — one Block per block, the streaming one's open block last —
 * so when the thread's copy of a streamed answer replaces it, React keeps the DOM it has (each
 * Block is memoised on its source) instead of building the answer again. Finished blocks do not
 * re-render per delta; an open paragraph re-renders only its last piece.
 */
export const Markdown = memo(function Markdown({
  text,
  blocks,
  links,
  whole,
}: {
  text?: string;
  blocks?: MarkdownBlocks;
  links?: MarkdownLinks;
  /** Parse every block whole, paragraphs too (the reference the tests compare pieces with). */
  whole?: boolean;
}) {
  const split = useMemo(() => (text === undefined ? NO_BLOCKS : splitMarkdown(text)), [text]);
  // One list, the open block last: the streamed answer's blocks sit where the finished one's will.
  const list = !blocks ? split : /\S/.test(blocks.tail) ? [...blocks.closed, blocks.tail] : blocks.closed;
  return (
    <LinksContext.Provider value={links ?? null}>
      <div className="markdown">
        {list.map((source, i) => (
          <Block key={i} source={source} whole={whole} />
        ))}
      </div>
    </LinksContext.Provider>
  );
});
