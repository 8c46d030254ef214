/**
 * Sign-in attempts: at most `perClient` wrong passwords per window from one address, and once
 * `overall` wrong passwords have come from everyone together, every attempt is slowed — never
 * refused — so nobody can lock everyone out.
 *
 * The address: a Next.js route handler is not given the socket. Next copies the socket's address
 * into `X-Forwarded-For` only when the request has none, so a client talking to the server directly
 * can write any value there. The header therefore counts only when PLAYGROUND_TRUSTED_PROXY says how
 * many proxies of ours append to it; without that, the address is unknown and only the overall
 * slow-down applies (docs/access-control.md).
 */
import { isIPv6 } from "node:net";

export interface RateLimitOptions {
  perClient: number;
  overall: number;
  windowMs: number;
  /** How long each attempt waits once `overall` is reached. */
  slowMs: number;
  /** Attempts allowed to wait at once; beyond it the server answers "busy" (memory stays bounded). */
  maxSlowed: number;
  /** Addresses remembered; the oldest are forgotten first (an attacker's many addresses cannot grow the map). */
  maxClients: number;
}

export const SIGN_IN_LIMITS: RateLimitOptions = {
  perClient: 5,
  overall: 50,
  windowMs: 5 * 60_000,
  slowMs: 2_000,
  maxSlowed: 64,
  maxClients: 10_000,
};

interface Window {
  start: number;
  failures: number;
}

export class SignInLimiter {
  private readonly clients = new Map<string, Window>();
  private all: Window = { start: 0, failures: 0 };
  private slowed = 0;

  constructor(private readonly options: RateLimitOptions = SIGN_IN_LIMITS) {}

  private current(w: Window | undefined, now: number): Window {
    return w && now - w.start < this.options.windowMs ? w : { start: now, failures: 0 };
  }

  /** Seconds before this address is heard again (0: now). An unknown address (null) is never locked. */
  retryAfter(client: string | null, now = Date.now()): number {
    if (client === null) return 0;
    const mine = this.current(this.clients.get(client), now);
    if (mine.failures < this.options.perClient) return 0;
    return Math.ceil((mine.start + this.options.windowMs - now) / 1000);
  }

  /** How long the next attempt waits before its password is checked (0 unless the overall cap is reached). */
  slowdownMs(now = Date.now()): number {
    return this.current(this.all, now).failures >= this.options.overall ? this.options.slowMs : 0;
  }

  /** Takes a waiting place, or returns false when `maxSlowed` attempts already wait. */
  hold(): boolean {
    if (this.slowed >= this.options.maxSlowed) return false;
    this.slowed += 1;
    return true;
  }

  release(): void {
    this.slowed = Math.max(0, this.slowed - 1);
  }

  fail(client: string | null, now = Date.now()): void {
    this.all = this.current(this.all, now);
    this.all.failures += 1;
    if (client === null) return;
    const mine = this.current(this.clients.get(client), now);
    mine.failures += 1;
    this.clients.delete(client); // re-inserted last: the Map's order is oldest first
    this.clients.set(client, mine);
    if (this.clients.size > this.options.maxClients) {
      for (const [key, w] of this.clients)
        if (now - w.start >= this.options.windowMs) this.clients.delete(key);
      for (const key of this.clients.keys()) {
        if (this.clients.size <= this.options.maxClients) break;
        this.clients.delete(key);
      }
    }
  }

  succeed(client: string | null): void {
    if (client !== null) this.clients.delete(client);
  }

  /** Addresses currently remembered. */
  get size(): number {
    return this.clients.size;
  }
}

/**
 * The client's address as the outermost of our `trustedHops` proxies saw it: that many entries from
 * the right of X-Forwarded-For (each proxy appends the address it was reached from). Null when no
 * proxy is trusted — the header is then whatever the client wrote.
 */
export function clientAddress(request: Request, trustedHops: number): string | null {
  if (trustedHops <= 0) return null;
  const entries = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  return bucketOf(entries[Math.max(0, entries.length - trustedHops)]!);
}

/**
 * One bucket per address: the port some proxies add is dropped (Azure App Service sends
 * `203.0.113.7:53124`), IPv4-mapped IPv6 is IPv4, and IPv6 counts per /64 (one host usually has a
 * whole /64 to itself).
 */
export function bucketOf(entry: string): string {
  let a = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  a = a.replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/.exec(a);
  if (mapped) return mapped[1]!;
  if (!isIPv6(a)) return a.slice(0, 100);
  const [head = "", tail] = a.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
