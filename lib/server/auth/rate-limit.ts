/**
 * Sign-in attempts: at most `perClient` failures per window from one client and `overall` from all
 * clients together (the client's address comes from X-Forwarded-For, which a client can forge when
 * nothing sits in front of the server — the overall cap still holds).
 */
export interface RateLimitOptions {
  perClient: number;
  overall: number;
  windowMs: number;
}

export const SIGN_IN_LIMITS: RateLimitOptions = { perClient: 5, overall: 50, windowMs: 5 * 60_000 };

interface Window {
  start: number;
  failures: number;
}

export class SignInLimiter {
  private readonly clients = new Map<string, Window>();
  private all: Window = { start: 0, failures: 0 };

  constructor(private readonly options: RateLimitOptions = SIGN_IN_LIMITS) {}

  private current(w: Window | undefined, now: number): Window {
    return w && now - w.start < this.options.windowMs ? w : { start: now, failures: 0 };
  }

  /** Seconds to wait before another attempt is heard, or 0 when one may be made now. */
  retryAfter(client: string, now = Date.now()): number {
    const mine = this.current(this.clients.get(client), now);
    const all = this.current(this.all, now);
    const waits = [
      mine.failures >= this.options.perClient ? mine.start + this.options.windowMs - now : 0,
      all.failures >= this.options.overall ? all.start + this.options.windowMs - now : 0,
    ];
    return Math.ceil(Math.max(...waits) / 1000);
  }

  fail(client: string, now = Date.now()): void {
    const mine = this.current(this.clients.get(client), now);
    mine.failures += 1;
    this.clients.set(client, mine);
    this.all = this.current(this.all, now);
    this.all.failures += 1;
    if (this.clients.size > 10_000) {
      for (const [key, w] of this.clients)
        if (now - w.start >= this.options.windowMs) this.clients.delete(key);
    }
  }

  succeed(client: string): void {
    this.clients.delete(client);
  }
}

/** The address the nearest proxy saw (the last X-Forwarded-For entry), else "direct". */
export function clientKey(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  return last || "direct";
}
