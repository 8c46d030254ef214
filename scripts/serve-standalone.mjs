#!/usr/bin/env node
/**
 * Serves the standalone build (`output: "standalone"`) the way it is deployed:
 * copies `public/` and `<distDir>/static` beside `<distDir>/standalone/server.js` (Next leaves
 * them out on purpose: a CDN usually serves them) and runs that server.
 *
 *   node scripts/serve-standalone.mjs [--port 3000] [--host 127.0.0.1]
 *   node scripts/serve-standalone.mjs --prepare-only   (copy only: the folder is then deployable)
 *
 * NEXT_DIST_DIR picks the build directory (default .next). The standalone server changes its
 * working directory to its own folder, so a relative ENGINE_DATA_DIR is resolved here, against
 * the project, before it starts (and PLAYGROUND_DATA_DIR, where access tokens live): the
 * engine's data survives rebuilds.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "3000" },
    host: { type: "string", default: "127.0.0.1" },
    "prepare-only": { type: "boolean", default: false },
  },
});
const root = process.cwd();
const distDir = process.env.NEXT_DIST_DIR || ".next";
const standalone = path.join(root, distDir, "standalone");
const server = path.join(standalone, "server.js");
if (!existsSync(server)) {
  console.error(`No standalone build at ${path.relative(root, server)}: run \`npm run build\` first.`);
  process.exit(1);
}

for (const [from, to] of [
  [path.join(root, "public"), path.join(standalone, "public")],
  [path.join(root, distDir, "static"), path.join(standalone, distDir, "static")],
]) {
  if (!existsSync(from)) continue;
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

if (values["prepare-only"]) {
  console.log(`${path.relative(root, standalone)} is ready to deploy: run it with \`node server.js\`.`);
  process.exit(0);
}

const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  NODE_ENV: "production",
  PORT: values.port,
  HOSTNAME: values.host,
  ENGINE_DATA_DIR: path.resolve(root, process.env.ENGINE_DATA_DIR || path.join(".data", "engine")),
  ...(process.env.PLAYGROUND_DATA_DIR
    ? { PLAYGROUND_DATA_DIR: path.resolve(root, process.env.PLAYGROUND_DATA_DIR) }
    : {}),
};
const child = spawn(process.execPath, [server], { env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
