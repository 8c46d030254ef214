import "server-only";
/**
 * Connections typed in by a person in the browser (PLAYGROUND_ALLOW_USER_CONNECTIONS=true). The
 * browser sends the endpoint and key with each request; nothing is stored on the server. Before
 * anything is sent, the endpoint must be https, its host must match the allowlist of host patterns,
 * and every address its name resolves to must be public. The socket then goes to the address that
 * was checked (pinned), so a DNS answer that changes in between (rebinding) cannot redirect it, and
 * redirects are never followed (see proxy/upstream.ts).
 */
import { promises as dns } from "node:dns";
import net from "node:net";
import {
  AZURE_ASSISTANTS_API_VERSIONS,
  DEFAULT_API_VERSION,
  OPENAI_COMPATIBLE_API_VERSION,
} from "@/lib/protocol/api-versions";
import { hostMatches } from "@/lib/shared/host-patterns";
import type { PinnedAddress, RemoteConnection } from "./connection-types";
import { getEnv } from "./env";
import { USER_CONNECTION_NAME } from "./env/connections-env";
import { ProxyError } from "./proxy/errors";

export const USER_KIND_HEADER = "x-playground-user-kind";
export const USER_ENDPOINT_HEADER = "x-playground-user-endpoint";
export const USER_KEY_HEADER = "x-playground-user-key";

export const USER_CONNECTION_KINDS = ["azure-openai", "openai-compatible"] as const;
export type UserConnectionKind = (typeof USER_CONNECTION_KINDS)[number];

export type { PinnedAddress } from "./connection-types";

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface UserConnectionNetwork {
  /** Resolves a host name to every address it has. */
  resolve: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Whether an address may be reached; tests widen it to let loopback fakes through. */
  allowAddress: (address: string) => boolean;
  /** Tests only: plain http to the fake upstream. */
  allowHttp: boolean;
}

const systemResolve = async (hostname: string): Promise<ResolvedAddress[]> =>
  dns.lookup(hostname, { all: true, verbatim: true });

const holder = globalThis as typeof globalThis & { __playgroundUserNetwork?: Partial<UserConnectionNetwork> };

function network(): UserConnectionNetwork {
  const o = holder.__playgroundUserNetwork ?? {};
  return {
    resolve: o.resolve ?? systemResolve,
    allowAddress: o.allowAddress ?? ((a) => blockedReason(a) === null),
    allowHttp: o.allowHttp ?? false,
  };
}

/** Test seam: a resolver, an address policy, plain http (or `undefined` to restore the real ones). */
export function setUserConnectionNetworkForTests(override: Partial<UserConnectionNetwork> | undefined): void {
  holder.__playgroundUserNetwork = override;
}

// Everything that is not a public unicast address (RFC 6890 special-purpose registries).
const blocked = new net.BlockList();
const V4: [string, number, string][] = [
  ["0.0.0.0", 8, "an unspecified (this-network) address"],
  ["10.0.0.0", 8, "a private address"],
  ["100.64.0.0", 10, "a carrier-grade NAT (shared) address"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local address (cloud metadata lives here)"],
  ["172.16.0.0", 12, "a private address"],
  ["192.0.0.0", 24, "an IETF protocol address"],
  ["192.0.2.0", 24, "a documentation address"],
  ["192.88.99.0", 24, "a 6to4 relay address"],
  ["192.168.0.0", 16, "a private address"],
  ["198.18.0.0", 15, "a benchmarking address"],
  ["198.51.100.0", 24, "a documentation address"],
  ["203.0.113.0", 24, "a documentation address"],
  ["224.0.0.0", 4, "a multicast address"],
  ["240.0.0.0", 4, "a reserved address"],
];
const V6: [string, number, string][] = [
  ["::", 128, "an unspecified address"],
  ["::1", 128, "a loopback address"],
  ["64:ff9b:1::", 48, "a local NAT64 address"],
  ["100::", 64, "a discard-only address"],
  ["2001::", 23, "an IETF protocol address"],
  ["2001:db8::", 32, "a documentation address"],
  ["fc00::", 7, "a unique-local (private) address"],
  ["fe80::", 10, "a link-local address"],
  ["fec0::", 10, "a site-local address"],
  ["ff00::", 8, "a multicast address"],
];
for (const [a, p] of V4) blocked.addSubnet(a, p, "ipv4");
for (const [a, p] of V6) blocked.addSubnet(a, p, "ipv6");

function v4Reason(address: string): string | null {
  if (!blocked.check(address, "ipv4")) return null;
  const rule = V4.find(([a, p]) => {
    const one = new net.BlockList();
    one.addSubnet(a, p, "ipv4");
    return one.check(address, "ipv4");
  });
  return rule?.[2] ?? "a non-public address";
}

/** IPv6 forms that carry an IPv4 address: mapped (::ffff:a.b.c.d), compatible, NAT64, 6to4. */
function embeddedV4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::ffff:0:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted?.[1] && net.isIPv4(dotted[1])) return dotted[1];
  const groups = expandV6(lower);
  if (!groups) return null;
  const hex = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeros(5) && groups[5] === 0xffff) return hex(groups[6]!, groups[7]!); // mapped
  if (zeros(6) && (groups[6] !== 0 || groups[7]! > 1)) return hex(groups[6]!, groups[7]!); // compatible
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0))
    return hex(groups[6]!, groups[7]!); // NAT64
  if (groups[0] === 0x2002) return hex(groups[1]!, groups[2]!); // 6to4
  return null;
}

function expandV6(address: string): number[] | null {
  if (!net.isIPv6(address)) return null;
  let text = address.split("%")[0] ?? "";
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4) {
    const [a, b, c, d] = v4.split(".").map(Number) as [number, number, number, number];
    text = text.slice(0, -v4.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const parts = [...h, ...Array<string>(fill).fill("0"), ...t];
  if (parts.length !== 8) return null;
  return parts.map((g) => parseInt(g, 16));
}

/** Why an address must not be reached (loopback, private, link-local…), or null when it is public. */
export function blockedReason(address: string): string | null {
  if (net.isIPv4(address)) return v4Reason(address);
  if (!net.isIPv6(address)) return "not an IP address";
  const inner = embeddedV4(address);
  if (inner) {
    const why = v4Reason(inner);
    if (why) return `${why} (as IPv6 ${address})`;
  }
  if (!blocked.check(address.split("%")[0] ?? address, "ipv6")) return null;
  const rule = V6.find(([a, p]) => {
    const one = new net.BlockList();
    one.addSubnet(a, p, "ipv6");
    return one.check(address.split("%")[0] ?? address, "ipv6");
  });
  return rule?.[2] ?? "a non-public address";
}

const refuse = (message: string, param: string | null = USER_ENDPOINT_HEADER) =>
  new ProxyError(403, "user_connection_refused", message, param);

function headerValue(headers: Headers, name: string): string {
  return headers.get(name)?.trim() ?? "";
}

/** Parses and checks the user's endpoint; resolves its host and checks every address. */
export async function checkUserEndpoint(
  endpoint: string,
  hostPatterns: readonly string[],
): Promise<{ url: URL; pinned: PinnedAddress }> {
  const net_ = network();
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw refuse("The endpoint is not a URL; enter one such as https://myres.openai.azure.com.");
  }
  if (url.protocol !== "https:" && !(net_.allowHttp && url.protocol === "http:"))
    throw refuse(`The endpoint must use https (got ${url.protocol.replace(":", "")}).`);
  if (url.username || url.password || url.search || url.hash)
    throw refuse(
      "The endpoint must not carry credentials, a query or a fragment; put the key in the key field.",
    );
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  if (!hostPatterns.some((p) => hostMatches(hostname, p)))
    throw refuse(
      `${hostname} is not an allowed host for connections typed in here; allowed: ${hostPatterns.join(", ")}. Ask the operator to add it to PLAYGROUND_USER_CONNECTION_HOSTS.`,
    );

  let addresses: ResolvedAddress[];
  if (net.isIP(hostname)) addresses = [{ address: hostname, family: net.isIP(hostname) }];
  else {
    try {
      addresses = await net_.resolve(hostname);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "";
      throw new ProxyError(
        502,
        "upstream_unreachable",
        `Could not reach ${hostname}: DNS lookup failed${code ? ` (${code})` : ""}. Check the host name.`,
        USER_ENDPOINT_HEADER,
      );
    }
  }
  if (addresses.length === 0)
    throw new ProxyError(
      502,
      "upstream_unreachable",
      `Could not reach ${hostname}: it resolves to no address.`,
    );
  for (const a of addresses) {
    if (!net_.allowAddress(a.address)) {
      const why = blockedReason(a.address) ?? "an address this server may not reach";
      throw refuse(
        `${hostname} resolves to ${a.address}, ${why}. Connections typed in here may only reach public addresses.`,
      );
    }
  }
  const first = addresses[0]!;
  return { url, pinned: { address: first.address, family: first.family === 6 ? 6 : 4 } };
}

/** The connection described by the request's `x-playground-user-*` headers, checked. */
export async function resolveUserConnection(headers: Headers): Promise<RemoteConnection> {
  const env = getEnv();
  if (!env.userConnections.enabled)
    throw new ProxyError(
      403,
      "user_connections_disabled",
      "Connections typed in the browser are turned off on this server (PLAYGROUND_ALLOW_USER_CONNECTIONS).",
      "x-playground-connection",
    );
  const kind = headerValue(headers, USER_KIND_HEADER);
  if (!(USER_CONNECTION_KINDS as readonly string[]).includes(kind))
    throw refuse(`Choose the kind of connection: ${USER_CONNECTION_KINDS.join(" or ")}.`, USER_KIND_HEADER);
  const endpoint = headerValue(headers, USER_ENDPOINT_HEADER);
  if (!endpoint) throw refuse("Enter the endpoint URL.");
  const key = headerValue(headers, USER_KEY_HEADER);
  if (!key) throw refuse("Enter the key.", USER_KEY_HEADER);
  const { url, pinned } = await checkUserEndpoint(endpoint, env.userConnections.hostPatterns);
  const base = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  const host = url.host;
  const common = {
    name: USER_CONNECTION_NAME,
    deployments: [],
    listThreads: false,
    host,
    pinned,
    normalizeLists: false,
  };
  if (kind === "azure-openai")
    return {
      ...common,
      kind: "azure-openai",
      label: `Your connection — ${host}`,
      description: `Azure OpenAI on ${host}, with the key you entered (kept in this browser tab only).`,
      apiVersion: DEFAULT_API_VERSION,
      apiVersions: [...AZURE_ASSISTANTS_API_VERSIONS],
      supportsApiVersion: (v) => /^\d{4}-\d{2}-\d{2}(-preview)?$/.test(v),
      baseURL: `${base.replace(/\/openai$/, "")}/openai`,
      auth: { type: "api-key", key },
      sendsApiVersion: true,
      headers: {},
    };
  return {
    ...common,
    kind: "openai-compatible",
    label: `Your connection — ${host}`,
    description: `An OpenAI Assistants v2 server at ${host}, with the key you entered (kept in this browser tab only).`,
    apiVersion: OPENAI_COMPATIBLE_API_VERSION,
    apiVersions: [OPENAI_COMPATIBLE_API_VERSION],
    supportsApiVersion: (v) => v === OPENAI_COMPATIBLE_API_VERSION,
    baseURL: base,
    auth: { type: "bearer", key },
    sendsApiVersion: false,
    headers: { "openai-beta": "assistants=v2" },
  };
}
