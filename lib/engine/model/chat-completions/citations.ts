/**
 * Source markers in a streamed answer (`【0:2†report.pdf】`, the Assistants API's own form) become
 * file_citation annotations. Markers may arrive split across deltas: the scanner only reports a
 * marker once it is complete, with indexes into the whole text part (UTF-16 code units, as the
 * engine's text parts and the UI count them).
 */
import type { FileSearchHit, PlannedAnnotation } from "../types";

const MARKER = /【(\d+):(\d+)(?:†[^】\n]{0,200})?】/g;
/** How far back an unfinished marker can start (its longest form). */
const MAX_MARKER = 240;

export class CitationScanner {
  private text = "";
  private from = 0;

  constructor(private readonly hits: ReadonlyMap<string, FileSearchHit>) {}

  /** Adds a delta; returns the annotations of the markers it completed. */
  push(delta: string): PlannedAnnotation[] {
    this.text += delta;
    const out: PlannedAnnotation[] = [];
    MARKER.lastIndex = this.from;
    let m: RegExpExecArray | null;
    let end = this.from;
    while ((m = MARKER.exec(this.text))) {
      end = m.index + m[0].length;
      const hit = this.hits.get(`${m[1]}:${m[2]}`);
      if (hit)
        out.push({
          type: "file_citation",
          text: m[0],
          start_index: m.index,
          end_index: end,
          file_id: hit.file_id,
          quote: hit.text.length > 200 ? `${hit.text.slice(0, 200)}…` : hit.text,
        });
    }
    // Keep an unfinished marker (an opening 【 without its 】) for the next delta.
    const open = this.text.lastIndexOf("【");
    this.from =
      open >= end && !this.text.slice(open).includes("】") && this.text.length - open < MAX_MARKER
        ? open
        : this.text.length;
    return out;
  }
}
