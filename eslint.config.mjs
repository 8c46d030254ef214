import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import pluginQuery from "@tanstack/eslint-plugin-query";

// The boundaries in README.md ("Architecture"), enforced: the browser side never imports the engine or the server.
const serverOnly = {
  patterns: [
    {
      group: ["@/lib/engine", "@/lib/engine/*", "**/lib/engine/**"],
      message: "app/ and components/ never import the engine; go through the proxy.",
    },
    {
      group: ["@/lib/server", "@/lib/server/*", "**/lib/server/**"],
      message: "lib/server is server-only; app/ pages and components talk to it through the proxy route.",
    },
  ],
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  // Query keys name everything their query reads; query results are not passed whole into hook dependencies.
  ...pluginQuery.configs["flat/recommended"],
  {
    files: ["components/**/*.{ts,tsx}", "app/**/*.tsx", "lib/client/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", serverOnly] },
  },
  {
    files: ["components/ui/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...serverOnly.patterns,
            {
              group: ["@/components/*", "!@/components/ui", "!@/components/ui/*"],
              message: "components/ui imports no feature code.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@/app/*",
                "@/components/*",
                "@/lib/server/*",
                "@/lib/client/*",
                "next",
                "next/*",
                "react",
              ],
              message: "lib/engine is a library: it imports nothing from the app.",
            },
          ],
        },
      ],
    },
  },
  {
    // The server never reaches into the browser's code; what both need lives in lib/protocol or lib/shared.
    files: ["lib/server/**/*.ts"],
    ignores: ["lib/server/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/lib/client|(\\.\\./)+client)(/|$)",
              message:
                "lib/server imports nothing from lib/client; share through lib/protocol or lib/shared.",
            },
          ],
        },
      ],
    },
  },
  {
    // No import cycles in the libraries (type-only imports do not count: they vanish at runtime).
    files: ["lib/**/*.{ts,tsx}"],
    rules: { "import/no-cycle": "error" },
    // Packages cannot cycle back into lib/, and parsing PGlite's bundle overflows the parser's stack.
    settings: { "import/ignore": ["node_modules"] },
  },
  {
    // lib/protocol (and lib/shared) hold what the engine, the server and the browser share: they import nothing.
    files: ["lib/protocol/**/*.ts", "lib/shared/**/*.ts"],
    ignores: ["lib/protocol/**/*.test.ts", "lib/shared/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(?!\\./[^/]+$)",
              message:
                "lib/protocol imports nothing (only its own files): engine, server and client import it.",
            },
          ],
        },
      ],
    },
  },
  globalIgnores([
    "reports/**",
    ".next*/**",
    "out/**",
    "build/**",
    "next-env.d.ts",
    "playwright-report/**",
    "test-results/**",
    ".data/**",
    "node_modules/**",
  ]),
]);
