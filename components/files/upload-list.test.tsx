// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import type { FileObject } from "openai/resources/files";
import type { UploadItem } from "@/lib/client/files/use-uploads";
import { UploadList } from "./upload-list";

afterEach(cleanup);

const file = (id: string): FileObject =>
  ({
    id,
    object: "file",
    bytes: 5,
    created_at: 1,
    filename: "notes.md",
    purpose: "assistants",
  }) as FileObject;

const item = (key: string, startedAt: number, created: FileObject | null): UploadItem => ({
  key,
  name: "notes.md",
  size: 5,
  loaded: 5,
  status: created ? "done" : "uploading",
  error: null,
  file: created,
  startedAt,
});

describe("UploadList", () => {
  it("tells two uploads of the same name apart: the time each was chosen and the id each became", () => {
    const first = new Date(2026, 0, 5, 14, 3, 9).getTime();
    const second = new Date(2026, 0, 5, 14, 7, 30).getTime();
    render(
      <UploadList
        items={[item("u2", second, file("file-second")), item("u1", first, file("file-first"))]}
        onCancel={() => {}}
        onDismiss={() => {}}
      />,
    );
    const rows = screen.getAllByRole("listitem");
    const names = rows.map((r) => r.getAttribute("aria-label"));
    expect(names).toEqual([
      "Upload notes.md at 14:07:30 as file-second",
      "Upload notes.md at 14:03:09 as file-first",
    ]);
    expect(new Set(rows.map((r) => r.textContent)).size).toBe(2);
    expect(rows[0]!.textContent).toContain("file-second");
    expect(rows[1]!.textContent).toContain("14:03:09");
  });
});
