import { AuthenticationError } from "openai";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { specCheckedClient } from "@/tests/helpers/sdk";
import {
  browser,
  DATA_DIR,
  load,
  PASSWORD,
  proxyCall,
  proxyFetch,
  signedInCookie,
  type Routes,
} from "./harness";

const API = "2024-05-01-preview";
let routes: Routes;

beforeEach(async () => {
  routes = await load({ PLAYGROUND_PASSWORD: PASSWORD, PLAYGROUND_DATA_DIR: DATA_DIR });
});
afterEach(() => vi.useRealTimers());

const listAssistants = (cookie: string | null) =>
  proxyCall(routes, "GET", "assistants", browser(`/api/openai/assistants?api-version=${API}`, { cookie }));

async function wrongPassword(client = "198.51.100.1") {
  return routes.signIn.POST(
    browser("/api/playground/auth/sign-in", {
      method: "POST",
      body: JSON.stringify({ password: "not the password" }),
      headers: { "x-forwarded-for": client },
    }),
  );
}

describe("sign-in is required in production", () => {
  it("the proxy answers 401 in the Azure error shape without a session; the SDK raises AuthenticationError", async () => {
    const response = await listAssistants(null);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string; message: string; type: string } };
    expect(body.error).toMatchObject({
      code: "sign_in_required",
      type: "invalid_request_error",
      param: null,
    });
    expect(body.error.message).toContain("/sign-in");
    expect(JSON.stringify(body)).not.toContain(PASSWORD);

    const sdk = specCheckedClient(proxyFetch(routes), { apiVersion: API });
    await expect(sdk.client.beta.assistants.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("the right password sets an HTTP-only SameSite cookie that opens the proxy", async () => {
    const response = await routes.signIn.POST(
      browser("/api/playground/auth/sign-in", {
        method: "POST",
        body: JSON.stringify({ password: PASSWORD, next: "/files?x=1" }),
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ signed_in: true, next: "/files?x=1" });
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^playground_session=v1\./);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).not.toContain("Secure"); // plain http on loopback
    expect(cookie).not.toContain(PASSWORD);
    expect((await listAssistants(cookie.split(";")[0]!)).status).toBe(200);
  });

  it("the cookie is Secure when the browser came over https", async () => {
    const response = await routes.signIn.POST(
      browser("/api/playground/auth/sign-in", {
        method: "POST",
        body: JSON.stringify({ password: PASSWORD }),
        headers: { "x-forwarded-proto": "https" },
      }),
    );
    expect(response.headers.get("set-cookie")).toContain("Secure");
  });

  it("a redirect target off this site is replaced by /", async () => {
    for (const next of [
      "//evil.example/x",
      "https://evil.example/",
      "/\\evil.example",
      "/api/openai/assistants",
    ]) {
      const response = await routes.signIn.POST(
        browser("/api/playground/auth/sign-in", {
          method: "POST",
          body: JSON.stringify({ password: PASSWORD, next }),
        }),
      );
      expect(((await response.json()) as { next: string }).next).toBe("/");
    }
  });

  it("wrong passwords are refused beside the field, then rate-limited with retry-after; others are not locked out", async () => {
    routes = await load({
      PLAYGROUND_PASSWORD: PASSWORD,
      PLAYGROUND_DATA_DIR: DATA_DIR,
      PLAYGROUND_TRUSTED_PROXY: "1",
    });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    for (let i = 0; i < 4; i++) {
      const response = await wrongPassword();
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_password", param: "password" } });
    }
    const fifth = await wrongPassword();
    expect(fifth.status).toBe(401);
    expect(Number(fifth.headers.get("retry-after"))).toBeGreaterThan(0);

    // Locked: even the right password is not heard from this client now.
    const locked = await routes.signIn.POST(
      browser("/api/playground/auth/sign-in", {
        method: "POST",
        body: JSON.stringify({ password: PASSWORD }),
        headers: { "x-forwarded-for": "198.51.100.1" },
      }),
    );
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBe(300);
    expect(await locked.json()).toMatchObject({ error: { code: "too_many_attempts" } });
    expect(locked.headers.get("set-cookie")).toBeNull();

    // Another client still signs in.
    expect((await wrongPassword("198.51.100.2")).status).toBe(401);

    // After the window, the first client may try again.
    vi.setSystemTime(new Date("2026-01-01T00:05:01Z"));
    const again = await routes.signIn.POST(
      browser("/api/playground/auth/sign-in", {
        method: "POST",
        body: JSON.stringify({ password: PASSWORD }),
        headers: { "x-forwarded-for": "198.51.100.1" },
      }),
    );
    expect(again.status).toBe(200);
  });

  it("sessions expire after PLAYGROUND_SESSION_HOURS", async () => {
    routes = await load({
      PLAYGROUND_PASSWORD: PASSWORD,
      PLAYGROUND_SESSION_HOURS: "2",
      PLAYGROUND_DATA_DIR: DATA_DIR,
    });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-02-01T10:00:00Z"));
    const cookie = await signedInCookie(routes);
    vi.setSystemTime(new Date("2026-02-01T11:59:00Z"));
    expect((await listAssistants(cookie)).status).toBe(200);
    const info = await routes.session.GET(browser("/api/playground/auth/session", { cookie }));
    expect(await info.json()).toMatchObject({ signed_in: true, method: "password" });
    vi.setSystemTime(new Date("2026-02-01T12:00:01Z"));
    expect((await listAssistants(cookie)).status).toBe(401);
    const after = await routes.session.GET(browser("/api/playground/auth/session", { cookie }));
    expect(await after.json()).toMatchObject({ sign_in_required: true, signed_in: false, method: null });
  });

  it("a forged or altered cookie, or one signed for another password, is refused", async () => {
    const cookie = await signedInCookie(routes);
    const [name, value] = cookie.split("=") as [string, string];
    const parts = value.split(".");
    const later = `${name}=v1.${Number(parts[1]) + 1e9}.${parts[2]}.${parts[3]}`;
    expect((await listAssistants(later)).status).toBe(401);
    expect((await listAssistants(`${name}=v1.9999999999999.abc.def`)).status).toBe(401);
    routes = await load({ PLAYGROUND_PASSWORD: "another password entirely", PLAYGROUND_DATA_DIR: DATA_DIR });
    expect((await listAssistants(cookie)).status).toBe(401);
  });

  it("sign-out ends the session: the old cookie no longer works", async () => {
    const cookie = await signedInCookie(routes);
    const out = await routes.signOut.POST(
      browser("/api/playground/auth/sign-out", { method: "POST", cookie }),
    );
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/^playground_session=;.*Max-Age=0/);
    expect((await listAssistants(cookie)).status).toBe(401);
  });

  it("development needs sign-in only when a password is set", async () => {
    routes = await load({ NODE_ENV: "development", PLAYGROUND_DATA_DIR: DATA_DIR });
    expect((await listAssistants(null)).status).toBe(200);
    routes = await load({
      NODE_ENV: "development",
      PLAYGROUND_PASSWORD: PASSWORD,
      PLAYGROUND_DATA_DIR: DATA_DIR,
    });
    expect((await listAssistants(null)).status).toBe(401);
  });

  it("PLAYGROUND_PUBLIC=true serves without sign-in", async () => {
    routes = await load({ PLAYGROUND_PUBLIC: "true", PLAYGROUND_DATA_DIR: DATA_DIR });
    expect((await listAssistants(null)).status).toBe(200);
    const info = await routes.session.GET(browser("/api/playground/auth/session"));
    expect(await info.json()).toMatchObject({ sign_in_required: false, signed_in: true, method: "public" });
  });
});
