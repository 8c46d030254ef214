/**
 * Incremental splitting of streamed markdown into top-level blocks, so a view can memoise every
 * finished block and re-render only the last one: the work per delta depends on the delta and the
 * open block, never on the length of the whole message.
 *
 * A block ends at a blank line outside a fenced code block, unless the next line is indented (a
 * list item's continuation). The decision waits for that next line, so a block is only "closed"
 * when no later text can change how it renders.
 */
export interface MarkdownBlocks {
  /** Finished blocks; the array is only replaced when a block closes. */
  readonly closed: readonly string[];
  /** The open block, still growing. */
  readonly tail: string;
  /** Offset in `tail` of the first line not yet examined. */
  readonly scanPos: number;
  /** The fence that opened the current code block, if inside one. */
  readonly fence: string | null;
  /** Offset in `tail` where a blank line ended the content, awaiting the next line to decide. */
  readonly pendingSplit: number | null;
  /** Whether `tail` has non-blank content before `scanPos`. */
  readonly hasContent: boolean;
}

export const emptyBlocks: MarkdownBlocks = {
  closed: [],
  tail: "",
  scanPos: 0,
  fence: null,
  pendingSplit: null,
  hasContent: false,
};

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;

export function appendMarkdown(state: MarkdownBlocks, delta: string): MarkdownBlocks {
  if (delta.length === 0) return state;
  // No new line and nothing waiting on one: nothing to examine (and the grown tail is not scanned,
  // which would flatten the concatenated string on every delta).
  if (state.pendingSplit === null && !delta.includes("\n")) return { ...state, tail: state.tail + delta };
  let tail = state.tail + delta;
  let { scanPos, fence, pendingSplit, hasContent } = state;
  let closed: string[] | null = null;

  for (;;) {
    const nl = tail.indexOf("\n", scanPos);
    if (nl < 0) break;
    const line = tail.slice(scanPos, nl);
    const blank = line.trim() === "";

    if (fence !== null) {
      const trimmed = line.trim();
      if (trimmed.startsWith(fence) && trimmed.replace(/[`~]/g, "") === "" && trimmed[0] === fence[0])
        fence = null;
    } else if (blank) {
      if (hasContent && pendingSplit === null) pendingSplit = scanPos;
    } else {
      if (pendingSplit !== null) {
        if (/^[ \t]/.test(line)) {
          pendingSplit = null;
        } else {
          (closed ??= [...state.closed]).push(tail.slice(0, pendingSplit).replace(/\s+$/, ""));
          tail = tail.slice(scanPos);
          pendingSplit = null;
          scanPos = 0;
          continue;
        }
      }
      const open = FENCE_OPEN.exec(line);
      if (open?.[1]) fence = open[1];
      hasContent = true;
    }
    scanPos = nl + 1;
  }

  // A partial line that starts unindented already proves the previous block finished.
  if (pendingSplit !== null && fence === null && scanPos < tail.length && !/[ \t\r\n]/.test(tail[scanPos]!)) {
    (closed ??= [...state.closed]).push(tail.slice(0, pendingSplit).replace(/\s+$/, ""));
    tail = tail.slice(scanPos);
    pendingSplit = null;
    scanPos = 0;
  }

  return { closed: closed ?? state.closed, tail, scanPos, fence, pendingSplit, hasContent };
}

/** Splits a complete markdown text at once (history messages). */
export function splitMarkdown(text: string): string[] {
  const state = appendMarkdown(emptyBlocks, text.endsWith("\n") ? text : `${text}\n`);
  const last = state.tail.replace(/\s+$/, "");
  return last.length > 0 ? [...state.closed, last] : [...state.closed];
}

/**
 * The open block of a streaming answer, when it is a paragraph on one line (how models write
 * prose), cut into pieces that each render the same alone as inside the whole: `frozen` pieces
 * (each ends with whitespace, and every inline construct in it is closed, so no later text can
 * change it: parsed once), then the growing `rest`. Re-parsing the whole open paragraph on every
 * frame costs time quadratic in its length (about 10 ms a frame at 12 KB); this keeps the work per
 * frame to the rest. null: not such a paragraph (the caller parses the whole block).
 */
export interface ParagraphPieces {
  frozen: string[];
  rest: string;
  /** The rest needs no parsing: it renders as its own text. */
  restIsPlain: boolean;
}

/** Roughly how long a frozen piece is (characters). */
const PIECE = 400;
/** A line that is a paragraph whatever follows on it: a letter, emphasis around one, a number that is not a list marker, a quote. */
const PARAGRAPH_START = /^(?:\p{L}|[*_]{1,3}[\p{L}\d]|\d+(?![\d.)])|["'(]\p{L})/u;
/** Where a piece may end: after whitespace, before a letter (so the next piece starts a paragraph too). */
const CUT = /\s+(?=\p{L})/gu;
/** Text with none of these renders as itself (no escapes, entities, code, emphasis, links, HTML, math or autolinks). */
const NOT_PLAIN = /[\\`*_~[\]<&$]|:\/\/|www\.|@|mailto:|xmpp:/i;
/** Closed inline constructs, removed before looking for an unclosed one. */
const CLOSED = [
  /\\[!-/:-@[-`{-~]/g, // escapes
  /(?<=[\p{L}\d])_+(?=[\p{L}\d])/gu, // snake_case: an underscore inside a word can neither open nor close
  /(?<=\s)[*_]+(?=\s)/g, // a star or underscore between spaces can neither open nor close
  /<(?=[\s\d=])/g, // "a < b" starts no tag and no autolink
  /`[^`]+`/g, // code spans
  /<(?:https?|mailto):[^<>\s]*>/gi, // autolinks
  /!?\[[^[\]]*\]\([^()\s]*(?:\s+"[^"]*")?\)/g, // links and images
  /\*\*(?=\S)[^*]*[^\s*]\*\*/g,
  /(?<![\p{L}\d])__(?=\S)[^_]*[^\s_]__(?![\p{L}\d])/gu,
  /\*(?=[^\s*])(?:[^*]*[^\s*])?\*/g,
  /(?<![\p{L}\d])_(?=[^\s_])(?:[^_]*[^\s_])?_(?![\p{L}\d])/gu,
  /~~(?=\S)[^~]*[^\s~]~~/g,
];
const OPEN_INLINE = /[\\`*_~[\]<$]/;

/** Whether no text after `piece` (which ends with whitespace) can change how it renders. */
export function isClosedInline(piece: string): boolean {
  if (piece.includes("\\(") || piece.includes("\\[")) return false; // math delimiters (converted before parsing)
  let rest = piece;
  for (const re of CLOSED) rest = rest.replace(re, " ");
  return !OPEN_INLINE.test(rest);
}

/**
 * Where the last cut left off: a streaming paragraph only grows, and pieces frozen in a shorter
 * tail stay frozen in the longer one (a piece and its cut depend only on text already there), so
 * the next frame examines only what came since.
 */
let lastCut: { tail: string; frozen: readonly string[]; start: number; from: number } | null = null;

export function paragraphPieces(tail: string): ParagraphPieces | null {
  const resume =
    lastCut !== null && tail.length >= lastCut.tail.length && tail.startsWith(lastCut.tail) ? lastCut : null;
  // What the resumed tail began with was already checked; what came since must not add a line.
  const added = resume ? tail.slice(resume.tail.length) : tail;
  if (added.includes("\n") || added.includes("\r") || (!resume && !PARAGRAPH_START.test(tail))) return null;
  const frozen = resume ? [...resume.frozen] : [];
  let start = resume?.start ?? 0;
  let from = resume?.from ?? PIECE;
  for (;;) {
    CUT.lastIndex = from;
    const m = CUT.exec(tail);
    if (!m) break;
    const end = m.index + m[0].length;
    const piece = tail.slice(start, end);
    if (isClosedInline(piece)) {
      frozen.push(piece);
      start = end;
      from = end + PIECE;
    } else {
      from = end + PIECE;
    }
  }
  lastCut = { tail, frozen, start, from };
  const rest = tail.slice(start);
  return { frozen, rest, restIsPlain: isPlainText(rest) };
}

/** Whether a piece of one paragraph line renders as its own text (no parse needed). */
export function isPlainText(text: string): boolean {
  return !NOT_PLAIN.test(text);
}
