// The thread lock under concurrent requests: the check and the write happen in one transaction
// holding the thread's row, so of many simultaneous run creations on one thread exactly one wins,
// and no message lands while that run is active.
import { BadRequestError } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { hangingModel } from "./models";
import { makeHarness, type Harness } from "./harness";

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

describe("thread lock under concurrent requests", () => {
  it("of ten simultaneous runs on one thread exactly one starts; the others and new messages are refused", async () => {
    h = await makeHarness({ model: hangingModel() });
    const c = h.v2.client;
    const a = await c.beta.assistants.create({ model: "gpt-4o" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "hi" }] });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => c.beta.threads.runs.create(t.id, { assistant_id: a.id })),
    );
    const started = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(9);
    for (const e of refused) {
      expect(e).toBeInstanceOf(BadRequestError);
      expect((e as BadRequestError).message).toContain("already has an active run");
    }
    expect((await c.beta.threads.runs.list(t.id)).data).toHaveLength(1);

    const messages = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        c.beta.threads.messages.create(t.id, { role: "user", content: "more" }),
      ),
    );
    for (const m of messages) {
      expect(m.status).toBe("rejected");
      if (m.status === "rejected") expect(String(m.reason)).toContain("while a run");
    }
    const users = (await c.beta.threads.messages.list(t.id)).data.filter((m) => m.role === "user");
    expect(users).toHaveLength(1);
  });
});
