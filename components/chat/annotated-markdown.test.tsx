// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import type { Annotation } from "openai/resources/beta/threads/messages";
import { prepareAnnotatedText } from "@/lib/client/chat/annotations";
import { Markdown } from "./markdown";

afterEach(cleanup);

function renderAnswer(text: string, annotations: Annotation[]) {
  const prepared = prepareAnnotatedText(text, annotations);
  render(
    <Markdown
      text={prepared.markdown}
      links={{
        citations: prepared.citations,
        anchorPrefix: "msg_1-0-",
        renderFile: (fileId, children) => (
          <button type="button" data-file={fileId} data-name={prepared.files[fileId]}>
            {children}
          </button>
        ),
      }}
    />,
  );
  return prepared;
}

describe("annotated answers", () => {
  it("renders file_citation markers as numbered citation links, never the raw marker", () => {
    const text = "Spring tides come at full moon【4:0†source】.";
    const marker = "【4:0†source】";
    const start = text.indexOf(marker);
    renderAnswer(text, [
      {
        type: "file_citation",
        text: marker,
        start_index: start,
        end_index: start + marker.length,
        file_citation: { file_id: "file_tides" },
      },
    ]);
    const link = screen.getByRole("link", { name: "Citation 1" });
    expect(link.getAttribute("href")).toBe("#msg_1-0-cite-1");
    expect(link.textContent).toBe("[1]");
    expect(link.closest("sup")).not.toBeNull();
    expect(document.body.textContent).not.toContain("【");
  });

  it("renders a file_path link as the app's download, named after the file, not a sandbox URL", () => {
    const text = "Done: [Download results.csv](sandbox:/mnt/data/results.csv)";
    const span = "sandbox:/mnt/data/results.csv";
    const start = text.indexOf(span);
    renderAnswer(text, [
      {
        type: "file_path",
        text: span,
        start_index: start,
        end_index: start + span.length,
        file_path: { file_id: "file_out" },
      },
    ]);
    const download = screen.getByRole("button", { name: "Download results.csv" });
    expect(download.getAttribute("data-file")).toBe("file_out");
    expect(download.getAttribute("data-name")).toBe("results.csv");
    expect(document.querySelector("a[href^='sandbox:']")).toBeNull();
  });

  it("renders GFM tables and task lists", () => {
    renderAnswer("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo", []);
    expect(screen.getByRole("table")).toBeTruthy();
    expect(screen.getByRole("checkbox", { name: "Done" })).toBeTruthy();
    expect(screen.getByRole("checkbox", { name: "Not done" })).toBeTruthy();
  });
});
