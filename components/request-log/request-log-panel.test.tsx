// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { requestLog, recordManually } from "@/lib/client/request-log";
import { RequestLogPanel } from "./request-log-panel";

afterEach(() => {
  cleanup();
  requestLog.clear();
});

const labels = (buttons: HTMLElement[]) =>
  buttons.map((b) => (b.getAttribute("aria-label") ?? "").replace(/, [\d.]+ m?s$/, ""));

function seed() {
  const created = recordManually({
    method: "POST",
    url: "http://app.test/api/openai/assistants?api-version=2024-05-01-preview",
    headers: { "api-key": "unused", "content-type": "application/json", "x-playground-connection": "local" },
    body: JSON.stringify({ model: "gpt-4o", name: "Alpha" }),
  });
  created.done({ status: 200, headers: { "content-type": "application/json" }, body: '{"id":"asst_alpha"}' });
  const missing = recordManually({
    method: "GET",
    url: "http://app.test/api/openai/threads/thread_gone?api-version=2024-05-01-preview",
  });
  missing.done({
    status: 404,
    headers: { "content-type": "application/json" },
    body: '{"error":{"code":"not_found"}}',
  });
  const form = new FormData();
  form.set("purpose", "assistants");
  form.set("file", new File(["secret bytes"], "notes.md", { type: "text/markdown" }));
  recordManually({ method: "POST", url: "/api/openai/files", body: form }).failed(new Error("aborted"));
}

describe("RequestLogPanel", () => {
  it("lists calls newest first, filters them, and expands one with its redacted headers and bodies", () => {
    seed();
    render(<RequestLogPanel />);
    const list = screen.getByRole("list", { name: "Requests, newest first" });
    const rows = within(list).getAllByRole("button");
    expect(labels(rows)).toEqual([
      "POST /files — failed",
      "GET /threads/thread_gone — 404",
      "POST /assistants — 200",
    ]);
    expect(screen.getByRole("status").textContent).toBe("3 requests");

    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "4xx" } });
    expect(labels(within(list).getAllByRole("button"))).toEqual(["GET /threads/thread_gone — 404"]);
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "all" } });
    fireEvent.change(screen.getByLabelText("Method"), { target: { value: "POST" } });
    fireEvent.change(screen.getByLabelText("Filter requests"), { target: { value: "alpha" } });
    const only = within(screen.getByRole("list", { name: "Requests, newest first" })).getAllByRole("button");
    expect(labels(only)).toEqual(["POST /assistants — 200"]);
    expect(screen.getByRole("status").textContent).toBe("1 of 3 requests");

    fireEvent.click(only[0]!);
    expect(only[0]!.getAttribute("aria-expanded")).toBe("true");
    const panel = screen.getByRole("region", { name: "Request log" });
    expect(panel.textContent).toContain("[redacted]");
    expect(panel.textContent).not.toContain("unused");
    expect(panel.textContent).toContain('"name": "Alpha"');
    expect(panel.textContent).toContain("asst_alpha");
  });

  it("summarises uploads without their bytes, and clears", () => {
    seed();
    render(<RequestLogPanel />);
    fireEvent.click(screen.getByRole("button", { name: /^POST \/files — failed/ }));
    const panel = screen.getByRole("region", { name: "Request log" });
    expect(panel.textContent).toContain("file “notes.md” (text/markdown, 12 bytes; bytes not recorded)");
    expect(panel.textContent).not.toContain("secret bytes");
    fireEvent.click(screen.getByRole("button", { name: "Clear" }));
    expect(screen.getByText(/No requests yet/)).toBeTruthy();
  });

  it("shows a call the page gave up on as cancelled, in grey, and leaves it out of Failed", () => {
    recordManually({ method: "GET", url: "/api/openai/threads/thread_1/messages" }).cancelled();
    recordManually({ method: "GET", url: "/api/openai/threads/thread_2/messages" }).failed(
      new TypeError("fetch failed"),
    );
    render(<RequestLogPanel />);
    const list = screen.getByRole("list", { name: "Requests, newest first" });
    expect(labels(within(list).getAllByRole("button"))).toEqual([
      "GET /threads/thread_2/messages — failed",
      "GET /threads/thread_1/messages — cancelled",
    ]);
    fireEvent.click(screen.getByRole("button", { name: /cancelled/ }));
    expect(screen.getByText(/^Cancelled before the answer came/).className).toContain("text-slate-700");
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "failed" } });
    expect(labels(within(list).getAllByRole("button"))).toEqual(["GET /threads/thread_2/messages — failed"]);
  });
});
