// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import type { Message } from "openai/resources/beta/threads/messages";
import { appendMarkdown, emptyBlocks } from "@/lib/client/markdown-blocks";
import type { StreamMessage } from "@/lib/client/run-stream-state";
import { ChatMessage } from "./message-view";

afterEach(cleanup);

const TEXT = [
  "## Adding fractions\n\n",
  "Find a **common** denominator, then add the numerators and keep the denominator. ",
  "Plain words follow, many of them, as an answer streams in one long paragraph.",
].join("");

function streamed(text: string, status = "in_progress"): StreamMessage {
  let blocks = emptyBlocks;
  for (const word of text.match(/\S+\s*/g)!) blocks = appendMarkdown(blocks, word);
  return { id: "msg_1", status, parts: [{ type: "text", index: 0, blocks }] };
}

function finished(text: string): Message {
  return {
    id: "msg_1",
    object: "thread.message",
    created_at: 1,
    thread_id: "thread_1",
    status: "completed",
    role: "assistant",
    content: [{ type: "text", text: { value: text, annotations: [] } }],
    assistant_id: "asst_1",
    run_id: "run_1",
    attachments: [],
    metadata: {},
    completed_at: 2,
    incomplete_at: null,
    incomplete_details: null,
  };
}

describe("ChatMessage", () => {
  it("keeps a streamed answer's DOM when the thread's copy of it takes its place", async () => {
    const view = render(
      <div>
        <ChatMessage key="msg_1" streamed={streamed(TEXT)} scope={null} />
      </div>,
    );
    const heading = await screen.findByRole("heading", { name: "Adding fractions" });
    const paragraph = screen.getByText(/Plain words follow/);
    expect(screen.getByRole("article").getAttribute("aria-busy")).toBe("true");

    view.rerender(
      <div>
        <ChatMessage key="msg_1" message={finished(TEXT)} scope={null} />
      </div>,
    );
    expect(screen.getByRole("article").getAttribute("aria-busy")).toBeNull();
    // The same elements, not a copy built again: React kept them.
    expect(screen.getByRole("heading", { name: "Adding fractions" })).toBe(heading);
    expect(screen.getByText(/Plain words follow/)).toBe(paragraph);
    expect(paragraph.textContent).toContain("as an answer streams in one long paragraph.");
    expect(screen.getByText("common").tagName).toBe("STRONG");
  });

  it("shows the thread's text when it differs from what streamed", async () => {
    const view = render(<ChatMessage streamed={streamed("Half an answer")} scope={null} />);
    await screen.findByText(/Half an answer/);
    view.rerender(<ChatMessage message={finished("The whole *answer*, corrected.")} scope={null} />);
    expect(await screen.findByText("answer")).toBeTruthy();
    expect(screen.getByRole("article").textContent).toContain("The whole answer, corrected.");
    expect(screen.queryByText(/Half an answer/)).toBeNull();
  });
});
