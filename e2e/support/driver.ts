import { expect, type Page } from "@playwright/test";
import { api } from "./playground";

// Steps of the chat-completions driver journey (e2e/driver.spec.ts): the `local-chat` connection is
// the local engine on a fake chat-completions upstream (e2e/support/fake-chat-server.ts).

export const CHAT_CONNECTION = "local-chat";
export const CHAT_CONNECTION_LABEL = "Local engine — fake chat model";
export const FAKE_CHAT_ORIGIN = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3917) + 2}`;

const onChat = { "x-playground-connection": CHAT_CONNECTION };

/** Uploads a text file to the local-chat engine and puts it in a new vector store; resolves once ingested. */
export async function chatVectorStoreWithFile(page: Page, filename: string, text: string, storeName: string) {
  const uploaded = await page.request.post(api("files"), {
    headers: onChat,
    multipart: {
      purpose: "assistants",
      file: { name: filename, mimeType: "text/plain", buffer: Buffer.from(text) },
    },
  });
  expect(uploaded.ok()).toBe(true);
  const file = (await uploaded.json()) as { id: string };
  const store = await page.request.post(api("vector_stores"), {
    headers: onChat,
    data: { name: storeName, file_ids: [file.id] },
  });
  expect(store.ok()).toBe(true);
  const { id } = (await store.json()) as { id: string };
  await expect
    .poll(async () => {
      const r = await page.request.get(api(`vector_stores/${id}`), { headers: onChat });
      return ((await r.json()) as { file_counts: { completed: number } }).file_counts.completed;
    })
    .toBe(1);
  return { storeId: id, fileId: file.id };
}

/** What the fake upstream received since `since` (its request log). */
export async function upstreamRequests(page: Page, since = 0) {
  const r = await page.request.get(`${FAKE_CHAT_ORIGIN}/_fake/requests`);
  expect(r.ok()).toBe(true);
  const all = (await r.json()) as {
    url: string;
    headers: Record<string, string>;
    body: {
      model?: string;
      messages: { role: string; content?: unknown; tool_call_id?: string }[];
      tools?: { function: { name: string } }[];
    };
  }[];
  return all.slice(since);
}
