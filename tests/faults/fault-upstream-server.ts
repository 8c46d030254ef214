/**
 * The fault upstream on its own port, for Playwright:
 * `tsx tests/faults/fault-upstream-server.ts --port N --data-dir DIR` (see ./fault-upstream.ts).
 */
import path from "node:path";
import { startFaultUpstream } from "./fault-upstream";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i !== -1) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

async function main(): Promise<void> {
  const port = Number(arg("port") ?? process.env.FAULT_UPSTREAM_PORT ?? 5020);
  const dataDir = path.resolve(
    arg("data-dir") ?? process.env.FAULT_UPSTREAM_DATA_DIR ?? ".data/fault-upstream",
  );
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error("--port must be a TCP port (1..65535)");
    process.exit(2);
  }
  const upstream = await startFaultUpstream({ port, dataDir });
  console.log(`Fault upstream on ${upstream.url} (engine data in ${dataDir}); arm faults with POST /_fault`);
  const stop = async () => {
    await upstream.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

void main().catch((e: unknown) => {
  console.error(`fault upstream failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
