/**
 * The start-up gate run from `instrumentation.ts`: a production server must not become an open
 * relay for a real connection's key. No `server-only` here: instrumentation is not bundled as a
 * React Server module.
 */
import { EnvError, parseEnv } from "./env-schema";

export type StartupVerdict = { ok: true; notice: string } | { ok: false; message: string };

export function checkStartup(env: Record<string, string | undefined> = process.env): StartupVerdict {
  let parsed;
  try {
    parsed = parseEnv(env);
  } catch (err) {
    if (err instanceof EnvError)
      return { ok: false, message: `Assistants Playground cannot start.\n${err.message}` };
    throw err;
  }
  const real = parsed.connections.find((c) => c.kind !== "local");
  if (!real)
    return { ok: true, notice: "Assistants Playground: serving the local engine only (no keys configured)." };
  const host = new URL(real.kind === "openai-compatible" ? real.baseURL : real.endpoint).host;
  if (env.NODE_ENV === "production" && !parsed.playgroundPublic) {
    return {
      ok: false,
      message: [
        `Assistants Playground refuses to start: this production server has a real connection (${real.name}: ${real.kind} on ${host})`,
        "and no access control, so anyone who can reach it could spend that key through /api/openai.",
        "To serve it anyway, set PLAYGROUND_PUBLIC=true (and keep the server on a network you trust);",
        "to serve the local engine only, unset AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY.",
        "(Sign-in comes in a later version.)",
      ].join("\n"),
    };
  }
  return {
    ok: true,
    notice: `Assistants Playground: connection "${real.name}" (${real.kind} on ${host}) is enabled${parsed.playgroundPublic ? " with PLAYGROUND_PUBLIC=true" : ""}.`,
  };
}

/**
 * Logs the verdict; on refusal exits non-zero. (Measured with Next 16.4.6: a throw in
 * `register()` is only logged by `next start`, which then keeps serving, with 500s.)
 */
export function enforceStartup(env: Record<string, string | undefined> = process.env): void {
  const verdict = checkStartup(env);
  if (verdict.ok) {
    console.log(verdict.notice);
    return;
  }
  console.error(`\n${verdict.message}\n`);
  process.exit(1);
}
