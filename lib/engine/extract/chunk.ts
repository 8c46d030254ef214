/**
 * Static chunking over a stream of text: chunks of at most `sizeChars` characters, cut at the last
 * space in the second half of the window when there is one, each starting about `overlapChars`
 * before the end of the previous one (at the next word). Only one window of text is held at a time.
 */
export async function chunkText(
  source: AsyncIterable<string>,
  sizeChars: number,
  overlapChars: number,
  emit: (chunk: string) => void,
): Promise<void> {
  let buffer = "";
  const push = (text: string) => {
    const t = text.trim();
    if (t) emit(t);
  };
  for await (const piece of source) {
    buffer += piece;
    while (buffer.length >= sizeChars) {
      let cut = buffer.lastIndexOf(" ", sizeChars);
      if (cut < sizeChars / 2) cut = sizeChars;
      push(buffer.slice(0, cut));
      let next = cut - overlapChars;
      // Overlap starts on a word, not inside one.
      if (overlapChars > 0) {
        const space = buffer.indexOf(" ", next);
        if (space >= 0 && space < cut) next = space + 1;
      }
      buffer = buffer.slice(Math.max(1, next));
    }
  }
  push(buffer);
}

/** 1 token ≈ 4 characters, as everywhere in the engine. */
export const CHARS_PER_TOKEN = 4;
