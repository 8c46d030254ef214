import { readFileSync } from "node:fs";
import path from "node:path";
import { AuthenticationError } from "openai";
import { beforeEach, describe, expect, it } from "vitest";
import { specCheckedClient } from "@/tests/helpers/sdk";
import {
  browser,
  DATA_DIR,
  load,
  ORIGIN,
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

async function newToken(cookie: string, name = "notebook") {
  const response = await routes.tokens.POST(
    browser("/api/playground/auth/tokens", { method: "POST", cookie, body: JSON.stringify({ name }) }),
  );
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; name: string; token: string; created_at: number };
}

const swa = (principal: object) => Buffer.from(JSON.stringify(principal)).toString("base64");
const SWA_USER = {
  identityProvider: "aad",
  userId: "u1",
  userDetails: "ada@example.com",
  userRoles: ["anonymous", "authenticated", "playground"],
};

describe("access tokens for scripts and notebooks", () => {
  it("work as the SDK's apiKey (and as a Bearer token) until revoked; only their hash is stored", async () => {
    const cookie = await signedInCookie(routes);
    const created = await newToken(cookie);
    expect(created.token).toMatch(/^pgat_[\w-]{43}$/);

    const sdk = specCheckedClient(proxyFetch(routes), { apiVersion: API });
    // AzureOpenAI needs its apiVersion again when cloned; ClientOptions does not declare it.
    const client = sdk.client.withOptions({ apiKey: created.token, apiVersion: API } as never);
    const assistant = await client.beta.assistants.create({ model: "gpt-4o", name: "From a notebook" });
    expect(assistant.id).toMatch(/^asst_/);
    expect((await client.beta.assistants.retrieve(assistant.id)).name).toBe("From a notebook");
    sdk.assertClean();

    const bearer = await proxyCall(
      routes,
      "GET",
      "assistants",
      browser(`/api/openai/assistants?api-version=${API}`, {
        headers: { authorization: `Bearer ${created.token}` },
      }),
    );
    expect(bearer.status).toBe(200);

    const stored = readFileSync(path.join(DATA_DIR, "access-tokens.json"), "utf8");
    expect(stored).not.toContain(created.token);
    expect(stored).toContain(created.id);

    const listed = await routes.tokens.GET(browser("/api/playground/auth/tokens", { cookie }));
    const list = (await listed.json()) as { data: Record<string, unknown>[] };
    const mine = list.data.find((t) => t.id === created.id)!;
    expect(Object.keys(mine).sort()).toEqual(["created_at", "id", "last_used_at", "name"]);
    expect(mine.last_used_at).toEqual(expect.any(Number));
    expect(JSON.stringify(list)).not.toContain(created.token);

    const revoked = await routes.token.DELETE(
      browser(`/api/playground/auth/tokens/${created.id}`, { method: "DELETE", cookie }),
      { params: Promise.resolve({ id: created.id }) },
    );
    expect(revoked.status).toBe(200);
    const error = await client.beta.assistants.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe("invalid_access_token");
  });

  it("a token cannot list, create or revoke tokens (only a signed-in person can)", async () => {
    const cookie = await signedInCookie(routes);
    const { token, id } = await newToken(cookie);
    const asScript = { headers: { "api-key": token } };
    expect((await routes.tokens.GET(browser("/api/playground/auth/tokens", asScript))).status).toBe(401);
    expect(
      (
        await routes.tokens.POST(
          browser("/api/playground/auth/tokens", { method: "POST", body: '{"name":"x"}', ...asScript }),
        )
      ).status,
    ).toBe(401);
    const del = await routes.token.DELETE(
      browser(`/api/playground/auth/tokens/${id}`, { method: "DELETE", ...asScript }),
      {
        params: Promise.resolve({ id }),
      },
    );
    expect(del.status).toBe(401);
  });

  it("a token name is required; the error names the field", async () => {
    const cookie = await signedInCookie(routes);
    const response = await routes.tokens.POST(
      browser("/api/playground/auth/tokens", {
        method: "POST",
        cookie,
        body: JSON.stringify({ name: "  " }),
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "name_required", param: "name" } });
  });

  it("a made-up token is refused as invalid", async () => {
    const response = await proxyCall(
      routes,
      "GET",
      "assistants",
      browser(`/api/openai/assistants?api-version=${API}`, {
        headers: { "api-key": `pgat_${"A".repeat(43)}` },
      }),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_access_token" } });
  });
});

describe("the Azure Static Web Apps principal", () => {
  const withPrincipal = (value: string) =>
    browser(`/api/openai/assistants?api-version=${API}`, { headers: { "x-ms-client-principal": value } });

  it("is ignored without PLAYGROUND_TRUST_SWA_AUTH=true", async () => {
    expect((await proxyCall(routes, "GET", "assistants", withPrincipal(swa(SWA_USER)))).status).toBe(401);
  });

  it("signs the user in with the flag; an anonymous or malformed principal does not", async () => {
    routes = await load({ PLAYGROUND_TRUST_SWA_AUTH: "true", PLAYGROUND_DATA_DIR: DATA_DIR });
    expect((await proxyCall(routes, "GET", "assistants", withPrincipal(swa(SWA_USER)))).status).toBe(200);
    const anonymous = swa({ ...SWA_USER, userRoles: ["anonymous"] });
    expect((await proxyCall(routes, "GET", "assistants", withPrincipal(anonymous))).status).toBe(401);
    expect((await proxyCall(routes, "GET", "assistants", withPrincipal("not-base64-json"))).status).toBe(401);
    const info = await routes.session.GET(
      browser("/api/playground/auth/session", { headers: { "x-ms-client-principal": swa(SWA_USER) } }),
    );
    expect(await info.json()).toMatchObject({ signed_in: true, method: "swa", user: "ada@example.com" });
  });
});

describe("CSRF and DNS rebinding", () => {
  it("a state-changing call from another origin, or marked cross-site, is refused even with a session", async () => {
    const cookie = await signedInCookie(routes);
    const create = (init: Parameters<typeof browser>[1]) =>
      proxyCall(
        routes,
        "POST",
        "assistants",
        browser(`/api/openai/assistants?api-version=${API}`, {
          method: "POST",
          cookie,
          body: JSON.stringify({ model: "gpt-4o" }),
          ...init,
        }),
      );
    const foreign = await create({ origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: "cross_origin_refused" } });
    expect((await create({ origin: "null" })).status).toBe(403);
    expect((await create({ headers: { "sec-fetch-site": "cross-site" } })).status).toBe(403);
    expect((await create({ origin: ORIGIN, headers: { "sec-fetch-site": "same-origin" } })).status).toBe(200);

    const token = await routes.tokens.POST(
      browser("/api/playground/auth/tokens", {
        method: "POST",
        cookie,
        origin: "https://evil.example",
        body: JSON.stringify({ name: "csrf" }),
      }),
    );
    expect(token.status).toBe(403);
    const signOut = await routes.signOut.POST(
      browser("/api/playground/auth/sign-out", { method: "POST", cookie, origin: "https://evil.example" }),
    );
    expect(signOut.status).toBe(403);
    const login = await routes.signIn.POST(
      browser("/api/playground/auth/sign-in", {
        method: "POST",
        origin: "https://evil.example",
        body: JSON.stringify({ password: PASSWORD }),
      }),
    );
    expect(login.status).toBe(403);
  });

  it("a foreign Host is refused (421), in development too; loopback names and PLAYGROUND_ORIGINS are answered", async () => {
    routes = await load({
      NODE_ENV: "development",
      PLAYGROUND_ORIGINS: "https://play.example.com",
      PLAYGROUND_DATA_DIR: DATA_DIR,
    });
    const get = (host: string, headers: Record<string, string> = {}) =>
      proxyCall(
        routes,
        "GET",
        "assistants",
        browser(`/api/openai/assistants?api-version=${API}`, { host, headers }),
      );
    const rebound = await get("attacker.example:3000");
    expect(rebound.status).toBe(421);
    expect(await rebound.json()).toMatchObject({ error: { code: "host_not_allowed" } });
    expect((await get("localhost:3000")).status).toBe(200);
    expect((await get("[::1]:3000")).status).toBe(200);
    expect((await get("play.example.com")).status).toBe(200);
    expect((await get("play.example.com:8443")).status).toBe(421);
    expect((await get("127.0.0.1:3000", { "x-forwarded-host": "attacker.example" })).status).toBe(421);
    const signIn = await routes.signIn.POST(
      browser("/api/playground/auth/sign-in", {
        method: "POST",
        host: "attacker.example",
        origin: "http://attacker.example",
        body: "{}",
      }),
    );
    expect(signIn.status).toBe(421);
  });

  it("the platform's own host name is answered (Azure App Service)", async () => {
    routes = await load({
      PLAYGROUND_PUBLIC: "true",
      WEBSITE_HOSTNAME: "myplay.azurewebsites.net",
      PLAYGROUND_DATA_DIR: DATA_DIR,
    });
    const response = await proxyCall(
      routes,
      "POST",
      "assistants",
      browser(`/api/openai/assistants?api-version=${API}`, {
        method: "POST",
        host: "myplay.azurewebsites.net",
        origin: "https://myplay.azurewebsites.net",
        body: JSON.stringify({ model: "gpt-4o" }),
      }),
    );
    expect(response.status).toBe(200);
  });
});
