/**
 * How a run's event stream is handed to the SDK in the browser (the fetch wrapper in ./record.ts
 * passes every response body through here after the request log has seen the original bytes).
 *
 * Two things cost the page far more than the bytes themselves (scripts/bench/browser.ts):
 * - the SDK's SSE reader copies what is left of its buffer after every event it finds, so a
 *   network chunk holding many events costs time quadratic in its size — and chunks grow while
 *   the page is busy;
 * - every event then goes through several async generators and the SDK's AssistantStream, about
 *   a tenth of a millisecond each, so 2,000 word-sized deltas that arrive together cost a second.
 *
 * So text deltas of the same message that arrive in the same chunk are merged into one delta with
 * their text joined (the same text, the same order; nothing waits for more bytes), and the rest is
 * cut at event ends into pieces of about PIECE_BYTES. Events that are not plain text deltas pass
 * byte for byte.
 */

/** The most a piece holds, unless one event alone is longer (bytes). */
export const PIECE_BYTES = 2048;

const DELTA_PREFIX = "event: thread.message.delta\ndata: ";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface TextDelta {
  id: string;
  index: number;
  value: string;
  /** The event's JSON, to rebuild a merged event with every other field as it came. */
  json: { delta: { content: [{ text: { value: string } }] } };
}

const PREFIX_BYTES = new TextEncoder().encode(DELTA_PREFIX);

/** A `thread.message.delta` that carries exactly one text part with no annotations, or null. */
function textDelta(event: Uint8Array): TextDelta | null {
  if (event.length <= PREFIX_BYTES.length) return null;
  for (let i = 0; i < PREFIX_BYTES.length; i++) if (event[i] !== PREFIX_BYTES[i]) return null;
  const text = decoder.decode(event);
  if (!text.startsWith(DELTA_PREFIX) || !text.endsWith("\n\n")) return null;
  const data = text.slice(DELTA_PREFIX.length, -2);
  if (data.includes("\n")) return null; // several data lines: leave it alone
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const j = json as { id?: unknown; delta?: { content?: unknown; role?: unknown } };
  const content = j.delta?.content;
  if (typeof j.id !== "string" || !Array.isArray(content) || content.length !== 1) return null;
  if (Object.keys(j.delta ?? {}).length !== 1) return null;
  const part = content[0] as {
    index?: unknown;
    type?: unknown;
    text?: { value?: unknown; annotations?: unknown };
  };
  if (part.type !== "text" || typeof part.index !== "number" || typeof part.text?.value !== "string")
    return null;
  const annotations = part.text.annotations;
  if (annotations !== undefined && !(Array.isArray(annotations) && annotations.length === 0)) return null;
  return { id: j.id, index: part.index, value: part.text.value, json: json as TextDelta["json"] };
}

function mergeDeltas(run: TextDelta[]): Uint8Array {
  const first = run[0]!;
  first.json.delta.content[0].text.value = run.map((d) => d.value).join("");
  return encoder.encode(`${DELTA_PREFIX}${JSON.stringify(first.json)}\n\n`);
}

/** Whole events in `chunk` as views, plus what comes before the first event end (it may finish one begun earlier) and after the last. */
function cutEvents(chunk: Uint8Array): {
  head: Uint8Array | null;
  events: Uint8Array[];
  tail: Uint8Array | null;
} {
  const ends: number[] = [];
  for (let i = chunk.indexOf(10); i >= 0 && i < chunk.length - 1; i = chunk.indexOf(10, i + 1)) {
    if (chunk[i + 1] !== 10) continue;
    ends.push(i + 2);
    i += 1;
  }
  if (ends.length === 0) return { head: null, events: [], tail: chunk };
  const events: Uint8Array[] = [];
  for (let k = 1; k < ends.length; k++) events.push(chunk.subarray(ends[k - 1]!, ends[k]!));
  const last = ends[ends.length - 1]!;
  return {
    head: chunk.subarray(0, ends[0]!),
    events,
    tail: last < chunk.length ? chunk.subarray(last) : null,
  };
}

/**
 * A rewriter for one event stream: call it with each chunk in order; it returns what the SDK
 * should read instead (the same events, text deltas that arrived together merged).
 */
export function createRechunker(): (chunk: Uint8Array) => Uint8Array[] {
  // The stream's last two bytes so far: an event starts after "\n\n" (or at the very start).
  let last = -1;
  let beforeLast = -1;
  let started = false;
  return (chunk) => {
    const atEventStart = !started || (last === 10 && beforeLast === 10);
    started = true;
    if (chunk.length >= 2) {
      beforeLast = chunk[chunk.length - 2]!;
      last = chunk[chunk.length - 1]!;
    } else if (chunk.length === 1) {
      beforeLast = last;
      last = chunk[0]!;
    }
    return rechunk(chunk, atEventStart);
  };
}

function rechunk(chunk: Uint8Array, atEventStart: boolean): Uint8Array[] {
  const { head, events, tail } = cutEvents(chunk);
  if (events.length === 0) return [chunk]; // at most one whole event: nothing to merge or cut
  const whole: Uint8Array[] = [];
  const loose: Uint8Array[] = []; // before the first whole event: the end of an event begun earlier
  if (head) (atEventStart ? whole : loose).push(head);
  whole.push(...events);

  // Merge runs of plain text deltas of the same message part.
  const merged: Uint8Array[] = [];
  let run: TextDelta[] = [];
  let runBytes: Uint8Array[] = [];
  const flush = () => {
    if (run.length > 1) merged.push(mergeDeltas(run));
    else merged.push(...runBytes);
    run = [];
    runBytes = [];
  };
  for (const event of whole) {
    const delta = textDelta(event);
    if (delta && run.length > 0 && (run[0]!.id !== delta.id || run[0]!.index !== delta.index)) flush();
    if (delta) {
      run.push(delta);
      runBytes.push(event);
    } else {
      flush();
      merged.push(event);
    }
  }
  flush();

  // Group into pieces of about PIECE_BYTES.
  const out: Uint8Array[] = [...loose];
  let group: Uint8Array[] = [];
  let size = 0;
  const close = () => {
    if (group.length === 1) out.push(group[0]!);
    else if (group.length > 1) {
      const joined = new Uint8Array(size);
      let at = 0;
      for (const g of group) {
        joined.set(g, at);
        at += g.length;
      }
      out.push(joined);
    }
    group = [];
    size = 0;
  };
  for (const piece of merged) {
    if (size > 0 && size + piece.length > PIECE_BYTES) close();
    group.push(piece);
    size += piece.length;
  }
  close();
  if (tail) out.push(tail);
  return out;
}
