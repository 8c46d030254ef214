import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildPolicy } from "./auth/policy";
import { parseEnv } from "./env-schema";
import { createRecord, deleteRecord, getRecord, listRecords, putRecord } from "./evaluations";
import { EVALUATION_LIMITS, type PromptSet } from "@/lib/evaluations/model";

const dir = mkdtempSync(path.join(tmpdir(), "evaluations-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function policyOf(extra: Record<string, string>) {
  const env = {
    PLAYGROUND_DATA_DIR: dir,
    ENGINE_DATA_DIR: path.join(dir, "engine"),
    NODE_ENV: "production",
    ...extra,
  };
  return buildPolicy(parseEnv(env, dir), env);
}
const open = policyOf({ PLAYGROUND_PUBLIC: "true" });
const locked = policyOf({ PLAYGROUND_PASSWORD: "a-long-enough-password-4921" });

const ORIGIN = "http://127.0.0.1:3000";
function request(method: string, body?: unknown, headers: Record<string, string> = {}) {
  return new Request(`${ORIGIN}/api/playground/evaluations/x`, {
    method,
    headers: { host: "127.0.0.1:3000", origin: ORIGIN, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

const set = (id: string, over: Partial<PromptSet> = {}): PromptSet => ({
  id,
  name: "Weather and charts",
  description: "",
  prompts: [
    { id: "p1", text: "Plot a sine wave", attachments: [], checks: [{ type: "uses_code_interpreter" }] },
  ],
  created_at: 1,
  updated_at: 2,
  ...over,
});

describe("evaluation records", () => {
  it("create, list, read, replace, delete", async () => {
    const created = await createRecord(request("POST", set("set_a")), "prompt-sets", open);
    expect(created.status).toBe(201);
    expect((await createRecord(request("POST", set("set_a")), "prompt-sets", open)).status).toBe(409);

    const list = (await (await listRecords(request("GET"), "prompt-sets", open)).json()) as {
      data: unknown[];
    };
    expect(list.data).toEqual([
      { id: "set_a", name: "Weather and charts", description: "", prompts: 1, updated: 2 },
    ]);

    const replaced = await putRecord(
      request("PUT", set("set_a", { name: "Renamed", updated_at: 3 })),
      "prompt-sets",
      "set_a",
      open,
    );
    expect(replaced.status).toBe(200);
    const read = (await (await getRecord(request("GET"), "prompt-sets", "set_a", open)).json()) as PromptSet;
    expect(read.name).toBe("Renamed");

    expect((await deleteRecord(request("DELETE"), "prompt-sets", "set_a", open)).status).toBe(200);
    expect((await getRecord(request("GET"), "prompt-sets", "set_a", open)).status).toBe(404);
    expect(readdirSync(path.join(dir, "evaluations", "prompt-sets"))).toEqual([]);
  });

  it("refuses invalid records, saying where", async () => {
    const bad = await createRecord(
      request(
        "POST",
        set("set_b", {
          prompts: [{ id: "p1", text: "x", attachments: [], checks: [{ type: "contains" } as never] }],
        }),
      ),
      "prompt-sets",
      open,
    );
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; message: string; param: string } };
    expect(body.error.code).toBe("invalid_record");
    expect(body.error.message).toMatch(/prompts\.0\.checks\.0\.value/);
    expect((await createRecord(request("POST", "{nope"), "prompt-sets", open)).status).toBe(400);
    expect((await putRecord(request("PUT", set("set_c")), "prompt-sets", "set_other", open)).status).toBe(
      400,
    );
    expect((await getRecord(request("GET"), "prompt-sets", "../../etc", open)).status).toBe(400);
    expect((await listRecords(request("GET"), "secrets", open)).status).toBe(404);
    expect(existsSync(path.join(dir, "evaluations", "prompt-sets", "set_b.json"))).toBe(false);
  });

  it("refuses a body over the record size without storing anything", async () => {
    const huge = set("set_big", { description: "x".repeat(EVALUATION_LIMITS.recordBytes) });
    const response = await putRecord(request("PUT", huge), "prompt-sets", "set_big", open);
    expect(response.status).toBe(413);
    expect(existsSync(path.join(dir, "evaluations", "prompt-sets", "set_big.json"))).toBe(false);
  });

  it("requires sign-in where the server does, and refuses other origins", async () => {
    const anonymous = await listRecords(request("GET"), "prompt-sets", locked);
    expect(anonymous.status).toBe(401);
    const foreign = await createRecord(
      request("POST", set("set_x"), { origin: "https://evil.example", "sec-fetch-site": "cross-site" }),
      "prompt-sets",
      open,
    );
    expect(foreign.status).toBe(403);
    expect(existsSync(path.join(dir, "evaluations", "prompt-sets", "set_x.json"))).toBe(false);
  });
});
