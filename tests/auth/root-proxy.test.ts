import { createHash } from "node:crypto";
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it } from "vitest";
import { THEME_BOOT_SCRIPT } from "@/lib/shared/theme-boot";
import { browser, DATA_DIR, load, PASSWORD, signedInCookie, type Routes } from "./harness";

let routes: Routes;
beforeEach(async () => {
  routes = await load({ PLAYGROUND_PASSWORD: PASSWORD, PLAYGROUND_DATA_DIR: DATA_DIR });
});

const run = (request: Request) => routes.rootProxy.proxy(new NextRequest(request));

describe("the root proxy.ts (pages and /api/playground)", () => {
  it("sends a signed-out page load to /sign-in with the way back", async () => {
    const response = await run(browser("/files?sort=name"));
    expect(response.status).toBe(303);
    const to = new URL(response.headers.get("location")!);
    expect(to.pathname).toBe("/sign-in");
    expect(to.searchParams.get("next")).toBe("/files?sort=name");
  });

  it("answers 401 JSON for /api/playground/* APIs; health and the auth routes stay open", async () => {
    const connections = await run(browser("/api/playground/connections"));
    expect(connections.status).toBe(401);
    expect(await connections.json()).toMatchObject({ error: { code: "sign_in_required" } });
    expect((await run(browser("/api/playground/health"))).headers.get("x-middleware-next")).toBe("1");
    expect((await run(browser("/api/playground/auth/session"))).headers.get("x-middleware-next")).toBe("1");
  });

  it("lets a signed-in page through with a nonce CSP that also allows the theme boot script by hash", async () => {
    const cookie = await signedInCookie(routes);
    const response = await run(browser("/settings", { cookie }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    const csp = response.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const hash = createHash("sha256").update(THEME_BOOT_SCRIPT).digest("base64");
    expect(csp).toContain(`'sha256-${hash}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(/script-src[^;]*'unsafe-inline'/.test(csp)).toBe(false);
    // Next.js reads the nonce from the request's CSP header (x-middleware-request-*).
    expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    const again = await run(browser("/settings", { cookie }));
    expect(again.headers.get("content-security-policy")).not.toBe(csp);
  });

  it("refuses a foreign Host for pages and APIs alike", async () => {
    const page = await run(browser("/", { host: "rebound.attacker.example" }));
    expect(page.status).toBe(421);
    expect(await page.text()).toContain("PLAYGROUND_ORIGINS");
    expect((await run(browser("/api/playground/health", { host: "rebound.attacker.example" }))).status).toBe(
      421,
    );
  });

  it("sends a signed-in visitor of /sign-in on to where they were going", async () => {
    const cookie = await signedInCookie(routes);
    const response = await run(browser("/sign-in?next=%2Fassistants", { cookie }));
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get("location")!).pathname).toBe("/assistants");
  });

  it("keeps /api/openai and backup uploads out of its matcher (it would cap bodies at 10 MB)", () => {
    const matcher = new RegExp(`^${routes.rootProxy.config.matcher[0]!}$`);
    expect(matcher.test("/api/openai/files")).toBe(false);
    expect(matcher.test("/api/playground/backup/restore")).toBe(false);
    expect(matcher.test("/_next/static/chunks/app.js")).toBe(false);
    expect(matcher.test("/api/playground/connections")).toBe(true);
    expect(matcher.test("/settings")).toBe(true);
    expect(matcher.test("/")).toBe(true);
  });
});
