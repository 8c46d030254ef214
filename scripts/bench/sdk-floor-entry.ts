/**
 * Browser entry of the bench's second stream floor (bundled by ./sdk-floor.ts, injected into the
 * playground's page): the same run's stream read through the official SDK with the playground's
 * own client (`createPlaygroundClient`: the request log and the chunk rewriting of
 * lib/client/request-log), its text appended to one paragraph once a frame — what the browser
 * client the design prescribes costs, without React or the rest of the page's work.
 */
import { createPlaygroundClient, RUN_START_OPTIONS } from "@/lib/client/sdk";

interface Connection {
  name: string;
  apiVersion: string;
  default?: boolean;
}

async function sdkStream({
  threadId,
  assistantId,
  words,
}: {
  threadId: string;
  assistantId: string;
  words: number;
}) {
  const listed = (await (await fetch("/api/playground/connections")).json()) as { connections: Connection[] };
  const connection = listed.connections.find((c) => c.default) ?? listed.connections[0];
  if (!connection) throw new Error("the playground lists no connection");
  const client = createPlaygroundClient(connection);
  const host = document.querySelector('[role="log"][aria-label="Conversation"] > div') ?? document.body;
  // Inside an article's .markdown, as an answer is (and as the bare floor's is).
  const article = document.createElement("article");
  const markdown = article.appendChild(document.createElement("div"));
  markdown.className = "markdown";
  const text = markdown.appendChild(document.createElement("p")).appendChild(document.createTextNode(""));
  host.append(article);
  let pending = "";
  let frame = 0;
  let seen = 0;
  const flush = () => {
    frame = 0;
    text.appendData(pending);
    pending = "";
  };
  const stream = client.beta.threads.runs.stream(threadId, { assistant_id: assistantId }, RUN_START_OPTIONS);
  for await (const event of stream) {
    if (event.event !== "thread.message.delta") continue;
    for (const part of event.data.delta.content ?? [])
      if (part.type === "text") pending += part.text?.value ?? "";
    seen += 1;
    frame ||= requestAnimationFrame(flush);
  }
  if (frame) {
    cancelAnimationFrame(frame);
    flush();
  }
  // Deltas the request log's rewriting merged arrive as one: count words, not events.
  const got = text.data.split(/\s+/).filter(Boolean).length;
  if (got !== words)
    throw new Error(`the SDK floor's answer has ${got} words, not ${words} (${seen} events)`);
  await new Promise((r) => requestAnimationFrame(r));
}

(window as unknown as { __benchSdkStream: typeof sdkStream }).__benchSdkStream = sdkStream;
