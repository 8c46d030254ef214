// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { PlaygroundHttpError } from "@/lib/client/errors";
import { ErrorAlert, errorHeading } from "./error-alert";

afterEach(cleanup);

const notFound = { status: 404, code: "not_found", message: "No such file.", hint: "Pick another." };

describe("ErrorAlert", () => {
  it("shows status, code, message and the way forward, with what failed first", () => {
    render(<ErrorAlert title="Could not delete" error={notFound} note="Nothing was changed." />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Could not delete (Error 404 · not_found)");
    expect(alert.textContent).toContain("No such file.");
    expect(alert.textContent).toContain("Pick another. Nothing was changed.");
  });

  it("takes anything thrown and offers a retry", () => {
    const retry = vi.fn();
    render(
      <ErrorAlert error={new PlaygroundHttpError(503, null, "Down.")} onRetry={retry} retryLabel="Reload" />,
    );
    expect(screen.getByRole("alert").textContent).toContain("Error 503");
    expect(screen.getByRole("alert").textContent).toContain("Down.");
    fireEvent.click(screen.getByRole("button", { name: "Reload" }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it("fits on one line inline, leading with the heading only when there is one", () => {
    render(<ErrorAlert inline title="Export failed" error={notFound} />);
    expect(screen.getByRole("alert").textContent).toBe(
      "Export failed (Error 404 · not_found): No such file. Pick another.",
    );
    cleanup();
    render(
      <ErrorAlert
        inline
        error={{ status: null, code: null, message: "Too big.", hint: "Pick a smaller one." }}
      />,
    );
    expect(screen.getByRole("alert").textContent).toBe("Too big. Pick a smaller one.");
  });
});

describe("errorHeading", () => {
  it("says Error with the status and code when known", () => {
    expect(errorHeading(notFound)).toBe("Error 404 · not_found");
    expect(errorHeading({ ...notFound, status: null })).toBe("Error · not_found");
    expect(errorHeading({ ...notFound, status: null, code: null })).toBe("Error");
    expect(errorHeading({ ...notFound, status: null, code: null }, "Could not save")).toBe("Could not save");
  });
});
