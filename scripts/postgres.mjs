// A throwaway PostgreSQL server for the tests: Debian's `postgresql` binaries, `initdb` into a
// temporary directory, listening on 127.0.0.1 only, on a free port; stopped (and its directory
// removed) by `stop()`. Postgres refuses to run as root, so as root the cluster belongs to the
// `postgres` user and the commands run through `runuser`.
//
//   node scripts/postgres.mjs -- <command…>   runs the command with DATABASE_URL set, then stops
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** The directory holding initdb, pg_ctl and postgres (Debian: /usr/lib/postgresql/<major>/bin). */
export function findPostgresBin() {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((d) => /^\d+$/.test(d))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const m of majors) {
    const bin = path.join(root, m, "bin");
    if (existsSync(path.join(bin, "initdb")) && existsSync(path.join(bin, "pg_ctl"))) return bin;
  }
  return null;
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

function userIds(name) {
  const r = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", name], { encoding: "utf8" });
  return r.status === 0 && g.status === 0 ? { uid: Number(r.stdout), gid: Number(g.stdout) } : null;
}

/** Starts a server; resolves to `{ url, stop }`. Throws (never skips) when PostgreSQL is missing. */
export async function startPostgres() {
  const bin = findPostgresBin();
  if (!bin)
    throw new Error(
      "PostgreSQL is not installed (Debian: apt-get install postgresql); the postgres tests need it",
    );
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? userIds("postgres") : null;
  if (asRoot && !owner)
    throw new Error("running as root, but there is no 'postgres' user to run PostgreSQL as");
  const dir = mkdtempSync(path.join(os.tmpdir(), "pg-test-"));
  const data = path.join(dir, "data");
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chmodSync(dir, 0o700);
  }
  const as = (cmd, args) => {
    const full = path.join(bin, cmd);
    const r = owner
      ? spawnSync("runuser", ["-u", "postgres", "--", full, ...args], { encoding: "utf8" })
      : spawnSync(full, args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const port = await freePort();
  as("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  as("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "-t", "60", "start"]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    port,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const sep = process.argv.indexOf("--");
  const command = sep >= 0 ? process.argv.slice(sep + 1) : [];
  if (command.length === 0) {
    console.error("usage: node scripts/postgres.mjs -- <command…>");
    process.exit(2);
  }
  const pg = await startPostgres();
  console.log(`PostgreSQL on ${pg.url}`);
  let status = 1;
  try {
    const r = spawnSync(command[0], command.slice(1), {
      stdio: "inherit",
      env: { ...process.env, DATABASE_URL: pg.url },
    });
    status = r.status ?? 1;
  } finally {
    pg.stop();
  }
  process.exit(status);
}
