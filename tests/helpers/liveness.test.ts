import { describe, expect, it } from "vitest";
import { expectLive, whileProbing } from "./liveness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("whileProbing", () => {
  it("reports a quiet operation as live, with the probes it ran", async () => {
    const report = await whileProbing(
      () => sleep(450).then(() => "done"),
      () => sleep(1),
    );
    expect(report.result).toBe("done");
    expect(report.probes).toBeGreaterThanOrEqual(3);
    expectLive(report, { maxLatencyMs: 1000, maxRssGrowthMB: 64 });
  });

  it("counts a blocked event loop as latency (the probe was due while nothing could run)", async () => {
    const report = await whileProbing(
      async () => {
        await sleep(150);
        const until = Date.now() + 600;
        while (Date.now() < until);
        await sleep(150);
      },
      () => Promise.resolve(),
    );
    expect(report.maxLatencyMs).toBeGreaterThan(450);
    expect(() => expectLive(report, { maxLatencyMs: 300 })).toThrow(/a probe waited \d+ ms/);
  });

  it("counts a probe that could not start while promises kept the event loop from its timers", async () => {
    const report = await whileProbing(
      async () => {
        const until = Date.now() + 500;
        while (Date.now() < until) await Promise.resolve();
      },
      () => Promise.resolve(),
    );
    expect(report.probes).toBe(0);
    expect(report.maxLatencyMs).toBeGreaterThan(300);
  });

  it("counts a probe that never answers, and does not wait for it forever", async () => {
    const report = await whileProbing(
      () => sleep(300),
      () => new Promise(() => {}),
    );
    expect(report.maxLatencyMs).toBeGreaterThan(900);
    expect(report.elapsedMs).toBeLessThan(5000);
  });

  it("sees memory growth and failed probes", async () => {
    const held: Buffer[] = [];
    const report = await whileProbing(
      async () => {
        for (let i = 0; i < 8; i++) {
          held.push(Buffer.alloc(16 * 1024 * 1024, i + 1));
          await sleep(40);
        }
      },
      () => Promise.reject(new Error("refused")),
    );
    expect(held).toHaveLength(8);
    held.length = 0;
    expect(report.peakRssBytes - report.baselineRssBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(report.failures[0]).toMatch(/refused/);
    expect(() => expectLive(report, { maxLatencyMs: 1000, maxRssGrowthMB: 32 })).toThrow(/RSS grew/);
  });
});
