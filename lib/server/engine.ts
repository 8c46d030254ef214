import "server-only";
import { createEngine, type Engine } from "@/lib/engine";
import { getEnv } from "./env";

// On globalThis so that dev-mode module reloads reuse the one engine (and its data directory lock).
const holder = globalThis as typeof globalThis & { __playgroundEngine?: Engine };

/** The process-wide local engine, created on first use. */
export function getEngine(): Engine {
  holder.__playgroundEngine ??= createEngine({ dataDir: getEnv().engineDataDir });
  return holder.__playgroundEngine;
}

/** Test seam: serve the local connection from `engine` (or forget it, with `undefined`). */
export function setEngineForTests(engine: Engine | undefined): void {
  holder.__playgroundEngine = engine;
}

/** Stops the engine (timers, pending writes) and forgets it; the next use creates a fresh one. */
export async function closeEngine(): Promise<void> {
  const engine = holder.__playgroundEngine;
  holder.__playgroundEngine = undefined;
  await engine?.close();
}
