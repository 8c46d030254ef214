/**
 * Access tokens for scripts and notebooks (`api-key: <token>` or `Authorization: Bearer <token>`).
 * Shown once when created; only their SHA-256 is kept, in `<data dir>/access-tokens.json`.
 * Tokens carry 256 random bits, so a plain hash is enough (no password stretching needed).
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export const TOKEN_PREFIX = "pgat_";
const TOKEN_PATTERN = /^pgat_[A-Za-z0-9_-]{43}$/;
/** Last-used times are written at most this often per token. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface AccessTokenRecord {
  id: string;
  name: string;
  /** sha256 hex of the token. */
  hash: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** What the app may show about a token: never its hash. */
export interface AccessTokenInfo {
  id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

const hashOf = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

interface Cache {
  file: string;
  mtimeMs: number;
  records: AccessTokenRecord[];
}
// Shared by the root proxy.ts and the route handlers (separate bundles, one process).
const caches: Map<string, Cache> = ((
  globalThis as { __playgroundTokenCaches?: Map<string, Cache> }
).__playgroundTokenCaches ??= new Map());

export class AccessTokenStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(/* turbopackIgnore: true */ dataDir, "access-tokens.json");
  }

  private load(): AccessTokenRecord[] {
    let mtimeMs = -1;
    try {
      mtimeMs = statSync(this.file).mtimeMs;
    } catch {
      // No file yet: no tokens.
    }
    const cached = caches.get(this.file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.records;
    let records: AccessTokenRecord[] = [];
    if (mtimeMs >= 0) {
      const parsed = JSON.parse(readFileSync(this.file, "utf8")) as { tokens?: AccessTokenRecord[] };
      records = Array.isArray(parsed.tokens) ? parsed.tokens : [];
    }
    caches.set(this.file, { file: this.file, mtimeMs, records });
    return records;
  }

  private save(records: AccessTokenRecord[]): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${randomUUID()}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ tokens: records }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
    caches.set(this.file, { file: this.file, mtimeMs: statSync(this.file).mtimeMs, records });
  }

  list(): AccessTokenInfo[] {
    return this.load()
      .map(toInfo)
      .sort((a, b) => b.created_at - a.created_at);
  }

  /** Creates a token; the returned `token` is the only time its value exists outside the caller. */
  create(name: string, now = Date.now()): { token: string; info: AccessTokenInfo } {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    const record: AccessTokenRecord = {
      id: `tok_${randomBytes(9).toString("base64url")}`,
      name,
      hash: hashOf(token),
      createdAt: Math.floor(now / 1000),
      lastUsedAt: null,
    };
    this.save([...this.load(), record]);
    return { token, info: toInfo(record) };
  }

  revoke(id: string): boolean {
    const records = this.load();
    const kept = records.filter((r) => r.id !== id);
    if (kept.length === records.length) return false;
    this.save(kept);
    return true;
  }

  /** The token's record when it is a live token (and notes its use), else null. */
  verify(candidate: string | null | undefined, now = Date.now()): AccessTokenInfo | null {
    if (!candidate || !TOKEN_PATTERN.test(candidate)) return null;
    const hash = hashOf(candidate);
    const records = this.load();
    const record = records.find((r) => r.hash === hash);
    if (!record) return null;
    const nowS = Math.floor(now / 1000);
    if (record.lastUsedAt === null || (nowS - record.lastUsedAt) * 1000 >= LAST_USED_RESOLUTION_MS) {
      try {
        this.save(records.map((r) => (r.id === record.id ? { ...r, lastUsedAt: nowS } : r)));
      } catch {
        // A read-only disk must not lock scripts out; the time is only informative.
      }
    }
    return toInfo(record);
  }
}

function toInfo(r: AccessTokenRecord): AccessTokenInfo {
  return { id: r.id, name: r.name, created_at: r.createdAt, last_used_at: r.lastUsedAt };
}
