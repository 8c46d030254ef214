/**
 * `npm run engine` answers only as loopback names unless ENGINE_ALLOWED_HOSTS names more (a reverse
 * proxy or container network that reaches it by name). Run as the real command, so the variable is
 * shown to reach the server.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "@/lib/engine/server";

const V2 = "2024-05-01-preview";
let dir: string;
let child: ChildProcess;
let port: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-hosts-"));
  child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "lib/engine/server.ts"], {
    env: {
      ...process.env,
      ENGINE_PORT: "0",
      ENGINE_DATA_DIR: path.join(dir, "engine"),
      ENGINE_ALLOWED_HOSTS: "engine.lan, Other.Example:8080",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`engine exited with ${code}: ${out}`)));
  });
}, 60_000);
afterAll(() => {
  if (child.exitCode === null) child.kill("SIGTERM");
  fs.rmSync(dir, { recursive: true, force: true });
});

function get(host: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: `/openai/assistants?api-version=${V2}`,
        headers: { host, ...headers },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("ENGINE_ALLOWED_HOSTS", () => {
  it("adds host names the engine answers as (and their own-origin pages); others are still refused", async () => {
    expect(await get(`engine.lan:${port}`)).toBe(200);
    expect(await get("other.example:8080", { origin: "http://other.example:8080" })).toBe(200);
    expect(await get(`localhost:${port}`)).toBe(200);
    expect(await get(`attacker.example:${port}`)).toBe(421);
    expect(await get(`engine.lan:${port}`, { origin: "https://attacker.example" })).toBe(403);
  });

  it("takes host names, with or without a port, and refuses anything else", () => {
    expect(parseAllowedHosts(undefined)).toEqual([]);
    expect(parseAllowedHosts(" engine.lan , Engine.Example:5010,[fd00::5]")).toEqual([
      "engine.lan",
      "engine.example",
      "[fd00::5]",
    ]);
    for (const bad of ["*", "http://x/", "a/b", "user@host", "a b"])
      expect(() => parseAllowedHosts(bad)).toThrow(/ENGINE_ALLOWED_HOSTS/);
  });
});
