/** Bundles ./sdk-floor-entry.ts for the page (esbuild, once per bench run). */
import path from "node:path";
import { build } from "esbuild";

let bundle: Promise<string> | null = null;

export function sdkFloorBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [path.join(import.meta.dirname, "sdk-floor-entry.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  }).then((r) => r.outputFiles[0]!.text);
  return bundle;
}
