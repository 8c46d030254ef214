// Foundry's agents SDK pointed at the playground: project endpoint `<origin>/api/openai`, the same route,
// access check and allowlist as the openai SDK, on the local engine. The route is served on a loopback
// port so the SDK's own HTTP client, multipart upload and SSE reader are what run.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Engine } from "@/lib/engine";
import { serveEngine, type ServedEngine } from "@/lib/engine/server";
import { agentsClientOverHttp, foundryJourney } from "../helpers/agents-sdk";
import { loadRoute, routeFetch } from "./harness";

let served: ServedEngine;

beforeEach(async () => {
  const { route } = await loadRoute({});
  // serveEngine only calls `fetch`: here it serves the proxy route the way the Next server would.
  served = await serveEngine({ fetch: routeFetch(route) } as unknown as Engine);
});

afterEach(async () => {
  await served.close();
});

describe("@azure/ai-agents through the playground's proxy", () => {
  it("runs the Foundry quickstart end to end on the local engine", async () => {
    await foundryJourney(agentsClientOverHttp(`${served.url}/api/openai`));
  });

  it("forwards Foundry's api-versions to the local engine, which answers in Foundry's list envelope", async () => {
    for (const version of ["v1", "2025-05-01", "2025-05-15-preview"]) {
      const res = await fetch(`${served.url}/api/openai/assistants?api-version=${version}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-playground-api-version")).toBe(version);
      expect(Object.keys((await res.json()) as object).sort()).toEqual(["data", "has_more", "last_id"]);
    }
  });

  it("still refuses an undated label the local engine does not speak", async () => {
    const res = await fetch(`${served.url}/api/openai/assistants?api-version=v2`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_api_version");
  });
});
