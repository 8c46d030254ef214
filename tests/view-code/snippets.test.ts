// The "View code" snippets, run for real: TypeScript with tsx and curl with bash, against the local
// engine on a loopback port behind a stand-in for the playground's proxy path (/api/openai). The
// Python snippet cannot run here (PyPI is unreachable, so the `openai` package is missing): it is
// compiled with py_compile and its calls are checked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createEngine, type Engine } from "@/lib/engine/index";
import { serveEngine, type ServedEngine } from "@/lib/engine/server";
import { generateSnippets } from "@/lib/client/assistants/code";
import { emptyForm, toRequestBody } from "@/lib/client/assistants/form";

const run = promisify(execFile);
// The snippet lives in a temp dir: let it resolve `openai` from this project, as an installed package.
const tsEnv = { ...process.env, NODE_PATH: path.join(process.cwd(), "node_modules") };
const API_VERSION = "2024-05-01-preview";
let engine: Engine;
let served: ServedEngine;
let proxy: http.Server;
let origin: string;
const seenHeaders: string[] = [];
const dir = mkdtempSync(path.join(tmpdir(), "view-code-"));

beforeAll(async () => {
  engine = createEngine({ dataDir: path.join(dir, "engine") });
  served = await serveEngine(engine, { port: 0 });
  const target = new URL(served.url);
  // Stands in for the playground's proxy route: /api/openai/<path> → the engine's /openai/<path>.
  proxy = http.createServer((req, res) => {
    const header = req.headers["x-playground-connection"];
    seenHeaders.push(typeof header === "string" ? header : "");
    if (req.headers["api-key"] && req.headers["api-key"] !== "unused") seenHeaders.push("LEAKED KEY");
    const forward = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: (req.url ?? "/").replace(/^\/api\/openai/, "/openai"),
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  const addr = proxy.address();
  origin = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((r) => proxy.close(() => r()));
  await served.close();
  await engine.close();
});

function body(name: string, withFunction = false) {
  const form = emptyForm();
  form.name = name;
  form.instructions = "You are a friendly tester.";
  form.codeInterpreter = true;
  form.metadata = [{ key: "source", value: "view-code" }];
  if (withFunction)
    form.functions = [
      {
        key: "f",
        json: JSON.stringify({
          name: "get_weather",
          description: "Weather for a city",
          parameters: {
            type: "object",
            properties: { location: { type: "string" } },
            required: ["location"],
          },
        }),
      },
    ];
  return toRequestBody(form, API_VERSION);
}

async function assistantsNamed(name: string) {
  const res = await fetch(`${served.url}/openai/assistants?api-version=${API_VERSION}&limit=100`);
  const list = (await res.json()) as {
    data: Array<{ id: string; name: string; tools: unknown[]; metadata: unknown }>;
  };
  return list.data.filter((a) => a.name === name);
}

describe("View code snippets", () => {
  it("TypeScript: creates the assistant and completes a run, through the proxy path, with the connection header", async () => {
    const snippets = generateSnippets(
      { origin, connection: "local", isDefault: false, apiVersion: API_VERSION },
      body("TS snippet"),
    );
    expect(snippets.typescript).not.toMatch(/api[-_]?key["']?\s*[:=]\s*["'](?!unused)/i);
    const file = path.join(dir, "snippet.ts");
    writeFileSync(file, snippets.typescript);
    seenHeaders.length = 0;
    const { stdout } = await run("npx", ["tsx", file], { cwd: process.cwd(), timeout: 60_000, env: tsEnv });
    expect(stdout).toMatch(/^assistant: asst_/m);
    expect(stdout).toMatch(/^run: run_\S+ completed$/m);
    expect(stdout).toMatch(/^user: Hello! What can you do\?$/m);
    expect(stdout).toMatch(/^assistant: /m);
    const created = await assistantsNamed("TS snippet");
    expect(created).toHaveLength(1);
    expect(created[0]?.tools).toEqual([{ type: "code_interpreter" }]);
    expect(created[0]?.metadata).toEqual({ source: "view-code" });
    expect(seenHeaders.length).toBeGreaterThan(3);
    expect(new Set(seenHeaders)).toEqual(new Set(["local"]));
  }, 90_000);

  it("TypeScript: answers function calls (requires_action) and the run completes", async () => {
    const snippets = generateSnippets(
      { origin, connection: "local", isDefault: true, apiVersion: API_VERSION },
      body("TS function", true),
    );
    expect(snippets.typescript).not.toContain("x-playground-connection");
    const file = path.join(dir, "snippet-fn.ts");
    writeFileSync(
      file,
      snippets.typescript.replace("Hello! What can you do?", "What is the weather in Paris?"),
    );
    const { stdout } = await run("npx", ["tsx", file], { cwd: process.cwd(), timeout: 60_000, env: tsEnv });
    expect(stdout).toMatch(/^run: run_\S+ completed$/m);
    expect(await assistantsNamed("TS function")).toHaveLength(1);
  }, 90_000);

  it("curl: creates the assistant, runs it and prints the thread's messages", async () => {
    const snippets = generateSnippets(
      { origin, connection: "local", isDefault: false, apiVersion: API_VERSION },
      body("curl's snippet"),
    );
    const file = path.join(dir, "snippet.sh");
    writeFileSync(file, snippets.curl);
    seenHeaders.length = 0;
    const { stdout } = await run("bash", [file], { timeout: 60_000 });
    expect(stdout).toMatch(/^assistant: asst_/m);
    expect(stdout).toMatch(/^run: run_\S+ completed$/m);
    expect(stdout).toContain('"object":"list"');
    expect(stdout).toContain("Hello! What can you do?");
    expect(await assistantsNamed("curl's snippet")).toHaveLength(1);
    expect(new Set(seenHeaders)).toEqual(new Set(["local"]));
  }, 90_000);

  it("Python: compiles, and makes the SDK calls for the assistant and a run, with no key", async () => {
    const snippets = generateSnippets(
      { origin, connection: "azure-prod", isDefault: false, apiVersion: API_VERSION },
      body("Py snippet", true),
    );
    const file = path.join(dir, "snippet.py");
    writeFileSync(file, snippets.python);
    await run("python3", ["-m", "py_compile", file]);
    const py = snippets.python;
    expect(py).toContain("from openai import AzureOpenAI");
    expect(py).toContain(`base_url="${origin}/api/openai"`);
    expect(py).toContain('api_key="unused"');
    expect(py).toContain(`api_version="${API_VERSION}"`);
    expect(py).toContain('default_headers={"x-playground-connection": "azure-prod"}');
    expect(py).toContain('    name="Py snippet",');
    expect(py).toContain('"type": "code_interpreter"');
    expect(py).toContain("client.beta.assistants.create(");
    expect(py).toContain(
      "client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)",
    );
    expect(py).toContain("submit_tool_outputs_and_poll(");
    expect(py).toContain("description=None,");
  });
});
