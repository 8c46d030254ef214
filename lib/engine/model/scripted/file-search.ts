/**
 * File search answers: the best sentences of the engine's search hits, each followed by a
 * `【n:m†source】` marker whose file_citation annotation covers exactly the marker.
 */
import type { FileSearchHit } from "../types";
import type { MessageBuilder } from "./message";
import { clip, inlineMarkdown, keywords, sentences } from "./text";

export const DEFAULT_MAX_RESULTS = 20;
const QUOTES = 3;

/** The sentences of a hit that share the most words with the question, in their original order. */
export function bestPassage(hit: FileSearchHit, question: string, maxChars = 300): string {
  const q = new Set(keywords(question));
  const all = sentences(hit.text);
  if (all.length === 0) return clip(hit.text, maxChars);
  const scored = all.map((s, i) => ({ s, i, score: keywords(s).filter((w) => q.has(w)).length }));
  const best = [...scored].sort((a, b) => b.score - a.score || a.i - b.i)[0]!;
  let passage = best.s;
  const next = all[best.i + 1];
  if (next && passage.length + next.length + 1 <= maxChars && (scored[best.i + 1]?.score ?? 0) > 0)
    passage += ` ${next}`;
  return clip(passage, maxChars);
}

/**
 * Writes the answer into `msg`. `stepIndex` is the n in 【n:m†source】 (the real service numbers
 * its search turns; any stable number serves), m is the hit's index in the tool call's results.
 */
export function writeFileSearchAnswer(
  msg: MessageBuilder,
  question: string,
  hits: FileSearchHit[],
  stepIndex: number,
): void {
  const chosen: { hit: FileSearchHit; index: number }[] = [];
  const seen = new Set<string>();
  hits.forEach((hit, index) => {
    const key = `${hit.file_id}\u0000${hit.text}`;
    if (chosen.length < QUOTES && !seen.has(key) && hit.text.trim()) {
      seen.add(key);
      chosen.push({ hit, index });
    }
  });
  msg.text(`Here is what your files say about “${inlineMarkdown(clip(question, 120))}”:\n\n`);
  chosen.forEach(({ hit, index }, i) => {
    const quote = bestPassage(hit, question);
    msg.text(`${i + 1}. “${inlineMarkdown(quote)}” `);
    msg.citation(`【${stepIndex}:${index}†source】`, hit.file_id, quote);
    msg.text(` — *${inlineMarkdown(hit.file_name)}*\n`);
  });
  const files = [...new Set(chosen.map((c) => c.hit.file_name))];
  msg.text(
    `\n**Sources:** ${files.map((f) => inlineMarkdown(f)).join(", ")}. These are the passages that best match the words of your question (${hits.length} search result${hits.length === 1 ? "" : "s"} in all); I quote them rather than interpret them.`,
  );
}

export function writeNoHitsAnswer(msg: MessageBuilder, question: string): void {
  msg.text(
    `I searched the files available to this assistant and thread for “${inlineMarkdown(clip(question, 120))}” and found no passage that matches, so I can't answer from them.\n\n` +
      "Check that the files finished processing in the vector store, or ask with words that appear in the documents.",
  );
}
