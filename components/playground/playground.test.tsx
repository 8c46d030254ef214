// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { Providers } from "@/app/providers";
import { createFakeAssistantsFetch } from "@/lib/client/test-support/fake-assistants-fetch";
import { PLAYGROUND_STORAGE_KEY } from "@/lib/client/stores/playground-store";
import { Playground } from "./playground";

beforeEach(() => {
  localStorage.clear();
  vi.stubGlobal("fetch", createFakeAssistantsFetch().fetch);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("Playground", () => {
  it("names the active connection in the header and lays out three labelled panels", async () => {
    render(
      <Providers>
        <Playground />
      </Providers>,
    );
    const banner = screen.getByRole("banner");
    // The connection names the menu button that holds its choice, api-version and theme.
    expect(
      await within(banner).findByRole("button", {
        name: /^Connection and theme: Local engine — scripted model/,
      }),
    ).toBeTruthy();
    expect(within(banner).getByRole("heading", { level: 1 }).textContent).toBe("Assistants Playground");
    const main = screen.getByRole("main");
    for (const name of ["Assistant setup", "Chat", "Inspector"]) {
      expect(within(main).getByRole("region", { name })).toBeTruthy();
    }
  });

  it("collapses and re-opens a panel, and remembers the layout across a reload", async () => {
    const { unmount } = render(
      <Providers>
        <Playground />
      </Providers>,
    );
    const collapse = screen.getByRole("button", { name: "Collapse Assistant setup panel" });
    expect(collapse.getAttribute("aria-expanded")).toBe("true");
    fireEvent.click(collapse);
    const expand = screen.getByRole("button", { name: "Expand Assistant setup panel" });
    expect(expand.getAttribute("aria-expanded")).toBe("false");
    expect(document.getElementById(expand.getAttribute("aria-controls") ?? "")?.hidden).toBe(true);
    expect(JSON.parse(localStorage.getItem(PLAYGROUND_STORAGE_KEY) ?? "{}").state.panels.setup).toBe(false);

    unmount();
    render(
      <Providers>
        <Playground />
      </Providers>,
    );
    expect(await screen.findByRole("button", { name: "Expand Assistant setup panel" })).toBeTruthy();
  });
});
