import "server-only";
import { parseEnv, type ServerEnv } from "./env-schema";

export { EnvError, DEFAULT_AZURE_API_VERSION, API_VERSION_PATTERN, type ServerEnv } from "./env-schema";

let cached: ServerEnv | undefined;

/** The validated environment, parsed once per process (tests reset modules to re-read it). */
export function getEnv(): ServerEnv {
  cached ??= parseEnv();
  return cached;
}
