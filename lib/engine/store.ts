/**
 * State behind an interface. The implementation keeps one JSON file per object (written to a
 * temporary name, then renamed, so a crash never leaves half an object) and an in-memory index of
 * the metadata; file bytes live in `files/` and never pass through here.
 */
import fs from "node:fs";
import path from "node:path";
import type { Collections, Kind } from "./records";

export interface Store {
  get<K extends Kind>(kind: K, key: string): Collections[K] | undefined;
  put<K extends Kind>(kind: K, record: Collections[K]): void;
  delete(kind: Kind, key: string): void;
  all<K extends Kind>(kind: K): Collections[K][];
  nextSeq(): number;
  /** Where file bytes and derived data (chunks) live. */
  readonly blobDir: string;
  readonly chunkDir: string;
  clear(): void;
}

const KINDS: Kind[] = [
  "assistant",
  "thread",
  "message",
  "run",
  "step",
  "file",
  "vector_store",
  "vector_store_file",
  "file_batch",
];

/** vector_store.file ids are file ids, unique only within their store. */
export function keyOf(kind: Kind, record: { id: string; vector_store_id?: string }): string {
  return kind === "vector_store_file" ? `${record.vector_store_id}__${record.id}` : record.id;
}

const SAFE_KEY = /^[A-Za-z0-9_-]+$/;

export class JsonDirStore implements Store {
  private readonly maps = new Map<Kind, Map<string, unknown>>();
  private seq = 0;
  readonly blobDir: string;
  readonly chunkDir: string;
  private readonly stateDir: string;

  constructor(readonly dataDir: string) {
    this.stateDir = path.join(/* turbopackIgnore: true */ dataDir, "state");
    this.blobDir = path.join(/* turbopackIgnore: true */ dataDir, "files");
    this.chunkDir = path.join(/* turbopackIgnore: true */ dataDir, "chunks");
    this.load();
  }

  private load(): void {
    fs.mkdirSync(this.blobDir, { recursive: true });
    fs.mkdirSync(this.chunkDir, { recursive: true });
    for (const kind of KINDS) {
      const dir = path.join(/* turbopackIgnore: true */ this.stateDir, kind);
      fs.mkdirSync(dir, { recursive: true });
      const map = new Map<string, unknown>();
      for (const name of fs.readdirSync(/* turbopackIgnore: true */ dir)) {
        if (!name.endsWith(".json")) continue;
        try {
          const rec = JSON.parse(
            fs.readFileSync(path.join(/* turbopackIgnore: true */ dir, name), "utf8"),
          ) as { _seq?: number };
          map.set(name.slice(0, -5), rec);
          if (typeof rec._seq === "number" && rec._seq > this.seq) this.seq = rec._seq;
        } catch {
          // A torn temporary file cannot be here (rename is atomic); an unreadable one is skipped.
        }
      }
      this.maps.set(kind, map);
    }
  }

  private map(kind: Kind): Map<string, unknown> {
    const m = this.maps.get(kind);
    if (!m) throw new Error(`unknown kind ${kind}`);
    return m;
  }

  get<K extends Kind>(kind: K, key: string): Collections[K] | undefined {
    return this.map(kind).get(key) as Collections[K] | undefined;
  }

  put<K extends Kind>(kind: K, record: Collections[K]): void {
    const key = keyOf(kind, record as { id: string; vector_store_id?: string });
    if (!SAFE_KEY.test(key)) throw new Error(`unsafe key ${key}`);
    this.map(kind).set(key, record);
    const file = path.join(/* turbopackIgnore: true */ this.stateDir, kind, `${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(record));
    fs.renameSync(tmp, file);
  }

  delete(kind: Kind, key: string): void {
    this.map(kind).delete(key);
    if (!SAFE_KEY.test(key)) return;
    fs.rmSync(path.join(/* turbopackIgnore: true */ this.stateDir, kind, `${key}.json`), { force: true });
  }

  all<K extends Kind>(kind: K): Collections[K][] {
    return [...this.map(kind).values()] as Collections[K][];
  }

  nextSeq(): number {
    return ++this.seq;
  }

  clear(): void {
    for (const dir of [this.stateDir, this.blobDir, this.chunkDir])
      fs.rmSync(dir, { recursive: true, force: true });
    this.maps.clear();
    this.seq = 0;
    this.load();
  }
}
