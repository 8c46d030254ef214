/** Internal errors say what failed, never where the server keeps its files. */
import fs from "node:fs";
import path from "node:path";
import { InternalServerError } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { withoutPaths } from "@/lib/engine/errors";
import { makeHarness, type Harness } from "@/tests/engine/harness";
import { browser, DATA_DIR, load, proxyCall } from "./harness";

const API = "2024-05-01-preview";
let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

describe("internal error messages carry no absolute paths", () => {
  it("an engine whose disk fails answers 500 with the fs error's kind, not its path (through the SDK)", async () => {
    // The folder store: its writes are file-system calls whose errors carry paths.
    h = await makeHarness({ database: "json" });
    fs.rmSync(path.join(h.dir, "state"), { recursive: true, force: true });
    fs.writeFileSync(path.join(h.dir, "state"), "not a directory");
    const err = await h.v2.client.beta.assistants.create({ model: "gpt-4o" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    const message = (err as InternalServerError).message;
    expect(message).toContain("ENOTDIR");
    expect(message).toContain("<path>");
    expect(message).not.toContain(h.dir);
    expect(message).not.toMatch(/\/tmp\//);
  });

  it("a local engine that cannot start answers 503 without naming its data directory (through the proxy)", async () => {
    const blocker = path.join(DATA_DIR, "a-file");
    fs.writeFileSync(blocker, "");
    const routes = await load({
      NODE_ENV: "development",
      PLAYGROUND_DATA_DIR: DATA_DIR,
      ENGINE_DATA_DIR: path.join(blocker, "engine"),
    });
    const response = await proxyCall(
      routes,
      "GET",
      "assistants",
      browser(`/api/openai/assistants?api-version=${API}`),
    );
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).toContain("engine_unavailable");
    expect(text).not.toContain(DATA_DIR);
  });

  it("withoutPaths takes out POSIX, Windows and file: paths and leaves URLs and prose alone", () => {
    expect(withoutPaths("ENOENT: no such file or directory, open '/srv/data/engine/x.json'")).toBe(
      "ENOENT: no such file or directory, open '<path>'",
    );
    expect(withoutPaths("EACCES: permission denied, mkdir /var/lib/pg (C:\\Users\\ada\\x)")).toBe(
      "EACCES: permission denied, mkdir <path> (<path>)",
    );
    expect(withoutPaths("file:///home/ada/x and ~/notes")).toBe("<path> and <path>");
    const prose = "see https://example.com/a/b, and/or 1/2 of a / b";
    expect(withoutPaths(prose)).toBe(prose);
  });
});
