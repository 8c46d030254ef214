// `npm start`: builds the playground when the build is missing or older than the sources, then
// serves the standalone server on http://127.0.0.1:${PORT:-3000} with the local engine (no keys,
// no network).
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const port = process.env.PORT ?? "3000";
const host = process.env.HOST ?? "127.0.0.1";

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const distDir = process.env.NEXT_DIST_DIR || ".next";
const buildId = path.join(distDir, "standalone", distDir, "BUILD_ID");
const sourcesChanged =
  !existsSync(buildId) ||
  ["app", "components", "lib", "public"].some((d) => newestMtime(d) > statSync(buildId).mtimeMs) ||
  ["package.json", "next.config.mjs"].some((f) => statSync(f).mtimeMs > statSync(buildId).mtimeMs);

if (sourcesChanged) {
  console.log("Building the playground (first start, or the sources changed)…");
  const r = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// A production server requires sign-in (docs/access-control.md). On this machine's loopback
// address only this machine can reach it, so with no access settings it serves without sign-in.
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);
const accessConfigured = ["PLAYGROUND_PASSWORD", "PLAYGROUND_TRUST_SWA_AUTH", "PLAYGROUND_PUBLIC"].some(
  (name) => (process.env[name] ?? "").trim() !== "",
);
let note = "";
if (!accessConfigured && LOOPBACK.has(host)) {
  process.env.PLAYGROUND_PUBLIC = "true";
  note = " (loopback only, no sign-in: set PLAYGROUND_PASSWORD to require one)";
}

console.log(`\nAssistants Playground: http://${host === "0.0.0.0" ? "localhost" : host}:${port}${note}\n`);
const child = spawn(process.execPath, ["scripts/serve-standalone.mjs", "--host", host, "--port", port], {
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
