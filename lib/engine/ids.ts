import { randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function newId(prefix: string): string {
  const bytes = randomBytes(24);
  let out = "";
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return prefix + out;
}

export const ID_PREFIX = {
  assistant: "asst_",
  thread: "thread_",
  message: "msg_",
  run: "run_",
  step: "step_",
  call: "call_",
  // Azure names uploaded files "assistant-…" (MS docs); OpenAI uses "file-…".
  file: "assistant-",
  vectorStore: "vs_",
  fileBatch: "vsfb_",
} as const;

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
