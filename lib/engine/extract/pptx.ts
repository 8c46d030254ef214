import fs from "node:fs";
import { EXTRACTION_LIMITS } from "../limits";
import { ExtractionError, tooMuchText } from "./errors";
import { readZip } from "./zip";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeXml(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|\w{1,8});/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

/** The first characters of a tag name decide what it is; the rest of the tag is skipped unread. */
const HEAD = 6;
const RUN_OPEN = /^a:t(\s|$)/; // <a:t> or <a:t xml:space="preserve">, not <a:tab/>, <a:t/>
const RUN_CLOSE = /^\/a:t\s*$/;
const PARA_END = /^\/a:p\s*$/;

/**
 * The text runs (`<a:t>…</a:t>`) of a slide's XML, fed in pieces as it is inflated, one line per
 * paragraph (`</a:p>`). A forward scan with indexOf over each piece: linear time whatever the markup
 * (a regex over the whole slide backtracked quadratically on hostile input), and nothing is held
 * but the text of the run being read, so a slide of gigabytes without markup costs no memory.
 */
export class SlideScanner {
  private state: "outside" | "tag" | "text" = "outside";
  private head = "";
  private inRun = false;
  private run: string[] = [];
  private line = "";
  private readonly lines: string[] = [];
  /** Characters of text kept so far. */
  chars = 0;

  push(s: string): void {
    let i = 0;
    while (i < s.length) {
      if (this.state === "outside" || this.state === "text") {
        const lt = s.indexOf("<", i);
        if (this.state === "text") this.run.push(s.slice(i, lt < 0 ? s.length : lt));
        if (lt < 0) return;
        i = lt + 1;
        this.state = "tag";
        this.head = "";
        continue;
      }
      const gt = s.indexOf(">", i);
      const end = gt < 0 ? s.length : gt;
      if (this.head.length < HEAD) this.head += s.slice(i, Math.min(end, i + HEAD - this.head.length));
      if (gt < 0) return;
      i = gt + 1;
      this.tag();
    }
  }

  private tag(): void {
    const head = this.head;
    if (this.inRun && RUN_CLOSE.test(head)) {
      const text = decodeXml(this.run.join(""));
      this.line += text;
      this.chars += text.length;
    }
    // A run not closed by </a:t> (another tag came first) is not text.
    this.inRun = false;
    this.run = [];
    if (RUN_OPEN.test(head)) {
      this.inRun = true;
      this.state = "text";
      return;
    }
    if (PARA_END.test(head)) this.endLine();
    this.state = "outside";
  }

  private endLine(): void {
    if (this.line.trim()) this.lines.push(this.line);
    this.line = "";
  }

  /** The slide's text, once all of it has been pushed. */
  text(): string {
    this.endLine();
    return this.lines.join("\n");
  }
}

/** The text of one slide's XML (a whole string). */
export function slideText(xml: string): string {
  const s = new SlideScanner();
  s.push(xml);
  return s.text();
}

/** PPTX text: the `<a:t>` runs of each slide, in slide order, paragraphs on their own lines. */
export async function* readPptx(path: string, filename: string): AsyncGenerator<string> {
  const bytes = new Uint8Array(await fs.promises.readFile(path));
  const slides: { n: number; text: string }[] = [];
  const limit = EXTRACTION_LIMITS.documentTextChars;
  let chars = 0;
  await readZip(bytes, {
    filename,
    kind: "a PPTX presentation",
    want: (name) => /^ppt\/slides\/slide\d+\.xml$/.test(name),
    // Each slide is scanned as it is inflated; its XML is never held whole.
    open: (name) => {
      const decoder = new TextDecoder("utf-8");
      const scanner = new SlideScanner();
      const check = () => {
        if (chars + scanner.chars > limit) throw tooMuchText(filename, limit);
      };
      return {
        data: (chunk) => {
          scanner.push(decoder.decode(chunk, { stream: true }));
          check();
        },
        end: () => {
          scanner.push(decoder.decode());
          const text = scanner.text();
          check();
          chars += scanner.chars;
          slides.push({ n: Number(/(\d+)\.xml$/.exec(name)?.[1]), text });
        },
      };
    },
  });
  if (slides.length === 0)
    throw new ExtractionError("parsing_error", `${filename} has no slides: it is not a PPTX presentation.`);
  slides.sort((a, b) => a.n - b.n);
  for (const s of slides) yield s.text + "\n\n";
}
