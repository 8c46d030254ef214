/**
 * Models write math as `\( … \)` (inline) and `\[ … \]` (display); remark-math only parses `$…$` and
 * `$$…$$`. This rewrites the former into the latter before parsing, leaving code (fenced blocks and
 * inline code spans) untouched. Escaped dollar signs in prose are left to remark-math.
 */
export function convertMathDelimiters(markdown: string): string {
  if (!markdown.includes("\\(") && !markdown.includes("\\[")) return markdown;
  const lines = markdown.split("\n");
  let fence: string | null = null;
  const out: string[] = [];
  let prose: string[] = [];
  const flush = () => {
    if (prose.length) out.push(convertProse(prose.join("\n")));
    prose = [];
  };
  for (const line of lines) {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && open?.[1]) {
      flush();
      fence = open[1];
      out.push(line);
    } else if (fence !== null) {
      const trimmed = line.trim();
      if (trimmed.startsWith(fence) && trimmed.replace(/[`~]/g, "") === "") fence = null;
      out.push(line);
    } else {
      prose.push(line);
    }
  }
  flush();
  return out.join("\n");
}

/** Converts delimiters in prose, skipping inline code spans (runs of backticks matched by length). */
function convertProse(text: string): string {
  let result = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "`") {
      let n = 1;
      while (text[i + n] === "`") n++;
      const ticks = "`".repeat(n);
      const close = text.indexOf(ticks, i + n);
      if (close >= 0) {
        result += text.slice(i, close + n);
        i = close + n;
        continue;
      }
      result += ticks;
      i += n;
      continue;
    }
    if (ch === "\\" && (text[i + 1] === "(" || text[i + 1] === "[")) {
      const display = text[i + 1] === "[";
      const closer = display ? "\\]" : "\\)";
      const end = text.indexOf(closer, i + 2);
      if (end >= 0) {
        const body = text.slice(i + 2, end).trim();
        // Display math on a line of its own becomes a $$ block; inside a line (a heading, a quote,
        // a list item) a block would break that line's structure, so it stays inline there.
        const lineStart = text.lastIndexOf("\n", i - 1) + 1;
        const ownLine = display && /^\s*$/.test(text.slice(lineStart, i));
        result += ownLine ? `\n$$\n${body}\n$$\n` : display ? `$$${body}$$` : `$${body}$`;
        i = end + 2;
        continue;
      }
    }
    if (ch === "\\" && i + 1 < text.length) {
      result += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    result += ch;
    i++;
  }
  return result;
}

/** Whether a markdown block may contain math worth loading KaTeX for. */
export function mayContainMath(markdown: string): boolean {
  return /\$|\\\(|\\\[/.test(markdown);
}
