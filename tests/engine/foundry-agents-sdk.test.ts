// Foundry's agents SDK against the engine on its own port (what `npm run engine` serves), unchanged but
// for its endpoint: api-version `v1` on the engine's `/openai` prefix.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { serveEngine, type ServedEngine } from "@/lib/engine/server";
import { agentsClientOverHttp, foundryJourney } from "../helpers/agents-sdk";
import { makeHarness, type Harness } from "./harness";

let h: Harness;
let served: ServedEngine;

beforeEach(async () => {
  h = await makeHarness();
  served = await serveEngine(h.engine);
});

afterEach(async () => {
  await served.close();
  await h.cleanup();
});

describe("@azure/ai-agents against the engine", () => {
  it("runs the Foundry quickstart end to end", async () => {
    await foundryJourney(agentsClientOverHttp(`${served.url}/openai`));
  });

  it("answers Foundry's api-versions with Foundry's list envelope, and Azure's with Azure's", async () => {
    await h.v2.client.beta.assistants.create({ model: "gpt-4o" });
    const get = async (path: string, version: string) =>
      (await (await fetch(`${served.url}/openai/${path}?api-version=${version}`)).json()) as Record<
        string,
        unknown
      >;
    for (const version of ["v1", "2025-05-01", "2025-05-15-preview"]) {
      const agents = await get("assistants", version);
      expect(Object.keys(agents).sort()).toEqual(["data", "has_more", "last_id"]);
      expect(Object.keys(await get("files", version)).sort()).toEqual(["data", "object"]);
    }
    expect(Object.keys(await get("assistants", "2024-05-01-preview")).sort()).toEqual([
      "data",
      "first_id",
      "has_more",
      "last_id",
      "object",
    ]);
  });
});
