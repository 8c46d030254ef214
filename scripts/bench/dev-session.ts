/** What the developer's probes (browser-profile.ts, lag-probe.ts) share: an assistant to chat with and a Chromium. */
import { chromium, type Browser } from "@playwright/test";
import { API_VERSION } from "./util";

/** Creates an assistant on the playground's default connection (the local engine) and returns its id. */
export async function createAssistant(appUrl: string, name: string): Promise<string> {
  const res = await fetch(`${appUrl}/api/openai/assistants?api-version=${API_VERSION}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: appUrl },
    body: JSON.stringify({ model: "gpt-4o", name }),
  });
  if (!res.ok) throw new Error(`creating an assistant: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    headless: true,
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}
