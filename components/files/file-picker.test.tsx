// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { useState } from "react";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createPlaygroundClient } from "@/lib/client/sdk";
import type { ClientScope } from "@/lib/client/queries/scope";
import { FilePicker } from "./file-picker";

afterEach(cleanup);

const FILES = [
  {
    id: "assistant-a",
    object: "file",
    bytes: 10,
    created_at: 1,
    filename: "alpha.md",
    purpose: "assistants",
    status: "processed",
  },
  {
    id: "assistant-b",
    object: "file",
    bytes: 20,
    created_at: 2,
    filename: "beta.txt",
    purpose: "assistants",
    status: "processed",
  },
  {
    id: "assistant-c",
    object: "file",
    bytes: 30,
    created_at: 3,
    filename: "gamma.md",
    purpose: "assistants",
    status: "processed",
  },
  {
    id: "assistant-d",
    object: "file",
    bytes: 40,
    created_at: 4,
    filename: "table.csv",
    purpose: "assistants",
    status: "processed",
  },
];

function scopeWith(requests: string[]): ClientScope {
  const connection = { name: "local", apiVersion: "2024-05-01-preview" };
  const fetchImpl: typeof fetch = async (input) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    requests.push(`${url.pathname}?${url.searchParams.toString()}`);
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

function Harness({ scope, max }: { scope: ClientScope; max: number }) {
  const [ids, setIds] = useState<string[]>([]);
  return (
    <>
      <FilePicker scope={scope} value={ids} onChange={setIds} max={max} use="file_search" label="Knowledge" />
      <output aria-label="Chosen">{ids.join(",")}</output>
    </>
  );
}

function renderPicker(max: number) {
  const requests: string[] = [];
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <Harness scope={scopeWith(requests)} max={max} />
    </QueryClientProvider>,
  );
  return requests;
}

describe("FilePicker", () => {
  it("lists the files the tool accepts, searches, and stops at the maximum with a message", async () => {
    const requests = renderPicker(2);
    const list = await screen.findByRole("list", { name: "Knowledge: existing files" });
    await within(list).findByRole("checkbox", { name: /alpha\.md/ });
    // .csv is not a file-search type.
    expect(within(list).queryByRole("checkbox", { name: /table\.csv/ })).toBeNull();
    expect(requests[0]).toContain("purpose=assistants");

    fireEvent.change(screen.getByRole("searchbox", { name: "Search files" }), { target: { value: "BETA" } });
    expect(within(list).getAllByRole("checkbox")).toHaveLength(1);
    fireEvent.change(screen.getByRole("searchbox", { name: "Search files" }), { target: { value: "" } });

    fireEvent.click(within(list).getByRole("checkbox", { name: /alpha\.md/ }));
    fireEvent.click(within(list).getByRole("checkbox", { name: /beta\.txt/ }));
    expect(screen.getByRole("status", { name: "Chosen" }).textContent).toBe("assistant-a,assistant-b");
    expect(screen.getByText("2 of at most 2 selected")).toBeTruthy();
    fireEvent.click(within(list).getByRole("checkbox", { name: /gamma\.md/ }));
    expect(screen.getByRole("alert").textContent).toContain(
      "At most 2 files can be selected. Unselect one first.",
    );
    expect(screen.getByRole("status", { name: "Chosen" }).textContent).toBe("assistant-a,assistant-b");

    fireEvent.click(within(list).getByRole("checkbox", { name: /alpha\.md/ }));
    expect(screen.getByRole("status", { name: "Chosen" }).textContent).toMatch(/^assistant-b$/);
  });

  it("filters by purpose on the server", async () => {
    const requests = renderPicker(20);
    await screen.findByRole("checkbox", { name: /alpha\.md/ });
    fireEvent.change(screen.getByRole("combobox", { name: "Purpose" }), { target: { value: "" } });
    await waitFor(() => expect(requests.some((r) => !r.includes("purpose="))).toBe(true));
  });

  it("refuses a wrong type on upload with the accepted types, sending nothing", async () => {
    const requests = renderPicker(20);
    await screen.findByRole("checkbox", { name: /alpha\.md/ });
    const before = requests.length;
    const input = screen.getByLabelText("Upload new");
    fireEvent.change(input, { target: { files: [new File(["a,b"], "data.csv")] } });
    const row = await screen.findByRole("listitem", { name: /^Upload data\.csv at / });
    expect(row.textContent).toContain(".csv files are not supported for file search. Accepted types:");
    expect(requests.length).toBe(before);
  });
});
