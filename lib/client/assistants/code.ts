/**
 * "View code": runnable snippets that create the assistant being edited and run it once, with the
 * official SDKs (Python `AzureOpenAI`, TypeScript `AzureOpenAI`) and curl. They point at this
 * playground's proxy, which holds the real credentials, so they never contain a key.
 */

export const CONNECTION_HEADER = "x-playground-connection";

export interface CodeTarget {
  /** e.g. http://127.0.0.1:3000 */
  origin: string;
  connection: string;
  /** Whether the connection is the server's default (then the header is not needed). */
  isDefault: boolean;
  apiVersion: string;
}

export interface Snippets {
  python: string;
  typescript: string;
  curl: string;
}

const DEFAULT_MESSAGE = "Hello! What can you do?";

function pyString(s: string): string {
  return JSON.stringify(s);
}

/** A JSON value as a Python literal. */
export function toPython(value: unknown, indent = 0): string {
  const pad = "    ".repeat(indent + 1);
  const end = "    ".repeat(indent);
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return pyString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${pad}${toPython(v, indent + 1)},`).join("\n")}\n${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${pad}${pyString(k)}: ${toPython(v, indent + 1)},`).join("\n")}\n${end}}`;
}

const indentLines = (text: string, spaces: number) =>
  text
    .split("\n")
    .map((l, i) => (i === 0 ? l : " ".repeat(spaces) + l))
    .join("\n");

/** Bash single-quoted string. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function generateSnippets(
  target: CodeTarget,
  body: Record<string, unknown>,
  message = DEFAULT_MESSAGE,
): Snippets {
  const baseURL = `${target.origin.replace(/\/$/, "")}/api/openai`;
  const header = !target.isDefault;
  const hasFunctions =
    Array.isArray(body.tools) && body.tools.some((t) => (t as { type?: string }).type === "function");

  const pyKwargs = Object.entries(body)
    .map(([k, v]) => `    ${k}=${indentLines(toPython(v, 1), 0)},`)
    .join("\n");
  const python = `# pip install openai
# Talks to the Assistants Playground's proxy; the proxy adds the real credentials, so no key is needed here.
from openai import AzureOpenAI

client = AzureOpenAI(
    base_url=${pyString(baseURL)},
    api_key="unused",
    api_version=${pyString(target.apiVersion)},${header ? `\n    default_headers={${pyString(CONNECTION_HEADER)}: ${pyString(target.connection)}},` : ""}
)

assistant = client.beta.assistants.create(
${pyKwargs}
)
print("assistant:", assistant.id)

thread = client.beta.threads.create()
client.beta.threads.messages.create(thread_id=thread.id, role="user", content=${pyString(message)})
run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
${
  hasFunctions
    ? `while run.status == "requires_action":
    # Answer each function call; replace "{}" with your function's real result.
    outputs = [
        {"tool_call_id": call.id, "output": "{}"}
        for call in run.required_action.submit_tool_outputs.tool_calls
    ]
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id, run_id=run.id, tool_outputs=outputs
    )
`
    : ""
}print("run:", run.id, run.status)

if run.status == "completed":
    for message in client.beta.threads.messages.list(thread_id=thread.id, order="asc"):
        for part in message.content:
            if part.type == "text":
                print(f"{message.role}: {part.text.value}")
`;

  const tsBody = indentLines(JSON.stringify(body, null, 2), 0);
  const typescript = `// npm install openai
// Talks to the Assistants Playground's proxy; the proxy adds the real credentials, so no key is needed here.
import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({
  baseURL: ${JSON.stringify(baseURL)},
  apiKey: "unused",
  apiVersion: ${JSON.stringify(target.apiVersion)},${header ? `\n  defaultHeaders: { ${JSON.stringify(CONNECTION_HEADER)}: ${JSON.stringify(target.connection)} },` : ""}
});

async function main() {
  const assistant = await client.beta.assistants.create(${indentLines(tsBody, 2)} as Parameters<typeof client.beta.assistants.create>[0]);
  console.log("assistant:", assistant.id);

  const thread = await client.beta.threads.create();
  await client.beta.threads.messages.create(thread.id, { role: "user", content: ${JSON.stringify(message)} });
  let run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
${
  hasFunctions
    ? `  while (run.status === "requires_action" && run.required_action) {
    // Answer each function call; replace "{}" with your function's real result.
    const tool_outputs = run.required_action.submit_tool_outputs.tool_calls.map((call) => ({
      tool_call_id: call.id,
      output: "{}",
    }));
    run = await client.beta.threads.runs.submitToolOutputsAndPoll(run.id, { thread_id: thread.id, tool_outputs });
  }
`
    : ""
}  console.log("run:", run.id, run.status);

  if (run.status === "completed") {
    const messages = await client.beta.threads.messages.list(thread.id, { order: "asc" });
    for (const message of messages.data) {
      for (const part of message.content) {
        if (part.type === "text") console.log(\`\${message.role}: \${part.text.value}\`);
      }
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
`;

  const q = `api-version=${target.apiVersion}`;
  const headerLine = header ? ` \\\n  -H ${shellQuote(`${CONNECTION_HEADER}: ${target.connection}`)}` : "";
  const curl = `#!/usr/bin/env bash
# Talks to the Assistants Playground's proxy; the proxy adds the real credentials, so no key is needed here.
set -euo pipefail
BASE=${shellQuote(baseURL)}
Q=${shellQuote(q)}
first_id() { grep -o '"id": *"[^"]*"' | head -n 1 | cut -d'"' -f4; }
field() { grep -o "\\"$1\\": *\\"[^\\"]*\\"" | head -n 1 | cut -d'"' -f4; }

# 1. Create the assistant
ASSISTANT=$(curl -sS --fail-with-body -X POST "$BASE/assistants?$Q" \\
  -H 'content-type: application/json'${headerLine} \\
  -d ${shellQuote(JSON.stringify(body))})
ASSISTANT_ID=$(printf '%s' "$ASSISTANT" | first_id)
echo "assistant: $ASSISTANT_ID"

# 2. Create a thread with a message and run it
RUN=$(curl -sS --fail-with-body -X POST "$BASE/threads/runs?$Q" \\
  -H 'content-type: application/json'${headerLine} \\
  -d "{\\"assistant_id\\": \\"$ASSISTANT_ID\\", \\"thread\\": {\\"messages\\": [{\\"role\\": \\"user\\", \\"content\\": ${JSON.stringify(JSON.stringify(message)).slice(1, -1)}}]}}")
RUN_ID=$(printf '%s' "$RUN" | first_id)
THREAD_ID=$(printf '%s' "$RUN" | field thread_id)

# 3. Wait for the run to finish
STATUS=queued
while [ "$STATUS" = queued ] || [ "$STATUS" = in_progress ] || [ "$STATUS" = cancelling ]; do
  sleep 1
  STATUS=$(curl -sS --fail-with-body "$BASE/threads/$THREAD_ID/runs/$RUN_ID?$Q"${header ? ` \\\n    -H ${shellQuote(`${CONNECTION_HEADER}: ${target.connection}`)}` : ""} | field status)
done
echo "run: $RUN_ID $STATUS"${hasFunctions ? `\n# requires_action: answer with POST $BASE/threads/$THREAD_ID/runs/$RUN_ID/submit_tool_outputs?$Q` : ""}

# 4. Read the answer
curl -sS --fail-with-body "$BASE/threads/$THREAD_ID/messages?$Q&order=asc"${header ? ` \\\n  -H ${shellQuote(`${CONNECTION_HEADER}: ${target.connection}`)}` : ""}
echo
`;
  return { python, typescript, curl };
}
