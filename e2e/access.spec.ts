import { expect, test } from "@playwright/test";
import { AuthenticationError, AzureOpenAI } from "openai";
import { e2ePassword, rawRequest, SIGNED_OUT } from "./support/access";
import { api, API_VERSION, seriousViolations, unique } from "./support/playground";

// Access control (docs/access-control.md): sign-in, sign-out, rate limiting, access tokens, CSRF, Host, headers.

test.describe("signed out", () => {
  test.use(SIGNED_OUT);

  test("a page sends a signed-out person to sign in; a wrong password says so; the right one returns to the page", async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000); // three full page loads on a busy 2-CPU machine
    await page.goto("/files");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Ffiles$/);
    await expect(page.getByText("Sign in to use this playground.")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    const password = page.getByLabel("Password", { exact: true });
    await expect(password).toBeFocused();
    await password.fill("not-the-password");
    await page.keyboard.press("Enter");
    await expect(page.getByText("Wrong password.")).toBeVisible();
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(password).toHaveValue("not-the-password");
    await page.screenshot({ path: testInfo.outputPath("sign-in-wrong-password.png") });
    await page.screenshot({ path: "/tmp/h5-sign-in-wrong.png" });
    expect(await seriousViolations(page)).toEqual([]);

    await password.fill(e2ePassword());
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/files$/);
    await expect(page.getByRole("heading", { level: 2, name: "Upload files" })).toBeVisible();

    // Sign out from the header: the pages are closed again.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings$/);
  });

  test("wrong passwords are rate-limited, and the page shows how long to wait", async ({
    browser,
    baseURL,
  }) => {
    // Its own client address, so this lock-out does not lock out the other journeys.
    const context = await browser.newContext({
      ...SIGNED_OUT,
      extraHTTPHeaders: { "x-forwarded-for": `203.0.113.${Math.floor(Math.random() * 250) + 1}` },
    });
    const page = await context.newPage();
    await page.goto(`${baseURL}/sign-in`);
    const password = page.getByLabel("Password", { exact: true });
    for (let i = 0; i < 5; i++) {
      await password.fill(`wrong-${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      await expect(page.getByText(/Wrong password/)).toBeVisible();
    }
    await expect(page.getByText("Wrong password. Too many attempts.")).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: /You can try again in \d+ s/ })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeDisabled();
    await page.screenshot({ path: "/tmp/h5-sign-in-limited.png" });
    // The right password is not heard either until the wait is over.
    const locked = await page.request.post("/api/playground/auth/sign-in", {
      data: { password: e2ePassword() },
      headers: { origin: baseURL! },
    });
    expect(locked.status()).toBe(429);
    expect(Number(locked.headers()["retry-after"])).toBeGreaterThan(0);
    await context.close();
  });

  test("APIs answer 401 in the Azure error shape; the SWA header counts for nothing without the flag", async ({
    request,
  }) => {
    const proxied = await request.get(api("assistants"));
    expect(proxied.status()).toBe(401);
    expect(await proxied.json()).toMatchObject({
      error: { code: "sign_in_required", type: "invalid_request_error" },
    });
    const connections = await request.get("/api/playground/connections");
    expect(connections.status()).toBe(401);
    const principal = Buffer.from(
      JSON.stringify({
        identityProvider: "aad",
        userId: "x",
        userDetails: "eve",
        userRoles: ["authenticated"],
      }),
    ).toString("base64");
    const swa = await request.get(api("assistants"), { headers: { "x-ms-client-principal": principal } });
    expect(swa.status()).toBe(401);
    expect((await request.get("/api/playground/health")).status()).toBe(200);
  });
});

test("access tokens: created on Settings and shown once, they work for the SDK until revoked", async ({
  page,
  baseURL,
}, testInfo) => {
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Access tokens" });
  await expect(section).toBeVisible();
  const name = unique("notebook");

  // Bad input is refused beside the field.
  await section.getByRole("button", { name: "Create token" }).click();
  await expect(section.getByText("Give the token a name")).toBeVisible();
  await expect(section.getByLabel("Token name")).toHaveAttribute("aria-invalid", "true");

  await section.getByLabel("Token name").fill(name);
  await section.getByRole("button", { name: "Create token" }).click();
  const shown = section.getByLabel("New access token");
  await expect(shown).toHaveValue(/^pgat_/);
  const token = await shown.inputValue();
  await expect(section.getByText("it is shown only once")).toBeVisible();
  const row = section.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("never");
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("access-tokens.png"), fullPage: true });
  await page.screenshot({ path: "/tmp/h5-access-tokens.png", fullPage: true });

  const client = new AzureOpenAI({
    baseURL: `${baseURL}/api/openai`,
    apiKey: token,
    apiVersion: API_VERSION,
  });
  const assistant = await client.beta.assistants.create({ model: "gpt-4o", name: `${name} assistant` });
  expect(assistant.id).toMatch(/^asst_/);

  // Dismissed, the token is gone from the page for good; the list shows it was used.
  await section.getByRole("button", { name: "Done" }).click();
  await expect(section.getByLabel("New access token")).toHaveCount(0);
  await page.reload();
  await expect(
    page.getByRole("region", { name: "Access tokens" }).getByRole("row").filter({ hasText: name }),
  ).not.toContainText("never");
  expect(await page.content()).not.toContain(token);

  await page
    .getByRole("region", { name: "Access tokens" })
    .getByRole("button", { name: `Revoke ${name}` })
    .click();
  const dialog = page.getByRole("dialog", { name: "Revoke access token?" });
  await expect(dialog).toContainText(name);
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(
    page.getByRole("region", { name: "Access tokens" }).getByRole("row").filter({ hasText: name }),
  ).toHaveCount(0);

  const refused = await client.beta.assistants.retrieve(assistant.id).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(AuthenticationError);
  expect((refused as AuthenticationError).code).toBe("invalid_access_token");
});

test("pages carry a nonce CSP, no framing, nosniff and no referrer; the theme script still runs first", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => localStorage.setItem("assistants-playground-theme", "dark"));
  const response = await page.goto("/");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toMatch(
    /script-src 'self' 'nonce-[^']+' 'strict-dynamic' 'sha256-/,
  );
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["x-frame-options"]).toBe("DENY");
  await expect(page.getByRole("heading", { level: 1, name: "Assistants Playground" })).toBeVisible();
  // The inline theme boot script ran (allowed by its hash), so the page is dark.
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  // Every script tag of the page carries this response's nonce, but the theme script (allowed by hash).
  const nonce = /'nonce-([^']+)'/.exec(headers["content-security-policy"]!)![1]!;
  const html = await response!.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(1);
  expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual(["<script>"]);
  // Injected markup cannot run inline script: its handler is blocked.
  const ran = await page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        const holder = document.createElement("div");
        holder.innerHTML = '<img alt="" src="/does-not-exist.png" onerror="window.__injected = true">';
        const img = holder.firstElementChild!;
        img.addEventListener("error", () =>
          setTimeout(() => resolve((window as unknown as { __injected?: boolean }).__injected === true), 50),
        );
        document.body.appendChild(holder);
      }),
  );
  expect(ran).toBe(false);
  expect(violations.some((v) => /inline event handler|script-src/i.test(v))).toBe(true);
  expect(violations.filter((v) => !/inline event handler/i.test(v))).toEqual([]);

  const asset = await page.request.get(
    (await page.locator("script[src^='/_next/static/']").first().getAttribute("src"))!,
  );
  expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
  expect(asset.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
});

test("CSRF: a state-changing call from another origin is refused even with a session", async ({ page }) => {
  await page.goto("/settings");
  const foreign = await page.request.post(api("assistants"), {
    data: { model: "gpt-4o" },
    headers: { origin: "https://evil.example" },
  });
  expect(foreign.status()).toBe(403);
  expect(await foreign.json()).toMatchObject({ error: { code: "cross_origin_refused" } });
  const token = await page.request.post("/api/playground/auth/tokens", {
    data: { name: "csrf" },
    headers: { origin: "https://evil.example" },
  });
  expect(token.status()).toBe(403);
  const same = await page.request.post(api("assistants"), {
    data: { model: "gpt-4o", name: unique("same-origin") },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(same.status()).toBe(200);
});

test("a foreign Host (DNS rebinding) is refused for pages and APIs", async ({ baseURL }) => {
  for (const path of ["/", "/sign-in", "/api/playground/health", api("assistants")]) {
    const response = await rawRequest(baseURL!, path, { host: "rebound.attacker.example" });
    expect(response.status, path).toBe(421);
  }
  expect(
    (await rawRequest(baseURL!, "/api/playground/health", { host: new URL(baseURL!).host })).status,
  ).toBe(200);
});
