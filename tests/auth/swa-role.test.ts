import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/server/env-schema";
import { DEFAULT_SWA_ROLE } from "@/lib/server/env/access-env";
import { browser, DATA_DIR, load, proxyCall, type Env } from "./harness";

const API = "2024-05-01-preview";
const principal = (roles: string[]) =>
  Buffer.from(
    JSON.stringify({ identityProvider: "github", userId: "u1", userDetails: "ada", userRoles: roles }),
  ).toString("base64");

async function statusWith(env: Env, roles: string[]): Promise<number> {
  const routes = await load({ PLAYGROUND_TRUST_SWA_AUTH: "true", PLAYGROUND_DATA_DIR: DATA_DIR, ...env });
  const request = browser(`/api/openai/assistants?api-version=${API}`, {
    headers: { "x-ms-client-principal": principal(roles) },
  });
  return (await proxyCall(routes, "GET", "assistants", request)).status;
}

describe("the Static Web Apps role that lets a principal in", () => {
  it("is not SWA's `authenticated` (anyone with a GitHub or Microsoft account) but the playground role", async () => {
    expect(await statusWith({}, ["anonymous", "authenticated"])).toBe(401);
    expect(await statusWith({}, ["anonymous", "authenticated", DEFAULT_SWA_ROLE])).toBe(200);
  });

  it("is configurable with PLAYGROUND_SWA_ROLE (compared without regard to case)", async () => {
    const env = { PLAYGROUND_SWA_ROLE: "Reviewers" };
    expect(await statusWith(env, ["authenticated", "reviewers"])).toBe(200);
    expect(await statusWith(env, ["authenticated", DEFAULT_SWA_ROLE])).toBe(401);
    // Deliberately opening the app to every signed-in account is possible, and says so in its name.
    expect(await statusWith({ PLAYGROUND_SWA_ROLE: "authenticated" }, ["authenticated"])).toBe(200);
  });

  it("cannot be `anonymous` or something that is not a role name", () => {
    for (const value of ["anonymous", "Anonymous", "a b", "x,y"]) {
      expect(() => parseEnv({ PLAYGROUND_SWA_ROLE: value }, "/srv/app")).toThrow(EnvError);
      expect(() => parseEnv({ PLAYGROUND_SWA_ROLE: value }, "/srv/app")).toThrow(/PLAYGROUND_SWA_ROLE/);
    }
  });
});

describe("the shipped staticwebapp.config.json", () => {
  const file = path.join(process.cwd(), "deploy/azure-static-web-apps/staticwebapp.config.json");
  const config = JSON.parse(readFileSync(file, "utf8")) as {
    routes: { route: string; allowedRoles?: string[] }[];
  };

  it("requires the playground role everywhere but SWA's own sign-in pages and the health check", () => {
    const open = config.routes.filter((r) => r.allowedRoles?.includes("anonymous")).map((r) => r.route);
    expect(open.sort()).toEqual(["/.auth/*", "/api/playground/health"]);
    const catchAll = config.routes.at(-1)!;
    expect(catchAll).toEqual({ route: "/*", allowedRoles: [DEFAULT_SWA_ROLE] });
    for (const r of config.routes) expect(r.allowedRoles).not.toContain("authenticated");
  });

  it("is the configuration the deployment guide shows", () => {
    const guide = readFileSync(path.join(process.cwd(), "docs/deploy-azure-static-web-apps.md"), "utf8");
    const snippet = /```json\n([\s\S]*?)```/.exec(guide)?.[1];
    expect(snippet).toBeDefined();
    expect(JSON.parse(snippet!)).toEqual(config);
  });
});
