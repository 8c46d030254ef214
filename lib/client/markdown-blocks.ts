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
