/**
 * The scripted model's text answers: a markdown reply shaped by the instructions and the question,
 * answers built on submitted function outputs, and JSON for `response_format`.
 */
import type { ModelRunContext, ResponseFormat } from "../types";
import { isGreeting } from "./intents";
import type { MessageBuilder } from "./message";
import { sampleFromSchema } from "./schema-sample";
import { clip, firstSentence, inlineMarkdown, keywords, sentences } from "./text";

export const SCRIPTED_NOTE =
  "_Answered by the local engine's scripted model: it restates your question and instructions in a fixed, deterministic shape. It is not a language model._";

/** "You are X" from the instructions, if they set a persona. */
export function personaOf(instructions: string): string | undefined {
  const m = /\byou\s+are\s+([^.!?\n]{2,120})/i.exec(instructions);
  return m?.[1]?.trim();
}

/** Instruction sentences that read like rules (always/never/must/answer in …), at most `max`. */
export function rulesOf(instructions: string, max = 3): string[] {
  return sentences(instructions)
    .filter((s) => !/^\s*you\s+are\b/i.test(s) && !/\b\d+\.$/.test(s))
    .filter((s) =>
      /\b(always|never|must|should|do not|don't|avoid|only|use|answer|respond|reply|keep|be|write|include|prefer)\b/i.test(
        s,
      ),
    )
    .slice(0, max)
    .map((s) => clip(s, 160));
}

function kindOfQuestion(q: string): string {
  const t = q.trim().toLowerCase();
  if (/^how\b/.test(t)) return "a how-to question";
  if (/^why\b/.test(t)) return "a question about causes";
  if (/^(what|which|who|where|when)\b/.test(t)) return "a factual question";
  if (/^(is|are|can|could|does|do|did|should|will|would)\b/.test(t)) return "a yes/no question";
  if (/\?\s*$/.test(t)) return "a question";
  return "a request";
}

function title(q: string): string {
  const t = firstSentence(q, 70).replace(/[#*_`]/g, "");
  return t || "Your message";
}

export interface PlainAnswerNotes {
  /** Sentences to add under "Notes" (e.g. why no tool ran). */
  notes?: string[];
}

export function writePlainAnswer(
  msg: MessageBuilder,
  ctx: Pick<ModelRunContext, "instructions" | "messages">,
  question: string,
  extra: PlainAnswerNotes = {},
): void {
  const persona = personaOf(ctx.instructions);
  const rules = rulesOf(ctx.instructions);
  const topics = [...new Set(keywords(question))].slice(0, 6);
  const userMessages = ctx.messages.filter((m) => m.role === "user");
  const last = userMessages[userMessages.length - 1];
  const earlier = userMessages[userMessages.length - 2];

  if (isGreeting(question)) {
    msg.text(
      `Hello! ${persona ? `I'm set up as ${inlineMarkdown(persona)}.` : "No instructions are set for this assistant."} Ask me something and I'll answer in the scripted model's fixed format.\n\n${SCRIPTED_NOTE}`,
    );
    return;
  }

  msg.text(`## ${inlineMarkdown(title(question))}\n\n`);
  if (ctx.instructions.trim()) {
    msg.text(
      `Following your instructions — “${inlineMarkdown(firstSentence(ctx.instructions, 200))}” — here is my answer${persona ? ` as ${inlineMarkdown(persona)}` : ""}.\n\n`,
    );
  } else {
    msg.text("This assistant has no instructions, so here is a general answer.\n\n");
  }
  msg.text(`### Your question\n\n> ${inlineMarkdown(clip(question || "(empty message)", 400))}\n\n`);
  msg.text("### Key points\n\n");
  msg.text(
    `- **Kind:** ${kindOfQuestion(question)}${topics.length ? ` about ${topics.map((t) => `*${t}*`).join(", ")}` : ""}.\n`,
  );
  if (rules.length)
    msg.text(`- **Rules I keep to:** ${rules.map((r) => `“${inlineMarkdown(r)}”`).join("; ")}\n`);
  if (last && last.imageFileIds.length)
    msg.text(
      `- **Images:** you attached ${last.imageFileIds.length} image(s); the scripted model cannot look at images.\n`,
    );
  if (last && last.attachments.length)
    msg.text(`- **Attachments:** ${last.attachments.length} file(s) came with your message.\n`);
  if (earlier?.text.trim())
    msg.text(`- **Earlier in this thread** you asked: “${inlineMarkdown(clip(earlier.text, 120))}”\n`);
  for (const n of extra.notes ?? []) msg.text(`- ${n}\n`);
  msg.text("\n| Aspect | Detail |\n| --- | --- |\n");
  msg.text(`| Persona | ${persona ? inlineMarkdown(clip(persona, 80)) : "none set"} |\n`);
  msg.text(`| Messages in the conversation | ${ctx.messages.length} |\n`);
  msg.text(`| Words in your question | ${question.split(/\s+/).filter(Boolean).length} |\n\n`);
  msg.text(SCRIPTED_NOTE);
}

function parseMaybeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function summarise(value: unknown, max = 8): string[] {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>)
      .slice(0, max)
      .map(
        ([k, v]) =>
          `**${inlineMarkdown(k)}**: ${inlineMarkdown(clip(typeof v === "string" ? v : JSON.stringify(v), 160))}`,
      );
  }
  if (Array.isArray(value))
    return value
      .slice(0, max)
      .map((v) => inlineMarkdown(clip(typeof v === "string" ? v : JSON.stringify(v), 160)));
  return [inlineMarkdown(clip(String(value), 400))];
}

export function writeFunctionResultsAnswer(
  msg: MessageBuilder,
  question: string,
  calls: ModelRunContext["priorFunctionCalls"],
): void {
  msg.text(
    `Here is what ${calls.length === 1 ? "the function" : "the functions"} returned for “${inlineMarkdown(clip(question, 120))}”:\n\n`,
  );
  for (const call of calls) {
    msg.text(
      `### \`${call.name}\`\n\nCalled with \`${clip(call.arguments, 200).replace(/`/g, "'")}\`; it returned:\n\n`,
    );
    const lines = summarise(parseMaybeJson(call.output));
    msg.text(`${lines.map((l) => `- ${l}`).join("\n")}\n\n`);
  }
  const gists = calls.map((call) => {
    const gist = summarise(parseMaybeJson(call.output), 3)
      .map((l) => l.replace(/\*\*/g, ""))
      .join(", ");
    const args = parseMaybeJson(call.arguments);
    // Label each result by its first string argument ("Paris") so parallel calls stay apart.
    const label =
      args && typeof args === "object" && !Array.isArray(args)
        ? Object.values(args as Record<string, unknown>).find((v): v is string => typeof v === "string")
        : undefined;
    return `${calls.length > 1 ? `${inlineMarkdown(clip(label ?? call.name, 40))} — ` : ""}${gist || "nothing returned"}`;
  });
  msg.text(`**In short:** ${gists.join("; ")}.\n\n${SCRIPTED_NOTE}`);
}

export function isJsonFormat(format: ResponseFormat): boolean {
  return typeof format === "object" && (format.type === "json_object" || format.type === "json_schema");
}

/** The JSON text for a json_object / json_schema answer, filled from the facts we have. */
export function jsonAnswer(format: ResponseFormat, question: string, facts: Record<string, unknown>): string {
  if (typeof format === "object" && format.type === "json_schema") {
    const value = sampleFromSchema(format.json_schema.schema ?? { type: "object" }, {
      text: question,
      known: facts,
    });
    return JSON.stringify(value, null, 2);
  }
  return JSON.stringify(facts, null, 2);
}
