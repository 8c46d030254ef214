import type { Annotation } from "openai/resources/beta/threads/messages";

export interface Citation {
  /** 1-based number shown in the text. */
  n: number;
  fileId: string;
  quote: string | null;
}

/** Link targets the markdown renderer turns into citations and file downloads. */
export const CITATION_HREF = "#citation-";
export const FILE_HREF = "#file-";

export interface PreparedText {
  markdown: string;
  citations: Citation[];
  /** file_path annotations: file id → the file name to download it as. */
  files: Record<string, string>;
}

function basename(path: string): string {
  const clean = path.replace(/^sandbox:/, "");
  const parts = clean.split("/");
  return parts[parts.length - 1] || clean;
}

/**
 * Rewrites a text part's annotated spans into links the renderer understands. react-markdown drops
 * `sandbox:` URLs, so file_path spans become `#file-<id>` (rendered as downloads), and each
 * file_citation marker (`【4:0†source】`) becomes a numbered `[n](#citation-n)`. Indexes refer to
 * the original text, so spans are replaced from the end; a span whose indexes do not match its
 * text is found by its text instead.
 */
export function prepareAnnotatedText(text: string, annotations: readonly Annotation[]): PreparedText {
  const citations: Citation[] = [];
  const files: Record<string, string> = {};
  type Span = { start: number; end: number; replace: string };
  const spans: Span[] = [];
  const citationNumbers = new Map<string, number>();

  const located = annotations
    .map((a) => {
      let start = a.start_index;
      let end = a.end_index;
      if (text.slice(start, end) !== a.text) {
        const found = text.indexOf(a.text);
        if (found < 0) return null;
        start = found;
        end = found + a.text.length;
      }
      return { a, start, end };
    })
    .filter((x): x is { a: Annotation; start: number; end: number } => x !== null)
    .sort((x, y) => x.start - y.start);

  for (const { a, start, end } of located) {
    if (a.type === "file_citation") {
      const key = `${a.file_citation.file_id}\n${a.text}`;
      let n = citationNumbers.get(key);
      if (n === undefined) {
        n = citations.length + 1;
        citationNumbers.set(key, n);
        const quote = (a.file_citation as { quote?: string | null }).quote ?? null;
        citations.push({ n, fileId: a.file_citation.file_id, quote });
      }
      spans.push({ start, end, replace: `[${n}](${CITATION_HREF}${n})` });
    } else if (a.type === "file_path") {
      files[a.file_path.file_id] = basename(a.text);
      // Inside a markdown link `[name](sandbox:…)` only the URL is replaced; a bare path becomes a link.
      const insideLink = text.slice(Math.max(0, start - 2), start) === "](";
      const href = `${FILE_HREF}${a.file_path.file_id}`;
      spans.push({ start, end, replace: insideLink ? href : `[${basename(a.text)}](${href})` });
    }
  }

  let markdown = text;
  for (const span of spans.sort((x, y) => y.start - x.start)) {
    markdown = markdown.slice(0, span.start) + span.replace + markdown.slice(span.end);
  }
  return { markdown, citations, files };
}

/** A file_citation marker as the Assistants API writes it (`【4:0†source】`, `【4†report.pdf】`). */
const MARKER = /【\d+(?::\d+)?(?:†[^】\n]{0,200})?】/g;
/** What could still become a marker once more text comes (at the very end of the text). */
const MARKER_START = /【\d*(?::\d*)?(?:†[^】\n]{0,200})?$/;

/**
 * Streamed text without its citation markers: a marker shows as a raw `【4:0†source】` until the
 * finished message's annotations number it, so while streaming it is left out (the finished
 * message shows it as its [n]). `held` is the end of the text so far that may be the start of a
 * marker (a marker can be cut across deltas); it is kept back until the next delta decides.
 * Other uses of 【】 (CJK brackets) pass unchanged.
 */
export function streamWithoutMarkers(held: string, delta: string): { text: string; held: string } {
  const joined = held + delta;
  if (!joined.includes("【")) return { text: joined, held: "" };
  const text = joined.replace(MARKER, "");
  const open = text.lastIndexOf("【");
  if (open >= 0 && MARKER_START.test(text.slice(open)))
    return { text: text.slice(0, open), held: text.slice(open) };
  return { text, held: "" };
}
