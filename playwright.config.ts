import { defineConfig } from "@playwright/test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// Playwright cannot download its own browser on these machines: use Debian's Chromium when
// Playwright's is missing (scripts/find-chromium.mjs decides and explains).
const PORT = Number(process.env.E2E_PORT ?? 3917);
const CHROMIUM =
  process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
// A fresh engine data directory for every test run.
const DATA_DIR = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "playground-e2e-"));
process.env.E2E_DATA_DIR = DATA_DIR;
// Sign-in (docs/access-control.md): the server requires it like any production server; the global
// setup signs in once and every journey starts from that browser state (E2E_STORAGE_STATE), and it
// creates an access token for SDK journeys (E2E_ACCESS_TOKEN).
const PASSWORD = (process.env.E2E_PASSWORD ??= "e2e-password-correct-horse-4921");
const SERVER_STATE_DIR = `${DATA_DIR}-server`;
process.env.E2E_STORAGE_STATE ??= path.join(SERVER_STATE_DIR, "e2e-storage-state.json");
// A recording fake chat-completions upstream for the engine's chat-completions driver (e2e/driver.spec.ts).
const FAKE_CHAT_PORT = PORT + 2;
// The e2e server's named connections (PLAYGROUND_CONNECTIONS): push entries here; the default stays `local`.
const connections: Record<string, unknown>[] = [
  {
    name: "local-chat",
    kind: "local",
    // The header shows "Local engine — fake chat model" (the model's label).
    model: {
      kind: "chat-completions",
      api: "openai-compatible",
      endpoint: `http://127.0.0.1:${FAKE_CHAT_PORT}/v1`,
      label: "fake chat model",
    },
  },
];

// Connections (docs/connections.md): an OpenAI-compatible connection to a second engine, and an
// Azure OpenAI connection to a loopback fake whose every answer is 401 (Test connection: "bad key").
const SECOND_ENGINE_PORT = PORT + 3;
const FAKE_AZURE_PORT = PORT + 4;
const FAKE_KEY = "e2e-azure-key-DO-NOT-LEAK-7f3a";
connections.push(
  {
    name: "second-engine",
    kind: "openai-compatible",
    label: "Second engine (OpenAI-compatible)",
    baseURL: `http://127.0.0.1:${SECOND_ENGINE_PORT}/v1`,
    apiKey: FAKE_KEY,
  },
  {
    name: "azure-bad-key",
    kind: "azure-openai",
    endpoint: `http://127.0.0.1:${FAKE_AZURE_PORT}`,
    apiKey: FAKE_KEY,
  },
);
// Fault tests (e2e/faults.spec.ts): an Azure OpenAI connection to a real engine behind a fake upstream
// that misbehaves on cue (tests/faults/fault-upstream.ts: POST /_fault arms a 429, a hang, a reset…),
// with short proxy timeouts so a hang or a stalled stream shows its error within seconds.
const FAULT_UPSTREAM_PORT = PORT + 5;
connections.push({
  name: "faulty",
  kind: "azure-openai",
  label: "Faulty upstream (fault tests)",
  endpoint: `http://127.0.0.1:${FAULT_UPSTREAM_PORT}`,
  apiKey: FAKE_KEY,
  responseTimeoutMs: 4000,
  streamIdleTimeoutMs: 4000,
});

export default defineConfig({
  testDir: "./e2e",
  // Parallel runs on other ports (E2E_PORT) keep their artifacts apart.
  outputDir: process.env.E2E_PORT ? `test-results-${PORT}` : "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [["list"], ["json", { outputFile: "reports/e2e.json" }]],
  globalSetup: "./e2e/support/global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    storageState: process.env.E2E_STORAGE_STATE,
    browserName: "chromium",
    headless: true,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: [
    {
      command: `npx tsx lib/engine/server.ts`,
      url: `http://127.0.0.1:${SECOND_ENGINE_PORT}/_engine/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      env: { ENGINE_PORT: String(SECOND_ENGINE_PORT), ENGINE_DATA_DIR: `${DATA_DIR}-second-engine` },
    },
    {
      command: `npx tsx e2e/support/fake-azure-401.ts`,
      url: `http://127.0.0.1:${FAKE_AZURE_PORT}/_fake/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      env: { FAKE_AZURE_PORT: String(FAKE_AZURE_PORT) },
    },
    {
      command: `npx tsx tests/faults/fault-upstream-server.ts --port ${FAULT_UPSTREAM_PORT} --data-dir ${DATA_DIR}-faulty`,
      url: `http://127.0.0.1:${FAULT_UPSTREAM_PORT}/_engine/health`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `npx tsx e2e/support/fake-chat-server.ts`,
      url: `http://127.0.0.1:${FAKE_CHAT_PORT}/_fake/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      env: { FAKE_CHAT_PORT: String(FAKE_CHAT_PORT) },
    },
    {
      // The standalone server (output: "standalone"), as deployed: what the journeys prove is what ships.
      command: `node scripts/serve-standalone.mjs --port ${PORT} --host 127.0.0.1`,
      url: `http://127.0.0.1:${PORT}/api/playground/health`,
      reuseExistingServer: false,
      timeout: 90_000,
      env: {
        NEXT_TELEMETRY_DISABLED: "1",
        ENGINE_DATA_DIR: DATA_DIR,
        // The e2e server is the local engine only: no real connection may leak in from the environment.
        AZURE_OPENAI_ENDPOINT: "",
        AZURE_OPENAI_API_KEY: "",
        PLAYGROUND_CONNECTIONS: JSON.stringify(connections),
        PLAYGROUND_DEFAULT_CONNECTION: "local",
        // Connections typed in the browser, refused for loopback and private targets (e2e/connections.spec.ts).
        PLAYGROUND_ALLOW_USER_CONNECTIONS: "true",
        PLAYGROUND_USER_CONNECTION_HOSTS: "localhost",
        PLAYGROUND_PASSWORD: PASSWORD,
        PLAYGROUND_ORIGINS: `http://127.0.0.1:${PORT}`,
        PLAYGROUND_DATA_DIR: SERVER_STATE_DIR,
        PLAYGROUND_PUBLIC: "",
        PLAYGROUND_TRUST_SWA_AUTH: "",
        PLAYGROUND_SESSION_SECRET: "",
        // The lock-out journey (e2e/access.spec.ts) plays a client behind one proxy with its own address.
        PLAYGROUND_TRUSTED_PROXY: "1",
      },
    },
  ],
});
