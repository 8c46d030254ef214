import { expect, type Page } from "@playwright/test";
import http from "node:http";

/** The password the e2e server was started with (playwright.config.ts). */
export function e2ePassword(): string {
  const password = process.env.E2E_PASSWORD;
  if (!password) throw new Error("E2E_PASSWORD is unset: run through playwright.config.ts.");
  return password;
}

/** A browser with no session: use in `test.use(SIGNED_OUT)`. */
export const SIGNED_OUT = { storageState: { cookies: [], origins: [] } };

export async function signInThroughPage(page: Page, password = e2ePassword()) {
  await expect(page.getByRole("heading", { level: 1, name: "Assistants Playground" })).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A raw HTTP request from Node with any Host header (fetch forbids setting Host). */
export function rawRequest(
  baseURL: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const url = new URL(path, baseURL);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          headers: res.headers,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}
