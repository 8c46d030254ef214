import { describe, expect, it } from "vitest";
import type { Annotation } from "openai/resources/beta/threads/messages";
import { prepareAnnotatedText, streamWithoutMarkers } from "./annotations";

function citation(text: string, whole: string, fileId: string, quote?: string): Annotation {
  const start = whole.indexOf(text);
  return {
    type: "file_citation",
    text,
    start_index: start,
    end_index: start + text.length,
    file_citation: { file_id: fileId, ...(quote ? { quote } : {}) },
  } as Annotation;
}

describe("prepareAnnotatedText", () => {
  it("numbers file_citation markers in order and keeps file and quote", () => {
    const text = "Cats sleep a lot【3:0†source】. Dogs bark【3:1†source】.";
    const result = prepareAnnotatedText(text, [
      citation("【3:1†source】", text, "file_b", "Dogs bark at night."),
      citation("【3:0†source】", text, "file_a", "Cats sleep 16 hours."),
    ]);
    expect(result.markdown).toBe("Cats sleep a lot[1](#citation-1). Dogs bark[2](#citation-2).");
    expect(result.citations).toEqual([
      { n: 1, fileId: "file_a", quote: "Cats sleep 16 hours." },
      { n: 2, fileId: "file_b", quote: "Dogs bark at night." },
    ]);
  });

  it("rewrites a sandbox file_path link to a download link with the file's name", () => {
    const text = "Here it is: [Download data.csv](sandbox:/mnt/data/data.csv) — enjoy.";
    const span = "sandbox:/mnt/data/data.csv";
    const start = text.indexOf(span);
    const result = prepareAnnotatedText(text, [
      {
        type: "file_path",
        text: span,
        start_index: start,
        end_index: start + span.length,
        file_path: { file_id: "file_9" },
      },
    ]);
    expect(result.markdown).toBe("Here it is: [Download data.csv](#file-file_9) — enjoy.");
    expect(result.files).toEqual({ file_9: "data.csv" });
  });

  it("turns a bare sandbox path into a link named after the file", () => {
    const text = "Saved to sandbox:/mnt/data/out.json";
    const span = "sandbox:/mnt/data/out.json";
    const result = prepareAnnotatedText(text, [
      {
        type: "file_path",
        text: span,
        start_index: 9,
        end_index: 9 + span.length,
        file_path: { file_id: "file_2" },
      },
    ]);
    expect(result.markdown).toBe("Saved to [out.json](#file-file_2)");
  });

  it("finds a span by its text when the indexes are off, and drops nothing when it cannot", () => {
    const text = "Fact【1:0†source】";
    const off = { ...citation("【1:0†source】", text, "file_a"), start_index: 0, end_index: 3 } as Annotation;
    expect(prepareAnnotatedText(text, [off]).markdown).toBe("Fact[1](#citation-1)");
    const missing = { ...off, text: "【9:9†source】" } as Annotation;
    expect(prepareAnnotatedText(text, [missing]).markdown).toBe(text);
  });
});

describe("streamWithoutMarkers", () => {
  /** The text shown after each delta, and what is held back at the end. */
  function stream(deltas: string[]): { shown: string; held: string } {
    let shown = "";
    let held = "";
    for (const delta of deltas) {
      const next = streamWithoutMarkers(held, delta);
      shown += next.text;
      held = next.held;
    }
    return { shown, held };
  }

  it("drops whole markers and holds back one that is not finished yet", () => {
    expect(stream(["See the guide【3:0†guide.md】."])).toEqual({ shown: "See the guide.", held: "" });
    expect(stream(["See【", "3", ":0", "†gui", "de.md", "】 now"])).toEqual({ shown: "See now", held: "" });
    expect(stream(["See the guide【3:0†gui"])).toEqual({ shown: "See the guide", held: "【3:0†gui" });
    expect(stream(["Two【1†a】【2:1†b】 sources"])).toEqual({ shown: "Two sources", held: "" });
  });

  it("lets CJK brackets that are not markers through, and releases a held start that turns out not to be one", () => {
    expect(stream(["【重要】お知らせ"])).toEqual({ shown: "【重要】お知らせ", held: "" });
    expect(stream(["see 【", "note】 here"])).toEqual({ shown: "see 【note】 here", held: "" });
    expect(stream(["line【4:0\nnext"])).toEqual({ shown: "line【4:0\nnext", held: "" });
  });
});
