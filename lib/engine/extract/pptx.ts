import fs from "node:fs";
import { unzipSync, strFromU8 } from "fflate";
import { ExtractionError } from "./errors";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

/** PPTX text: the `<a:t>` runs of each slide, in slide order, paragraphs on their own lines. */
export async function* readPptx(path: string, filename: string): AsyncGenerator<string> {
  const bytes = new Uint8Array(await fs.promises.readFile(path));
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => /^ppt\/slides\/slide\d+\.xml$/.test(f.name) });
  } catch (e) {
    throw new ExtractionError(
      "parsing_error",
      `${filename} could not be read as a PPTX presentation: ${(e as Error).message}`,
    );
  }
  const slides = Object.keys(entries).sort(
    (a, b) => Number(/(\d+)\.xml$/.exec(a)?.[1]) - Number(/(\d+)\.xml$/.exec(b)?.[1]),
  );
  if (slides.length === 0)
    throw new ExtractionError("parsing_error", `${filename} has no slides: it is not a PPTX presentation.`);
  for (const name of slides) {
    const xml = strFromU8(entries[name]!);
    const paragraphs = xml
      .split(/<\/a:p>/)
      .map((p) =>
        [...p.matchAll(/<a:t(?:\s[^>]*)?>([^<]*)<\/a:t>/g)].map((m) => decodeXml(m[1] ?? "")).join(""),
      );
    yield paragraphs.filter((p) => p.trim()).join("\n") + "\n\n";
  }
}
