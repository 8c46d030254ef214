// A runnable fake chat-completions upstream for the e2e server (playwright.config.ts starts it on
// FAKE_CHAT_PORT; the `local-chat` connection's engine drives it). It answers by rule, like a small
// obedient model, and records every request (GET /_fake/requests):
// - after a search tool result: one sentence of the first passage, cited with its marker;
// - after a result of the engine's `python` tool: the first line it printed, and a link to every file
//   the code wrote (`[name](sandbox:/mnt/data/name)`), as a model is told to;
// - after a function result: "<function> answered: <output>";
// - a user message with a ```python block, when the `python` tool is offered: runs that code;
// - a user message naming a function (a word of its name, e.g. "weather" for get_weather): calls it;
// - file search offered: searches for the user's words;
// - otherwise: echoes the message.
import {
  startFakeChatUpstream,
  type FakeReply,
  type RecordedRequest,
} from "../../tests/helpers/fake-chat-upstream";

function words(text: string): string[] {
  return text.split(/(?<=\S)\s+/).filter(Boolean);
}

/** Streams a text in small pieces, as a real model does. */
function chunked(text: string): string[] {
  const out: string[] = [];
  const w = words(text);
  for (let i = 0; i < w.length; i += 3) out.push(w.slice(i, i + 3).join(" ") + (i + 3 < w.length ? " " : ""));
  return out;
}

function textOf(content: RecordedRequest["body"]["messages"][number]["content"]): string {
  if (typeof content === "string") return content;
  return (content ?? []).map((p) => p.text ?? "").join(" ");
}

export function respond(req: RecordedRequest): FakeReply {
  const { messages, tools = [] } = req.body;
  const last = messages.at(-1);
  const usage = {
    prompt_tokens: messages.reduce((n, m) => n + Math.ceil(textOf(m.content).length / 4), 0),
    completion_tokens: 12,
  };
  if (last?.role === "tool") {
    const call = messages.flatMap((m) => m.tool_calls ?? []).find((c) => c.id === last.tool_call_id);
    const output = textOf(last.content);
    const marker = /【\d+:\d+†[^】]*】/.exec(output);
    if (marker) {
      const passage = output
        .slice(marker.index + marker[0].length)
        .split("\n")
        .filter((line) => line.trim() && !line.startsWith("#") && !line.startsWith("【"))
        .join(" ")
        .trim();
      const sentence = (passage.split(/(?<=[.!?])\s/)[0] ?? passage).trim();
      return { text: chunked(`According to the files, ${sentence}${marker[0]}`), usage };
    }
    if (call?.function.name === "python") {
      const printed = output.split("\n").find((line) => line.trim() && !line.startsWith("[")) ?? "";
      const links = [...output.matchAll(/^\[file written: sandbox:\/mnt\/data\/(.+)\]$/gm)].map(
        (m) => `[${m[1]}](sandbox:/mnt/data/${m[1]})`,
      );
      return {
        text: chunked(
          `The code ran and printed: ${printed}${links.length ? ` Download ${links.join(", ")}.` : ""}`,
        ),
        usage,
      };
    }
    return { text: chunked(`${call?.function.name ?? "The function"} answered: ${output}`), usage };
  }
  const code = /```python\n([\s\S]*?)```/.exec(textOf(last?.content))?.[1];
  if (code && tools.some((t) => t.function.name === "python"))
    return { toolCalls: [{ name: "python", arguments: JSON.stringify({ code }) }], usage };
  const question = textOf(last?.content).toLowerCase();
  const functions = tools.filter((t) => t.function.name !== "file_search" && t.function.name !== "python");
  const named = functions.find((t) =>
    t.function.name
      .toLowerCase()
      .split(/[_\W]+/)
      .some((w) => w.length > 3 && question.includes(w)),
  );
  if (named) {
    const props = Object.entries(
      (named.function.parameters as { properties?: Record<string, { enum?: unknown[] }> } | undefined)
        ?.properties ?? {},
    );
    const city = /\bin ([A-Z][a-z]+)/.exec(textOf(last?.content))?.[1] ?? "Paris";
    const args = Object.fromEntries(
      props.map(([p, schema]) => [p, schema.enum?.[0] ?? (/city|location|place/.test(p) ? city : "example")]),
    );
    return { toolCalls: [{ name: named.function.name, arguments: JSON.stringify(args) }], usage };
  }
  if (tools.some((t) => t.function.name === "file_search"))
    return {
      toolCalls: [{ name: "file_search", arguments: JSON.stringify({ query: textOf(last?.content) }) }],
      usage,
    };
  return { text: chunked(`Echo from the fake chat model: ${textOf(last?.content)}`), usage };
}

const port = Number(process.env.FAKE_CHAT_PORT ?? 0);
if (process.argv[1]?.endsWith("fake-chat-server.ts")) {
  void startFakeChatUpstream({ port, fallback: respond }).then((up) => {
    console.log(`fake chat-completions upstream on ${up.origin}`);
    const stop = () => void up.close().then(() => process.exit(0));
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}
