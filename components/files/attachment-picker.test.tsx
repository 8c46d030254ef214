// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { useState } from "react";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createPlaygroundClient } from "@/lib/client/sdk";
import type { ClientScope } from "@/lib/client/queries/scope";
import { AttachmentPicker, type MessageAttachment } from "./attachment-picker";

afterEach(cleanup);

const FILES = [
  {
    id: "assistant-md",
    object: "file",
    bytes: 10,
    created_at: 1,
    filename: "guide.md",
    purpose: "assistants",
    status: "processed",
  },
  {
    id: "assistant-csv",
    object: "file",
    bytes: 20,
    created_at: 2,
    filename: "sales.csv",
    purpose: "assistants",
    status: "processed",
  },
  {
    id: "assistant-sh",
    object: "file",
    bytes: 30,
    created_at: 3,
    filename: "deploy.sh",
    purpose: "assistants",
    status: "processed",
  },
];

function scope(): ClientScope {
  const connection = { name: "local", apiVersion: "2024-05-01-preview" };
  const fetchImpl: typeof fetch = async (input) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const purpose = url.searchParams.get("purpose");
    const data = FILES.filter((f) => !purpose || f.purpose === purpose);
    return new Response(
      JSON.stringify({ object: "list", data, first_id: "", last_id: "", has_more: false }),
      {
        headers: { "content-type": "application/json" },
      },
    );
  };
  return {
    client: createPlaygroundClient(connection, { origin: "http://localhost", fetch: fetchImpl }),
    connection,
  };
}

function Harness() {
  const [value, setValue] = useState<MessageAttachment[]>([]);
  return (
    <>
      <AttachmentPicker scope={scope()} value={value} onChange={setValue} />
      <output aria-label="Attachments JSON">{JSON.stringify(value)}</output>
    </>
  );
}

const json = () =>
  JSON.parse(
    screen.getByRole("status", { name: "Attachments JSON" }).textContent ?? "[]",
  ) as MessageAttachment[];

describe("AttachmentPicker", () => {
  it("presets each file's tools from its type, lets them be changed, and warns when none is left", async () => {
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <Harness />
      </QueryClientProvider>,
    );
    const list = await screen.findByRole("list", { name: "Attachments: existing files" });
    fireEvent.click(await within(list).findByRole("checkbox", { name: /guide\.md/ }));
    fireEvent.click(within(list).getByRole("checkbox", { name: /sales\.csv/ }));
    fireEvent.click(within(list).getByRole("checkbox", { name: /deploy\.sh/ }));
    expect(json()).toEqual([
      { file_id: "assistant-md", tools: [{ type: "code_interpreter" }, { type: "file_search" }] },
      { file_id: "assistant-csv", tools: [{ type: "code_interpreter" }] },
      { file_id: "assistant-sh", tools: [{ type: "file_search" }] },
    ]);
    // A CSV cannot be searched: its file-search box is disabled.
    expect(
      (screen.getByRole("checkbox", { name: "File search for sales.csv" }) as HTMLInputElement).disabled,
    ).toBe(true);

    fireEvent.click(screen.getByRole("checkbox", { name: "Code interpreter for guide.md" }));
    expect(json()[0]).toEqual({ file_id: "assistant-md", tools: [{ type: "file_search" }] });
    fireEvent.click(screen.getByRole("checkbox", { name: "File search for guide.md" }));
    expect(json()[0]).toEqual({ file_id: "assistant-md", tools: [] });
    expect(screen.getByRole("alert").textContent).toContain(
      "Choose at least one tool for this file, or remove it.",
    );

    fireEvent.click(screen.getByRole("button", { name: "Remove guide.md" }));
    expect(json().map((a) => a.file_id)).toEqual(["assistant-csv", "assistant-sh"]);
  });
});
