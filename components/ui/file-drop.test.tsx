// @vitest-environment happy-dom
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { FileDrop } from "./file-drop";

afterEach(cleanup);

function Harness({
  onFile,
  disabled = false,
}: {
  onFile: (f: File | undefined) => void;
  disabled?: boolean;
}) {
  const [chosen, setChosen] = useState<{ name: string; size: number } | null>(null);
  return (
    <FileDrop
      label="Backup archive (.zip)"
      accept=".zip"
      chooseText="Choose a backup…"
      disabled={disabled}
      chosen={chosen}
      error={chosen?.name.endsWith(".zip") === false ? "Not a backup archive." : null}
      onFile={(f) => {
        setChosen(f ? { name: f.name, size: f.size } : null);
        onFile(f);
      }}
    />
  );
}

describe("FileDrop", () => {
  it("is a labelled file control with a styled chooser; a chosen file is named with its size", () => {
    const onFile = vi.fn();
    render(<Harness onFile={onFile} />);
    const input = screen.getByLabelText("Backup archive (.zip)") as HTMLInputElement;
    expect(input.type).toBe("file");
    expect(input.accept).toBe(".zip");
    expect(screen.getByText("Choose a backup…").tagName).toBe("LABEL");
    const file = new File([new Uint8Array(2048)], "playground-backup.zip", { type: "application/zip" });
    fireEvent.change(input, { target: { files: [file] } });
    expect(onFile).toHaveBeenCalledWith(file);
    expect(screen.getByText("playground-backup.zip")).toBeTruthy();
    expect(screen.getByText("(2.0 KB)")).toBeTruthy();
    expect(screen.getByText("Choose another file…")).toBeTruthy();
  });

  it("takes a dropped file, says why a wrong one is refused, and ignores drops while disabled", () => {
    const onFile = vi.fn();
    render(<Harness onFile={onFile} />);
    const zone = screen.getByTestId("file-drop");
    const wrong = new File(["x"], "notes.txt");
    fireEvent.drop(zone, { dataTransfer: { files: [wrong] } });
    expect(onFile).toHaveBeenCalledWith(wrong);
    const input = screen.getByLabelText("Backup archive (.zip)");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(input.getAttribute("aria-describedby")!)?.textContent).toBe(
      "Not a backup archive.",
    );
    cleanup();

    const ignored = vi.fn();
    render(<Harness onFile={ignored} disabled />);
    fireEvent.drop(screen.getByTestId("file-drop"), { dataTransfer: { files: [wrong] } });
    expect(ignored).not.toHaveBeenCalled();
  });
});
