/**
 * Builds an assistant message (text parts, image parts, annotations with exact indexes) and turns
 * it into the `message.*` events the engine streams, one word-sized `message.text` delta at a time.
 */
import type { ModelEvent, PlannedAnnotation } from "../types";

export type MessagePart =
  { kind: "text"; value: string; annotations: PlannedAnnotation[] } | { kind: "image"; file_id: string };

export class MessageBuilder {
  readonly parts: MessagePart[] = [];

  private current(): Extract<MessagePart, { kind: "text" }> {
    const last = this.parts[this.parts.length - 1];
    if (last?.kind === "text") return last;
    const part: MessagePart = { kind: "text", value: "", annotations: [] };
    this.parts.push(part);
    return part;
  }

  text(value: string): this {
    if (value) this.current().value += value;
    return this;
  }

  /** Appends a citation marker such as `【4:0†source】`, annotated with the cited file and quote. */
  citation(marker: string, fileId: string, quote?: string): this {
    const part = this.current();
    const start = part.value.length;
    part.value += marker;
    part.annotations.push({
      type: "file_citation",
      text: marker,
      start_index: start,
      end_index: part.value.length,
      file_id: fileId,
      ...(quote !== undefined ? { quote } : {}),
    });
    return this;
  }

  /** Appends `sandbox:/mnt/data/<name>`, annotated as a path to the generated file. */
  filePath(sandboxPath: string, fileId: string): this {
    const part = this.current();
    const start = part.value.length;
    part.value += sandboxPath;
    part.annotations.push({
      type: "file_path",
      text: sandboxPath,
      start_index: start,
      end_index: part.value.length,
      file_id: fileId,
    });
    return this;
  }

  image(fileId: string): this {
    this.parts.push({ kind: "image", file_id: fileId });
    return this;
  }

  /** The whole text of the message (text parts joined), for JSON answers and tests. */
  plainText(): string {
    return this.parts.map((p) => (p.kind === "text" ? p.value : "")).join("\n\n");
  }
}

/** Word-sized chunks: each word with its trailing whitespace (leading whitespace on its own). */
export function chunkText(value: string): string[] {
  return value.match(/^\s+|\S+\s*/g) ?? [];
}

/** The events for one message; each annotation follows the delta that completes its text. */
export function messageEvents(parts: MessagePart[]): ModelEvent[] {
  const events: ModelEvent[] = [{ type: "message.start" }];
  for (const part of parts) {
    if (part.kind === "image") {
      events.push({ type: "message.image", file_id: part.file_id });
      continue;
    }
    const pending = [...part.annotations].sort(
      (a, b) => a.end_index - b.end_index || a.start_index - b.start_index,
    );
    let emitted = 0;
    for (const chunk of chunkText(part.value)) {
      events.push({ type: "message.text", value: chunk });
      emitted += chunk.length;
      while (pending.length > 0 && pending[0]!.end_index <= emitted)
        events.push({ type: "message.annotation", annotation: pending.shift()! });
    }
    for (const a of pending) events.push({ type: "message.annotation", annotation: a });
  }
  events.push({ type: "message.end" });
  return events;
}
