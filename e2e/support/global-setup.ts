import { request, type FullConfig } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";

/**
 * The e2e server requires sign-in (PLAYGROUND_PASSWORD, set in playwright.config.ts): sign in once
 * and save the browser state every journey starts from, and create an access token for the
 * journeys that drive the proxy from Node with the SDK (E2E_ACCESS_TOKEN).
 */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]?.use.baseURL;
  const statePath = process.env.E2E_STORAGE_STATE;
  const password = process.env.E2E_PASSWORD;
  if (!baseURL || !statePath || !password)
    throw new Error("playwright.config.ts sets baseURL, E2E_STORAGE_STATE and E2E_PASSWORD");
  const context = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const signedIn = await context.post("/api/playground/auth/sign-in", { data: { password } });
  if (!signedIn.ok()) throw new Error(`e2e sign-in failed: ${signedIn.status()} ${await signedIn.text()}`);
  const token = await context.post("/api/playground/auth/tokens", { data: { name: "e2e SDK journeys" } });
  if (!token.ok()) throw new Error(`e2e access token failed: ${token.status()} ${await token.text()}`);
  process.env.E2E_ACCESS_TOKEN = ((await token.json()) as { token: string }).token;
  mkdirSync(path.dirname(statePath), { recursive: true });
  await context.storageState({ path: statePath });
  await context.dispose();
}
