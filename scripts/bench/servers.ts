/**
 * The processes the bench measures, each on its own free port on 127.0.0.1:
 * - the local engine as its own HTTP server (`lib/engine/server.ts`, one process of its own, so its
 *   memory is its own and the bench's client work does not share its event loop);
 * - a fixed-latency stub upstream (in the bench process: it only sleeps and writes);
 * - the bare app (scripts/bench/bare-route.ts + bare-app/), built `output: "standalone"` and served by
 *   its own `server.js` — the same kind of server as the playground's, so the floor is like-for-like;
 * - the playground, served by scripts/serve-standalone.mjs exactly as `npm start` does. That script
 *   spawns `node server.js` as a child: the child is the process that serves, and the one sampled.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { childrenOf, commandOf } from "./rss";
import { API_VERSION, freePort, sleep, waitFor } from "./util";

export interface Served {
  url: string;
  /** The pid of the process that serves (not a wrapper's). */
  pid: number;
  /** What that process is, for the report. */
  command: string;
  stop(): Promise<void>;
}

const ROOT = process.cwd();

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
}

/** The engine's own HTTP server in a process of its own (`node --import tsx lib/engine/server.ts`). */
export async function startEngineProcess(dataDir: string): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "lib/engine/server.ts")], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production", ENGINE_PORT: String(port), ENGINE_DATA_DIR: dataDir },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/_engine/health`);
  } catch (e) {
    await stopper(child)();
    throw e;
  }
  return { url, pid: child.pid!, command: "node lib/engine/server.ts", stop: stopper(child) };
}

/** The stub's fixed latency before it answers, and its SSE pacing. */
export const STUB = { latencyMs: 5, events: 40, eventGapMs: 2 };

/** A fixed-latency Assistants-shaped upstream: a JSON list, and a paced SSE run. */
export function startStub(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      setTimeout(() => {
        if (req.method === "POST" && req.url?.includes("/threads/runs")) {
          res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
          let i = 0;
          const tick = () => {
            if (i === STUB.events) {
              res.end("event: done\ndata: [DONE]\n\n");
              return;
            }
            res.write(
              `event: thread.message.delta\ndata: {"id":"msg_stub","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"word${i} "}}]}}\n\n`,
            );
            i += 1;
            setTimeout(tick, STUB.eventGapMs);
          };
          tick();
          return;
        }
        const body = JSON.stringify({
          object: "list",
          data: [
            {
              id: "asst_stub",
              object: "assistant",
              created_at: 0,
              name: "stub",
              description: null,
              model: "gpt-4o",
              instructions: null,
              tools: [],
              metadata: {},
            },
          ],
          first_id: "asst_stub",
          last_id: "asst_stub",
          has_more: false,
        });
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      }, STUB.latencyMs);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    }),
  );
}

/** Environment for a build or server that must not see the playground's own build settings. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...extra };
  delete env.NEXT_DIST_DIR;
  return env;
}

const BARE_CONFIG =
  'export default { output: "standalone", poweredByHeader: false, outputFileTracingRoot: "/", turbopack: { root: "/" } };\n';

export interface BareApp {
  /** The folder holding the bare app's standalone `server.js`. */
  serverDir: string;
}

/**
 * Builds the bare app: the pass-through route (`app/api/[...path]/route.ts`) and a one-line page,
 * `output: "standalone"`. node_modules is a symlink to the project's, so the tracing root (and
 * Turbopack's root, which must match) is `/`: the standalone output then mirrors absolute paths and
 * `server.js` sits at `.next/standalone/<the app's absolute path>/server.js`.
 */
export function buildBareApp(): BareApp {
  const sources = [
    "scripts/bench/bare-route.ts",
    "scripts/bench/bare-app/layout.tsx",
    "scripts/bench/bare-app/page.tsx",
    "node_modules/next/package.json",
  ];
  const hash = createHash("sha256").update(BARE_CONFIG);
  for (const f of sources) hash.update(readFileSync(path.join(ROOT, f)));
  // Built once per version of its sources and of Next.js (a build takes minutes on 2 CPUs).
  const dir = path.join(os.tmpdir(), `playground-bench-bare-${hash.digest("hex").slice(0, 12)}`);
  const serverDir = path.join(dir, ".next", "standalone", path.relative("/", dir));
  if (existsSync(path.join(serverDir, "server.js")) && existsSync(path.join(serverDir, ".next", "static"))) {
    console.log(`The bare app (the floor) is already built in ${dir}.`);
    return { serverDir };
  }
  rmSync(dir, { recursive: true, force: true });
  const routeDir = path.join(dir, "app", "api", "[...path]");
  mkdirSync(routeDir, { recursive: true });
  copyFileSync(path.join(ROOT, "scripts/bench/bare-route.ts"), path.join(routeDir, "route.ts"));
  copyFileSync(path.join(ROOT, "scripts/bench/bare-app/layout.tsx"), path.join(dir, "app", "layout.tsx"));
  copyFileSync(path.join(ROOT, "scripts/bench/bare-app/page.tsx"), path.join(dir, "app", "page.tsx"));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  writeFileSync(path.join(dir, "package.json"), '{"private":true}\n');
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        lib: ["dom", "esnext"],
        strict: true,
        jsx: "react-jsx",
        module: "esnext",
        moduleResolution: "bundler",
        skipLibCheck: true,
        noEmit: true,
        isolatedModules: true,
        esModuleInterop: true,
      },
      include: ["**/*.ts", "**/*.tsx"],
    }),
  );
  writeFileSync(path.join(dir, "next.config.mjs"), BARE_CONFIG);
  console.log("Building the bare app (the floor), standalone…");
  const r = spawnSync("npx", ["next", "build"], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
    env: cleanEnv({}),
  });
  if (r.status !== 0) throw new Error("the bare app did not build");
  if (!existsSync(path.join(serverDir, "server.js")))
    throw new Error(`no standalone server.js in ${serverDir}`);
  // What serve-standalone.mjs does for the playground: static files beside the server.
  cpSync(path.join(dir, ".next", "static"), path.join(serverDir, ".next", "static"), { recursive: true });
  return { serverDir };
}

/** Serves the bare app's standalone `server.js` with the environment serve-standalone.mjs gives the playground's. */
export async function startBare(app: BareApp, upstreams: Record<string, string>): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, ["server.js"], {
    cwd: app.serverDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: cleanEnv({
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      BARE_UPSTREAMS: JSON.stringify(upstreams),
    }),
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/api/assistants?limit=1&api-version=${API_VERSION}`);
  } catch (e) {
    await stopper(child)();
    throw e;
  }
  return {
    url,
    pid: child.pid!,
    command: `${commandOf(child.pid!)} (the bare app's server.js)`,
    stop: stopper(child),
  };
}

export interface PlaygroundOptions {
  /** Named upstreams for PLAYGROUND_CONNECTIONS (azure-openai kind, a dummy key). */
  remotes: { name: string; url: string }[];
  /** For ENGINE_DATA_DIR and PLAYGROUND_DATA_DIR. */
  dataDir: string;
}

/** The playground as `npm start` serves it: scripts/serve-standalone.mjs, sign-in off (PLAYGROUND_PUBLIC). */
export async function startPlayground(opts: PlaygroundOptions): Promise<Served> {
  const port = await freePort();
  const wrapper = spawn(
    process.execPath,
    [path.join(ROOT, "scripts/serve-standalone.mjs"), "--port", String(port)],
    {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: "1",
        ENGINE_DATA_DIR: path.join(opts.dataDir, "engine"),
        PLAYGROUND_DATA_DIR: path.join(opts.dataDir, "data"),
        PLAYGROUND_PUBLIC: "true",
        PLAYGROUND_CONNECTIONS: JSON.stringify(
          opts.remotes.map((r) => ({
            name: r.name,
            kind: "azure-openai",
            endpoint: r.url,
            apiKey: "bench-key",
          })),
        ),
        PLAYGROUND_DEFAULT_CONNECTION: "local",
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = stopper(wrapper);
  // serve-standalone.mjs copies the static files, then spawns `node server.js` (which renames
  // itself "next-server") and waits on it: its one child is the process that serves.
  let server: number | undefined;
  try {
    await waitFor(`${url}/api/playground/health`);
    for (let i = 0; i < 50 && server === undefined; i++) {
      server = childrenOf(wrapper.pid!)[0];
      if (server === undefined) await sleep(50);
    }
    if (server === undefined) throw new Error("could not find the playground's server process");
  } catch (e) {
    await stop();
    throw e;
  }
  const grandchildren = childrenOf(server);
  if (grandchildren.length > 0)
    console.warn(
      `note: the playground's server.js has child processes (${grandchildren.join(", ")}); only ${server} is sampled`,
    );
  return {
    url,
    pid: server,
    command: `${commandOf(server)} (the playground's server.js, spawned by serve-standalone.mjs)`,
    stop,
  };
}

export async function stopAll(served: (Served | undefined)[]): Promise<void> {
  await Promise.all(served.map((s) => s?.stop()));
}
