import { describe, expect, it } from "vitest";
import { SseRecorder } from "./record";
import { createRechunker, PIECE_BYTES } from "./sse-chunks";
import type { SseEvent } from "./store";

const delta = (id: string, value: string, extra: Record<string, unknown> = {}) => ({
  event: "thread.message.delta",
  data: JSON.stringify({
    id,
    object: "thread.message.delta",
    delta: { content: [{ index: 0, type: "text", text: { value, annotations: [] } }] },
    ...extra,
  }),
});

const EVENTS: SseEvent[] = [
  { event: "thread.run.created", data: '{"id":"run_1","object":"thread.run","status":"queued"}' },
  ...Array.from({ length: 40 }, (_, i) => delta("msg_1", `wörd${i} `)),
  // An annotation: never merged.
  {
    event: "thread.message.delta",
    data: JSON.stringify({
      id: "msg_1",
      object: "thread.message.delta",
      delta: {
        content: [
          {
            index: 0,
            type: "text",
            text: {
              value: "【4:0†source】",
              annotations: [
                {
                  index: 0,
                  type: "file_citation",
                  text: "【4:0†source】",
                  start_index: 200,
                  end_index: 212,
                  file_citation: { file_id: "file_1" },
                },
              ],
            },
          },
        ],
      },
    }),
  },
  ...Array.from({ length: 10 }, (_, i) => delta("msg_1", `after${i} `)),
  ...Array.from({ length: 5 }, (_, i) => delta("msg_2", `other${i} `)),
  {
    event: "thread.run.step.delta",
    data: '{"id":"step_1","object":"thread.run.step.delta","delta":{"step_details":{"type":"tool_calls"}}}',
  },
  { event: "thread.run.completed", data: '{"id":"run_1","object":"thread.run","status":"completed"}' },
  { event: "done", data: "[DONE]" },
];
const WIRE = new TextEncoder().encode(EVENTS.map((e) => `event: ${e.event}\ndata: ${e.data}\n\n`).join(""));

function parse(chunks: Uint8Array[]): SseEvent[] {
  const out: SseEvent[] = [];
  const parser = new SseRecorder((e) => out.push(e));
  for (const c of chunks) parser.push(c);
  parser.end();
  return out;
}

/** What the text of each message adds up to, and the order of everything else. */
function meaning(events: SseEvent[]) {
  const text: Record<string, string> = {};
  const rest: string[] = [];
  for (const e of events) {
    if (e.event === "thread.message.delta") {
      const d = JSON.parse(e.data) as {
        id: string;
        delta: { content: { text: { value: string; annotations?: unknown[] } }[] };
      };
      text[d.id] = (text[d.id] ?? "") + d.delta.content[0]!.text.value;
      if (d.delta.content[0]!.text.annotations?.length) rest.push(`annotation in ${d.id}`);
    } else rest.push(`${e.event} ${e.data}`);
  }
  return { text, rest };
}

function rewrite(cuts: number[]): Uint8Array[] {
  const rechunk = createRechunker();
  const out: Uint8Array[] = [];
  let from = 0;
  for (const at of [...cuts, WIRE.length]) {
    out.push(...rechunk(WIRE.slice(from, at)));
    from = at;
  }
  return out;
}

describe("rechunking a run's stream for the SDK", () => {
  it("keeps every message's text and every other event, in order, however the network cuts the bytes", () => {
    const expected = meaning(EVENTS);
    const cutsList: number[][] = [[], [1], [WIRE.length - 1], [7, 8, 9, 500, 501, 1200]];
    for (let seed = 1; seed <= 40; seed++) {
      const cuts = new Set<number>();
      let x = seed * 7919;
      for (let k = 0; k < seed % 9; k++) {
        x = (x * 48271) % 2147483647;
        cuts.add(1 + (x % (WIRE.length - 1)));
      }
      cutsList.push([...cuts].sort((a, b) => a - b));
    }
    for (const cuts of cutsList) {
      const events = parse(rewrite(cuts));
      expect(meaning(events), `cuts at ${cuts.join(",")}`).toEqual(expected);
    }
  });

  it("merges text deltas that arrive together, never across an annotation or another message", () => {
    const events = parse(rewrite([]));
    const deltas = events
      .filter((e) => e.event === "thread.message.delta")
      .map((e) => JSON.parse(e.data) as { id: string; delta: { content: { text: { value: string } }[] } });
    expect(deltas.map((d) => d.id)).toEqual(["msg_1", "msg_1", "msg_1", "msg_2"]);
    expect(deltas[0]!.delta.content[0]!.text.value).toBe(
      Array.from({ length: 40 }, (_, i) => `wörd${i} `).join(""),
    );
    expect(deltas[1]!.delta.content[0]!.text.value).toBe("【4:0†source】");
  });

  it("passes a stream with nothing to merge byte for byte, in pieces of about PIECE_BYTES cut at event ends", () => {
    const plain = new TextEncoder().encode(
      Array.from({ length: 200 }, (_, i) => `event: thread.run.step.delta\ndata: {"n":${i}}\n\n`).join(""),
    );
    const pieces = createRechunker()(plain);
    expect(Buffer.concat(pieces).equals(Buffer.from(plain))).toBe(true);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(PIECE_BYTES);
      expect(new TextDecoder().decode(p)).toMatch(/\n\n$/);
    }
  });
});
