// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Providers } from "@/app/providers";
import { useActiveConnection } from "@/lib/client/use-active-connection";
import { userConnectionStore } from "@/lib/client/user-connections";
import { ConnectionPicker } from "./connection-picker";
import { ConnectionSettings } from "./user-connections";

const CONNECTIONS = {
  connections: [
    {
      name: "local",
      kind: "local",
      label: "Local engine — scripted model",
      description: "",
      apiVersion: "2024-05-01-preview",
      apiVersions: ["2024-02-15-preview", "2024-05-01-preview"],
      deployments: [],
      host: null,
      auth: "none",
      listThreads: true,
      default: true,
      codeSandbox: {
        kind: "python",
        available: true,
        description: "Python 3.11, isolated (bubblewrap), no network",
      },
      engineModel: "scripted",
    },
    {
      name: "prod",
      kind: "azure-openai",
      label: "Azure OpenAI — prod.openai.azure.com",
      description: "",
      apiVersion: "2024-05-01-preview",
      apiVersions: ["2024-05-01-preview", "2024-10-01-preview"],
      deployments: [],
      host: "prod.openai.azure.com",
      auth: "entra",
      listThreads: false,
      default: false,
    },
  ],
  userConnections: { enabled: true, hosts: ["*.openai.azure.com"] },
};

let tests: { headers: Headers; body: unknown }[];
let answer: (body: { connection: string }) => unknown;

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  userConnectionStore.set(null);
  tests = [];
  answer = () => ({
    diagnosis: {
      ok: true,
      outcome: "ok",
      title: "Connected",
      detail: "Fine.",
      status: 200,
      code: null,
      apiVersion: "x",
    },
  });
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (url.endsWith("/api/playground/connections")) return Response.json(CONNECTIONS);
    if (url.endsWith("/api/playground/connections/test")) {
      const body = JSON.parse(String(init?.body)) as { connection: string };
      tests.push({ headers: new Headers(init?.headers), body });
      return Response.json(answer(body));
    }
    return Response.json({ object: "list", data: [], first_id: "", last_id: "", has_more: false });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function Harness() {
  const active = useActiveConnection();
  return (
    <>
      <header>
        <ConnectionPicker
          connections={active.connections}
          connection={active.connection}
          isLoading={active.isLoading}
          error={active.error}
        />
        <output data-testid="version">{active.connection?.apiVersion}</output>
      </header>
      <ConnectionSettings />
    </>
  );
}

const renderIt = () =>
  render(
    <Providers>
      <Harness />
    </Providers>,
  );

describe("connections UI", () => {
  it("switches connection and api-version per connection in the header", async () => {
    renderIt();
    const banner = screen.getByRole("banner");
    const connection = (await within(banner).findByLabelText("Connection")) as HTMLSelectElement;
    const version = within(banner).getByLabelText("api-version") as HTMLSelectElement;
    expect(version.value).toBe("2024-05-01-preview");
    fireEvent.change(version, { target: { value: "2024-02-15-preview" } });
    await waitFor(() => expect(screen.getByTestId("version").textContent).toBe("2024-02-15-preview"));
    fireEvent.change(connection, { target: { value: "prod" } });
    await waitFor(() => expect(screen.getByTestId("version").textContent).toBe("2024-05-01-preview"));
    fireEvent.change(connection, { target: { value: "local" } });
    await waitFor(() => expect(screen.getByTestId("version").textContent).toBe("2024-02-15-preview"));
  });

  it("lists each connection with kind, host and auth, and tests it with its api-version", async () => {
    answer = () => ({
      diagnosis: {
        ok: false,
        outcome: "missing_role",
        title: "Access denied (403): missing role",
        detail: 'Give this server\'s identity the "Cognitive Services OpenAI User" role.',
        status: 403,
        code: "PermissionDenied",
        apiVersion: "2024-05-01-preview",
      },
    });
    renderIt();
    const list = await screen.findByRole("list", { name: "Connections" });
    const prod = within(list).getByRole("listitem", { name: "Azure OpenAI — prod.openai.azure.com" });
    expect(within(prod).getByText("prod.openai.azure.com")).toBeTruthy();
    expect(within(prod).getByText("Microsoft Entra ID")).toBeTruthy();
    fireEvent.click(within(prod).getByRole("button", { name: "Test connection" }));
    const status = within(prod).getByRole("status");
    await waitFor(() => expect(status.textContent).toContain("Access denied (403): missing role"));
    expect(status.textContent).toContain("Cognitive Services OpenAI User");
    expect(status.textContent).toContain("HTTP 403 · code PermissionDenied");
    expect(tests[0]?.body).toEqual({ connection: "prod", apiVersion: "2024-05-01-preview" });
  });

  it("says what runs code on a local connection; a remote one has no such line (its service runs code)", async () => {
    renderIt();
    const list = await screen.findByRole("list", { name: "Connections" });
    const local = within(list).getByRole("listitem", { name: "Local engine — scripted model" });
    const term = within(local).getByText("Code runs in");
    expect(term.tagName).toBe("DT");
    expect(term.nextElementSibling?.textContent).toBe("Python 3.11, isolated (bubblewrap), no network");
    const prod = within(list).getByRole("listitem", { name: "Azure OpenAI — prod.openai.azure.com" });
    expect(within(prod).queryByText("Code runs in")).toBeNull();
  });

  it("checks a typed-in endpoint beside the field, and keeps nothing the server refuses", async () => {
    answer = () => ({
      diagnosis: {
        ok: false,
        outcome: "refused",
        title: "Refused by this server",
        detail: "bad.openai.azure.com resolves to 10.0.0.5, a private address.",
      },
    });
    renderIt();
    const form = await screen.findByRole("region", { name: "Your own connection" });
    const endpoint = within(form).getByLabelText("Endpoint") as HTMLInputElement;
    const key = within(form).getByLabelText("Key") as HTMLInputElement;
    const submit = within(form).getByRole("button", { name: "Check and use" });

    fireEvent.change(endpoint, { target: { value: "https://evil.example.com" } });
    fireEvent.click(submit);
    expect(await within(form).findByText(/evil\.example\.com is not an allowed host/)).toBeTruthy();
    expect(within(form).getByText("Enter the key.")).toBeTruthy();
    expect(tests).toHaveLength(0);

    fireEvent.change(endpoint, { target: { value: "https://bad.openai.azure.com" } });
    fireEvent.change(key, { target: { value: "k-secret" } });
    fireEvent.click(submit);
    expect(await within(form).findByText(/resolves to 10\.0\.0\.5, a private address/)).toBeTruthy();
    expect(endpoint.getAttribute("aria-invalid")).toBe("true");
    expect(tests[0]?.headers.get("x-playground-user-endpoint")).toBe("https://bad.openai.azure.com");
    expect(tests[0]?.headers.get("x-playground-user-key")).toBe("k-secret");
    expect(userConnectionStore.get()).toBeNull();
    expect(key.value).toBe("k-secret");
  });

  it("keeps an accepted connection for the tab only and offers it in the switcher", async () => {
    renderIt();
    const form = await screen.findByRole("region", { name: "Your own connection" });
    fireEvent.change(within(form).getByLabelText("Endpoint"), {
      target: { value: "https://mine.openai.azure.com/" },
    });
    fireEvent.change(within(form).getByLabelText("Key"), { target: { value: "k-mine" } });
    fireEvent.click(within(form).getByRole("button", { name: "Check and use" }));
    await waitFor(() => expect(userConnectionStore.get()?.endpoint).toBe("https://mine.openai.azure.com"));
    expect(JSON.parse(sessionStorage.getItem("playground-user-connection") ?? "{}")).toMatchObject({
      apiKey: "k-mine",
    });
    expect(localStorage.getItem("assistants-playground") ?? "").not.toContain("k-mine");
    const connection = within(screen.getByRole("banner")).getByLabelText("Connection") as HTMLSelectElement;
    await waitFor(() => expect(connection.value).toBe("user"));
    expect(connection.selectedOptions[0]?.textContent).toBe("Your connection — mine.openai.azure.com");
  });
});
