/**
 * Connections typed in the browser: the host allowlist, the address checks (private, loopback,
 * link-local… also behind DNS names and redirects), the pinned address, and the key that is never
 * echoed. The resolver is injected so names can "resolve" anywhere while the tests stay on loopback.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { blockedReason } from "@/lib/server/user-connections";
import { hostMatches } from "@/lib/shared/host-patterns";
import { call, json, loadRoute, type RouteModule } from "../proxy/harness";
import { startFakeUpstream, type FakeUpstream } from "../proxy/fake-upstream";

const USER_KEY = "user-key-DO-NOT-LEAK-3c9d";

describe("address checks", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fd00::1", "unique-local"],
    ["fc12:3456::1", "unique-local"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "link-local"],
    ["64:ff9b::a9fe:a9fe", "link-local"],
    ["2002:c0a8:0101::1", "private"],
    ["ff02::1", "multicast"],
  ])("%s is refused (%s)", (address, kind) => {
    expect(blockedReason(address)).toContain(kind);
  });

  it.each([
    "20.42.65.92",
    "52.168.112.66",
    "8.8.8.8",
    "172.32.0.1",
    "2603:1030:20e:3::23c",
    "::ffff:20.42.65.92",
  ])("%s is public", (address) => {
    expect(blockedReason(address)).toBeNull();
  });
});

describe("host patterns", () => {
  it.each([
    ["myres.openai.azure.com", "*.openai.azure.com", true],
    ["MyRes.OpenAI.Azure.com", "*.openai.azure.com", true],
    ["a.b.openai.azure.com", "*.openai.azure.com", false],
    ["openai.azure.com", "*.openai.azure.com", false],
    ["evil-openai.azure.com", "*.openai.azure.com", false],
    ["myres.openai.azure.com.evil.com", "*.openai.azure.com", false],
    ["gateway.example.com", "gateway.example.com", true],
    ["x.gateway.example.com", "gateway.example.com", false],
  ])("%s against %s → %s", (host, pattern, expected) => {
    expect(hostMatches(host, pattern)).toBe(expected);
  });
});

describe("through the proxy", () => {
  let upstream: FakeUpstream;
  let internal: FakeUpstream;
  let route: RouteModule;
  let dns: Record<string, string[]>;
  const lookups: string[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    internal = await startFakeUpstream();
  });
  afterAll(async () => {
    await upstream.close();
    await internal.close();
  });
  beforeEach(async () => {
    ({ route } = await loadRoute({
      PLAYGROUND_ALLOW_USER_CONNECTIONS: "true",
      PLAYGROUND_USER_CONNECTION_HOSTS: "gateway.example.com, *.corp.example.com",
    }));
    dns = {
      "fake.openai.azure.com": ["127.0.0.1"],
      "rebind.openai.azure.com": ["127.0.0.1"],
      "private.openai.azure.com": ["20.42.65.92", "10.0.0.5"],
      "metadata.openai.azure.com": ["169.254.169.254"],
      "v6.openai.azure.com": ["::ffff:127.0.0.1"],
      "ula.services.ai.azure.com": ["fd12::7"],
      "gateway.example.com": ["127.0.0.1"],
    };
    lookups.length = 0;
    const { setUserConnectionNetworkForTests } = await import("@/lib/server/user-connections");
    setUserConnectionNetworkForTests({
      resolve: (host) => {
        lookups.push(host);
        const found = dns[host];
        if (!found)
          return Promise.reject(
            Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" }),
          );
        return Promise.resolve(found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })));
      },
      // The fake upstream lives on 127.0.0.1: only that one loopback address is let through, and
      // only for the names a test says are the fake.
      allowAddress: (address) =>
        (address === "127.0.0.1" && allowLoopback) || blockedReason(address) === null,
      allowHttp: true,
    });
    allowLoopback = true;
    upstream.requests.length = 0;
    internal.requests.length = 0;
    upstream.respond((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          object: "list",
          data: [],
          first_id: "",
          last_id: "",
          has_more: false,
          url: req.url,
        }),
      );
    });
  });
  afterEach(async () => {
    (await import("@/lib/server/user-connections")).setUserConnectionNetworkForTests(undefined);
  });
  let allowLoopback = true;

  const port = () => new URL(upstream.url).port;
  const userHeaders = (endpoint: string, kind = "azure-openai", key = USER_KEY) => ({
    "x-playground-connection": "user",
    "x-playground-user-kind": kind,
    "x-playground-user-endpoint": endpoint,
    "x-playground-user-key": key,
  });
  const send = (endpoint: string, kind?: string, path = "assistants?api-version=2024-05-01-preview") =>
    call(route, "GET", path, { headers: userHeaders(endpoint, kind) });

  async function refusal(res: Response) {
    const text = await res.text();
    expect(text).not.toContain(USER_KEY);
    return (JSON.parse(text) as { error: { code: string; message: string } }).error;
  }

  it("an allowed host on a checked address is reached with the user's key (azure-openai shape)", async () => {
    const res = await send(`http://fake.openai.azure.com:${port()}`);
    expect(res.status).toBe(200);
    const seen = upstream.requests[0]!;
    expect(seen.url).toBe("/openai/assistants?api-version=2024-05-01-preview");
    expect(seen.headers["api-key"]).toBe(USER_KEY);
    expect(seen.headers.host).toBe(`fake.openai.azure.com:${port()}`);
    for (const h of ["x-playground-user-key", "x-playground-user-endpoint", "x-playground-user-kind"])
      expect(seen.headers).not.toHaveProperty(h);
    expect(res.headers.get("x-playground-connection")).toBe("user");
    expect(await res.text()).not.toContain(USER_KEY);
  });

  it("openai-compatible user connections send a bearer key and no api-version", async () => {
    const res = await send(`http://gateway.example.com:${port()}/v1`, "openai-compatible");
    expect(res.status).toBe(200);
    const seen = upstream.requests[0]!;
    expect(seen.url).toBe("/v1/assistants");
    expect(seen.headers.authorization).toBe(`Bearer ${USER_KEY}`);
    expect(seen.headers["openai-beta"]).toBe("assistants=v2");
  });

  it("the socket goes to the address that was checked, even if the name later resolves elsewhere", async () => {
    // The resolver is asked once per request; the connection then uses that answer, not a new lookup.
    const res = await send(`http://rebind.openai.azure.com:${port()}`);
    expect(res.status).toBe(200);
    expect(lookups).toEqual(["rebind.openai.azure.com"]);
    dns["rebind.openai.azure.com"] = ["169.254.169.254"];
    const again = await send(`http://rebind.openai.azure.com:${port()}`);
    expect(again.status).toBe(403);
    expect((await refusal(again)).message).toContain("169.254.169.254");
    expect(upstream.requests).toHaveLength(1);
  });

  it.each([
    ["private.openai.azure.com", "10.0.0.5", "private"],
    ["metadata.openai.azure.com", "169.254.169.254", "link-local"],
    ["v6.openai.azure.com", "::ffff:127.0.0.1", "loopback"],
    ["ula.services.ai.azure.com", "fd12::7", "unique-local"],
  ])("a name that resolves to a non-public address is refused: %s → %s", async (host, address, kind) => {
    const res = await send(`https://${host}`);
    expect(res.status).toBe(403);
    const error = await refusal(res);
    expect(error.code).toBe("user_connection_refused");
    expect(error.message).toContain(address);
    expect(error.message).toContain(kind);
    expect(upstream.requests).toEqual([]);
  });

  it("loopback is refused by the real policy (no test override of the address check)", async () => {
    allowLoopback = false;
    const res = await send(`http://fake.openai.azure.com:${port()}`);
    expect(res.status).toBe(403);
    expect((await refusal(res)).message).toMatch(/127\.0\.0\.1, a loopback address/);
    expect(upstream.requests).toEqual([]);
  });

  it.each([
    ["https://127.0.0.1", "not an allowed host"],
    ["https://169.254.169.254", "not an allowed host"],
    ["https://[::1]", "not an allowed host"],
    ["https://evil.example.net", "not an allowed host"],
    ["https://a.b.openai.azure.com", "not an allowed host"],
    ["ftp://myres.openai.azure.com", "must use https"],
    ["https://user:pw@myres.openai.azure.com", "must not carry credentials"],
    ["https://myres.openai.azure.com/?x=1", "must not carry credentials"],
    ["not a url", "not a URL"],
  ])("%s is refused before any lookup (%s)", async (endpoint, why) => {
    const res = await send(endpoint);
    expect(res.status).toBe(403);
    expect((await refusal(res)).message).toContain(why);
    expect(lookups).toEqual([]);
  });

  it("an unknown name is a clear DNS failure", async () => {
    const res = await send("https://nosuch.openai.azure.com");
    expect(res.status).toBe(502);
    expect((await refusal(res)).message).toContain("DNS lookup failed (ENOTFOUND)");
  });

  it("a redirect to an internal address is not followed", async () => {
    upstream.respond((_req, res) => {
      res.writeHead(307, { location: `${internal.url}/openai/assistants` });
      res.end();
    });
    const res = await send(`http://fake.openai.azure.com:${port()}`);
    expect(res.status).toBe(502);
    expect((await refusal(res)).code).toBe("upstream_redirect");
    expect(internal.requests).toEqual([]);
  });

  it("a missing key or kind is refused, naming the field", async () => {
    const noKey = await call(route, "GET", "assistants?api-version=2024-05-01-preview", {
      headers: { ...userHeaders(`http://fake.openai.azure.com:${port()}`), "x-playground-user-key": "" },
    });
    expect(noKey.status).toBe(403);
    expect((await json(noKey)) as unknown).toMatchObject({ error: { param: "x-playground-user-key" } });
    const badKind = await send(`http://fake.openai.azure.com:${port()}`, "foundry-agents");
    expect(badKind.status).toBe(403);
    expect(upstream.requests).toEqual([]);
  });

  it("the key never shows in an upstream error passed back (Test connection scrubs it too)", async () => {
    upstream.respond((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: {
            code: "401",
            message: "Access denied due to invalid subscription key or wrong API endpoint.",
          },
        }),
      );
    });
    const { POST } = await import("@/app/api/playground/connections/test/route");
    const res = await POST(
      new Request("http://app.test/api/playground/connections/test", {
        method: "POST",
        headers: {
          ...userHeaders(`http://fake.openai.azure.com:${port()}`),
          "content-type": "application/json",
        },
        body: JSON.stringify({ connection: "user", apiVersion: "2024-05-01-preview" }),
      }),
    );
    const text = await res.text();
    expect(text).not.toContain(USER_KEY);
    expect(JSON.parse(text)).toMatchObject({ diagnosis: { ok: false, outcome: "bad_key", status: 401 } });
  });

  it("Test connection reports a refused user endpoint as a diagnosis", async () => {
    const { POST } = await import("@/app/api/playground/connections/test/route");
    const res = await POST(
      new Request("http://app.test/api/playground/connections/test", {
        method: "POST",
        headers: { ...userHeaders("https://metadata.openai.azure.com"), "content-type": "application/json" },
        body: JSON.stringify({ connection: "user" }),
      }),
    );
    expect(res.status).toBe(200);
    const { diagnosis } = (await res.json()) as {
      diagnosis: { ok: boolean; outcome: string; detail: string };
    };
    expect(diagnosis).toMatchObject({ ok: false, outcome: "refused" });
    expect(diagnosis.detail).toContain("169.254.169.254, a link-local address");
  });
});

describe("when user connections are off", () => {
  it("the proxy refuses them with 403 and says which variable turns them on", async () => {
    const { route } = await loadRoute({});
    const res = await call(route, "GET", "assistants?api-version=2024-05-01-preview", {
      headers: {
        "x-playground-connection": "user",
        "x-playground-user-kind": "azure-openai",
        "x-playground-user-endpoint": "https://myres.openai.azure.com",
        "x-playground-user-key": USER_KEY,
      },
    });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain("PLAYGROUND_ALLOW_USER_CONNECTIONS");
    expect(text).toContain("user_connections_disabled");
    expect(text).not.toContain(USER_KEY);
  });
});
