import { afterEach, describe, expect, it, vi } from "vitest";
import { QueryClient } from "@tanstack/react-query";
import type { BackupContents } from "../../export/archive";
import { backupKeys, restorePlanQuery, type LoadedArchive } from "./queries";

afterEach(() => vi.unstubAllGlobals());

const backup = {
  manifest: { threadIndex: [], warnings: [] } as unknown as BackupContents["manifest"],
  assistants: [{ id: "asst_1", name: "Tutor" }],
  files: [],
  vectorStores: [],
  threads: [],
  bytes: new Map(),
} as unknown as BackupContents;
const archive: LoadedArchive = { id: "1:a.zip", name: "a.zip", zip: new Uint8Array([1]), backup };
const local = { name: "local", label: "Local", kind: "local" };
const azure = { name: "azure", label: "Azure", kind: "azure" };

describe("restorePlanQuery", () => {
  it("keys the plan by the archive read and the target, so either change plans again", () => {
    expect(restorePlanQuery(archive, local).queryKey).toEqual(backupKeys.plan("1:a.zip", local));
    expect(restorePlanQuery(archive, local).queryKey).not.toEqual(restorePlanQuery(archive, azure).queryKey);
    expect(restorePlanQuery({ ...archive, id: "2:a.zip" }, local).queryKey).not.toEqual(
      restorePlanQuery(archive, local).queryKey,
    );
  });

  it("plans a recreate without asking anyone, and an exact restore after the engine's dry run", async () => {
    const fetch = vi.fn(async () =>
      Response.json({ collisions: ["asst_1"], created: {}, skipped: [], warnings: [] }),
    );
    vi.stubGlobal("fetch", fetch);
    const client = new QueryClient();
    const recreate = await client.fetchQuery(restorePlanQuery(archive, azure));
    expect(recreate.mode).toBe("recreate");
    expect(fetch).not.toHaveBeenCalled();

    const exact = await client.fetchQuery(restorePlanQuery(archive, local));
    expect(exact.mode).toBe("exact");
    expect(exact.collisions).toEqual(["asst_1"]);
    expect(exact.items[0]).toMatchObject({ id: "asst_1", exists: true });
    expect(String((fetch.mock.calls[0] as unknown[])[0])).toContain("dryRun=true");
  });

  it("waits while nothing is read", () => {
    expect(restorePlanQuery(null, local).queryFn).toBe(restorePlanQuery(null, azure).queryFn);
  });
});
