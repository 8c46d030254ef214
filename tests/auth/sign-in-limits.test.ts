import { afterEach, describe, expect, it, vi } from "vitest";
import { bucketOf, SIGN_IN_LIMITS, SignInLimiter } from "@/lib/server/auth/rate-limit";
import { browser, DATA_DIR, load, PASSWORD, type Env, type Routes } from "./harness";

afterEach(() => vi.useRealTimers());

const signIn = (routes: Routes, password: string, forwardedFor?: string) =>
  routes.signIn.POST(
    browser("/api/playground/auth/sign-in", {
      method: "POST",
      body: JSON.stringify({ password }),
      headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
    }),
  );

const withPassword = (env: Env = {}) =>
  load({ PLAYGROUND_PASSWORD: PASSWORD, PLAYGROUND_DATA_DIR: DATA_DIR, ...env });

describe("which address a sign-in attempt counts against", () => {
  it("without a trusted proxy, X-Forwarded-For picks no bucket: forging someone's address locks them out of nothing", async () => {
    const routes = await withPassword();
    const victim = "198.51.100.7";
    for (let i = 0; i < 6; i++) expect((await signIn(routes, "guess", victim)).status).toBe(401);
    expect((await signIn(routes, PASSWORD, victim)).status).toBe(200);
  });

  it("with PLAYGROUND_TRUSTED_PROXY=2, the address the outer proxy saw counts; what the client wrote before it does not", async () => {
    const routes = await withPassword({ PLAYGROUND_TRUSTED_PROXY: "2" });
    const attacker = (i: number) => `203.0.113.${i}, 198.51.100.20, 10.0.0.2`;
    for (let i = 0; i < 5; i++) expect((await signIn(routes, "guess", attacker(i))).status).toBe(401);
    expect((await signIn(routes, PASSWORD, attacker(99))).status).toBe(429);
    // Someone else behind the same inner proxy is not locked out.
    expect((await signIn(routes, PASSWORD, "203.0.113.1, 198.51.100.21, 10.0.0.2")).status).toBe(200);
  });

  it("counts an address without the port a proxy adds, and IPv6 per /64", () => {
    expect(bucketOf("203.0.113.7:53124")).toBe("203.0.113.7");
    expect(bucketOf("[2001:db8:1:2::5]:443")).toBe("2001:db8:1:2::/64");
    expect(bucketOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(bucketOf("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(bucketOf("::1")).toBe("0:0:0:0::/64");
  });

  it("refuses a PLAYGROUND_TRUSTED_PROXY that is not a small whole number", async () => {
    const { parseEnv } = await import("@/lib/server/env-schema");
    for (const value of ["yes", "-1", "1.5", "11"])
      expect(() => parseEnv({ PLAYGROUND_TRUSTED_PROXY: value }, "/srv/app")).toThrow(
        /PLAYGROUND_TRUSTED_PROXY/,
      );
    expect(parseEnv({ PLAYGROUND_TRUSTED_PROXY: "1" }, "/srv/app").access.trustedProxyHops).toBe(1);
  });
});

describe("the overall cap", () => {
  it.each([
    ["behind a trusted proxy, from many addresses", { PLAYGROUND_TRUSTED_PROXY: "1" }],
    ["with no trusted proxy", {}],
  ] as const)("slows sign-in but never locks everyone out (%s)", async (_, env) => {
    const routes = await withPassword(env);
    vi.useFakeTimers({ toFake: ["Date", "setTimeout"] });
    for (let i = 0; i < SIGN_IN_LIMITS.overall; i++)
      expect((await signIn(routes, "guess", `192.0.2.${Math.floor(i / 5)}`)).status).toBe(401);

    let settled = false;
    const attempt = signIn(routes, PASSWORD, "198.51.100.50").finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(SIGN_IN_LIMITS.slowMs - 500);
    expect(settled).toBe(false); // slowed…
    await vi.advanceTimersByTimeAsync(600);
    expect((await attempt).status).toBe(200); // …but heard
  });

  it("keeps a bounded number of attempts waiting, and a bounded map of addresses", () => {
    const limiter = new SignInLimiter({ ...SIGN_IN_LIMITS, maxSlowed: 3, maxClients: 100 });
    expect([limiter.hold(), limiter.hold(), limiter.hold(), limiter.hold()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    limiter.release();
    expect(limiter.hold()).toBe(true);

    const now = Date.now();
    for (let i = 0; i < 5_000; i++) limiter.fail(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, now);
    expect(limiter.size).toBeLessThanOrEqual(100);
    for (let i = 0; i < 5; i++) limiter.fail("198.51.100.1", now);
    expect(limiter.retryAfter("198.51.100.1", now)).toBeGreaterThan(0);
  });
});

describe("the sign-in body", () => {
  it("is refused past 8 KB without being read whole", async () => {
    const routes = await withPassword();
    const response = await routes.signIn.POST(
      browser("/api/playground/auth/sign-in", {
        method: "POST",
        body: JSON.stringify({ password: "x".repeat(100_000) }),
      }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "request_too_large" } });
  });
});
