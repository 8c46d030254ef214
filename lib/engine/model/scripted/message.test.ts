import { describe, expect, it } from "vitest";
import { MessageBuilder, chunkText, messageEvents } from "./message";

describe("chunkText", () => {
  it("splits into word-sized chunks that join back to the exact text", () => {
    const value = "  ## Title\n\n```python\nx = 1\n    y = 2\n```\n\n| a | b |\nend  ";
    const chunks = chunkText(value);
    expect(chunks.join("")).toBe(value);
    for (const c of chunks.slice(1)) expect(c.trim()).not.toMatch(/\s/);
  });
});

describe("messageEvents", () => {
  it("keeps annotation indexes per text part and emits each after the text it covers", () => {
    const msg = new MessageBuilder()
      .image("file-img")
      .text("See ")
      .filePath("sandbox:/mnt/data/a.csv", "file-a")
      .text(" and the quote ")
      .citation("【3:0†source】", "file-b", "the quote");
    const events = messageEvents(msg.parts);
    expect(events[0]).toEqual({ type: "message.start" });
    expect(events[1]).toEqual({ type: "message.image", file_id: "file-img" });
    expect(events.at(-1)).toEqual({ type: "message.end" });

    let value = "";
    for (const e of events) {
      if (e.type === "message.text") value += e.value;
      if (e.type === "message.annotation") {
        expect(value.length).toBeGreaterThanOrEqual(e.annotation.end_index);
        expect(value.slice(e.annotation.start_index, e.annotation.end_index)).toBe(e.annotation.text);
      }
    }
    expect(value).toBe("See sandbox:/mnt/data/a.csv and the quote 【3:0†source】");
    expect(events.filter((e) => e.type === "message.annotation")).toHaveLength(2);
  });

  it("starts new indexes after an image part", () => {
    const msg = new MessageBuilder()
      .text("first part ")
      .image("img")
      .text("x ")
      .citation("【1†source】", "f");
    const [ann] = messageEvents(msg.parts).flatMap((e) =>
      e.type === "message.annotation" ? [e.annotation] : [],
    );
    expect(ann).toMatchObject({ start_index: 2, end_index: 2 + "【1†source】".length });
  });
});
