/**
 * Static chunking over a stream of text: chunks of at most `sizeChars` characters, cut at the last
 * space in the second half of the window when there is one, each starting about `overlapChars`
 * before the end of the previous one (at the next word). Only one window of text is held at a time.
 * Sizes it cannot honour (size < 1, overlap < 0 or above half the size, not integers) throw a
 * RangeError: a size of 0 would never consume the text.
 */
export async function chunkText(
  source: AsyncIterable<string>,
  sizeChars: number,
  overlapChars: number,
  emit: (chunk: string) => void,
): Promise<void> {
  if (!Number.isSafeInteger(sizeChars) || sizeChars < 1)
    throw new RangeError(`chunkText: the chunk size must be an integer of at least 1 (got ${sizeChars}).`);
  if (!Number.isSafeInteger(overlapChars) || overlapChars < 0 || overlapChars > sizeChars / 2)
    throw new RangeError(
      `chunkText: the overlap must be an integer from 0 to half the chunk size (got ${overlapChars} for ${sizeChars}).`,
    );
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
