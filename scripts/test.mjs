// `npm test`: every check the project has, in one command — lint, typecheck, unit tests, the
// production build, the end-to-end tests — then one closing `N passed, N failed` line.
// Stages keep going after a failure so one run shows everything; e2e needs a good build.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { findChromium, HOW_TO_GET_CHROMIUM } from "./find-chromium.mjs";
import { startPostgres } from "./postgres.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const t0 = Date.now();
const stages = [];
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)}s`;

function run(name, cmd, args, env = {}) {
  console.log(`\n=== [${elapsed()}] ${name}: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const ok = r.status === 0;
  stages.push({ name, ok });
  if (!ok) console.log(`--- ${name} failed (exit ${r.status ?? r.signal})`);
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

rmSync("reports", { recursive: true, force: true });
mkdirSync("reports", { recursive: true });

run("typegen", "npx", ["next", "typegen"]);
run("lint", "npx", ["eslint", ".", "--max-warnings=0"]);
run("format", "npx", ["prettier", "--check", "."]);
run("typecheck", "npx", ["tsc", "--noEmit"]);
run("unit", "npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  "--outputFile=reports/vitest.json",
]);
// The engine's tests again on a real PostgreSQL server (started here, loopback only, stopped after):
// the same tests that ran on embedded PGlite above. Missing PostgreSQL fails the stage.
try {
  const pg = await startPostgres();
  try {
    run(
      "unit (postgres)",
      "npx",
      [
        "vitest",
        "run",
        "tests/engine",
        "lib/engine",
        "--reporter=default",
        "--reporter=json",
        "--outputFile=reports/vitest-postgres.json",
      ],
      { ENGINE_TEST_STORE: "postgres", DATABASE_URL: pg.url },
    );
  } finally {
    pg.stop();
  }
} catch (e) {
  console.log(`\n=== unit (postgres) cannot run: ${e.message}`);
  stages.push({ name: "unit (postgres)", ok: false });
}
let built = run("build", "npx", ["next", "build"]);

// The standalone output must hold the server, not the project: a computed path handed to `fs`
// makes Turbopack trace every file (mark it with /* turbopackIgnore: true */, see lib/engine/store.ts).
if (built) {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  const leaked = ["e2e", "tests", "docs", "specs"].filter((d) => existsSync(`${distDir}/standalone/${d}`));
  const ok = existsSync(`${distDir}/standalone/server.js`) && leaked.length === 0;
  console.log(
    ok
      ? "\n=== standalone output: server only"
      : `\n=== standalone output is wrong: ${leaked.length ? `it contains ${leaked.join(", ")}/ (whole-project tracing: find the build's "Dynamic filesystem access" warning)` : "no server.js"}`,
  );
  stages.push({ name: "standalone", ok });
  built = ok;
}

let e2eRan = false;
const chromium = findChromium();
if (!built) {
  console.log("\n=== e2e skipped: the build failed (counted as a failure)");
  stages.push({ name: "e2e", ok: false });
} else if (!chromium) {
  console.log(`\n=== e2e cannot run: ${HOW_TO_GET_CHROMIUM}`);
  stages.push({ name: "e2e", ok: false });
} else {
  const port = process.env.E2E_PORT ?? String(await freePort());
  e2eRan = true;
  run("e2e", "npx", ["playwright", "test"], { E2E_PORT: port, CHROMIUM_PATH: chromium });
}

// The closing line counts tests; a stage that failed without a failing test to show for it
// (lint, typecheck, build, a crashed runner, no browser) counts as one failure, so the line can
// never read clean by accident.
const stageOk = (name) => stages.find((st) => st.name === name)?.ok ?? false;
const v = readJson("reports/vitest.json");
const p = e2eRan ? readJson("reports/e2e.json") : null;
const unit = { passed: 0, failed: 0, skipped: 0 };
for (const r of [v, readJson("reports/vitest-postgres.json")]) {
  if (!r) continue;
  unit.passed += r.numPassedTests;
  unit.failed += r.numFailedTests;
  unit.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
const e2e = p?.stats
  ? { passed: p.stats.expected + p.stats.flaky, failed: p.stats.unexpected, skipped: p.stats.skipped }
  : { passed: 0, failed: 0, skipped: 0 };
if ((!stageOk("unit") || !stageOk("unit (postgres)")) && unit.failed === 0) unit.failed = 1;
if (!stageOk("e2e") && e2e.failed === 0) e2e.failed = 1;
const otherFailures = stages.filter(
  (st) => !st.ok && !st.name.startsWith("unit") && st.name !== "e2e",
).length;

console.log(`\n=== summary after ${elapsed()}`);
for (const st of stages) console.log(`${st.ok ? "ok  " : "FAIL"} ${st.name}`);
console.log(`unit: ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
console.log(`e2e: ${e2e.passed} passed, ${e2e.failed} failed, ${e2e.skipped} skipped`);
const passed = unit.passed + e2e.passed;
const failed = unit.failed + e2e.failed + otherFailures;
const skipped = unit.skipped + e2e.skipped;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
// Skipped tests count as missing.
process.exit(failed === 0 && skipped === 0 ? 0 : 1);
