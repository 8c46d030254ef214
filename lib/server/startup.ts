/**
 * The start-up gate run from `instrumentation.ts`: a production server must never be open to
 * whoever reaches it — not even with the local engine only (its threads and files are somebody's
 * data, and a real connection would spend somebody's key). No `server-only` here: instrumentation
 * is not bundled as a React Server module.
 */
import { EnvError, parseEnv } from "./env-schema";
import { platformOrigins } from "./auth/policy";

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
  const { access } = parsed;
  const production = env.NODE_ENV === "production";
  const real = parsed.connections.find((c) => c.kind !== "local");
  const host = real ? new URL(real.kind === "openai-compatible" ? real.baseURL : real.endpoint).host : null;
  const serving = real ? `connection "${real.name}" (${real.kind} on ${host})` : "the local engine only";

  if (production && !access.playgroundPublic && access.password === null && !access.trustSwaAuth) {
    return {
      ok: false,
      message: [
        `Assistants Playground refuses to start: this production server (serving ${serving}) has no sign-in,`,
        "so anyone who can reach it could read its assistants, threads and files and spend its connections' keys.",
        "Set one of:",
        "  PLAYGROUND_PASSWORD=<a long random password>   sign-in with a shared password;",
        "  PLAYGROUND_TRUST_SWA_AUTH=true                  only behind Azure Static Web Apps with its authentication on;",
        "  PLAYGROUND_PUBLIC=true                          no sign-in at all (a trusted network or a demo).",
        "See docs/access-control.md.",
      ].join("\n"),
    };
  }

  const notes = [`Assistants Playground: serving ${serving}.`];
  const signIn = production ? !access.playgroundPublic : access.password !== null || access.trustSwaAuth;
  if (!signIn)
    notes.push(
      production
        ? "No sign-in (PLAYGROUND_PUBLIC=true)."
        : "No sign-in (development, no PLAYGROUND_PASSWORD).",
    );
  else
    notes.push(
      `Sign-in required: ${[access.password !== null ? "password" : null, access.trustSwaAuth ? "Azure Static Web Apps" : null, "access tokens"].filter(Boolean).join(", ")}.`,
    );
  const unisolated = parsed.connections.filter((c) => c.kind === "local" && c.codeSandbox?.unsafeNoIsolation);
  if (unisolated.length > 0)
    notes.push(
      `WARNING: code interpreter runs WITHOUT ISOLATION on ${unisolated.map((c) => `"${c.name}"`).join(", ")} ` +
        "(ENGINE_CODE_SANDBOX_UNSAFE_NO_ISOLATION=true): code a model or a person writes runs as this server's user, " +
        "with its files, environment and network. Use it only on a trusted single-user machine.",
    );
  if (access.password !== null && access.password.length < 12)
    notes.push("Warning: PLAYGROUND_PASSWORD is shorter than 12 characters; use a long random one.");
  if (production && access.origins.length === 0 && platformOrigins(env).length === 0)
    notes.push(
      "Answering for localhost / 127.0.0.1 / [::1] only: set PLAYGROUND_ORIGINS to the public origin(s) this server is reached at.",
    );
  return { ok: true, notice: notes.join("\n") };
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
