/**
 * An in-memory LRU cache of encoded responses (vector tiles, GeoJSON layers, the wall screen's
 * summary), bounded in bytes.
 *
 * Every entry is kept under the database's data version (repos/data-version.repo.ts) it was
 * computed at, and served only to a request that reads the same version: a write by ANY process —
 * this server, a second app server, the CLI importer, psql — bumps the version at its commit, so
 * the next request computes afresh. The version is read per request, after the request arrived
 * (services/data-version-reader.ts says why that and not LISTEN/NOTIFY or polling), so no request
 * that starts after a commit is answered from before it.
 *
 * `invalidate()`, called by this process's own writers (plan editor, importer), is only a fast
 * path that frees the memory at once and tells the listeners; correctness does not depend on it.
 * Without a version source (unit tests) the cache relies on `invalidate()` alone.
 */
export type VersionSource = () => Promise<string>;

interface Entry {
  version: string | null;
  body: Uint8Array;
}

const OVERHEAD = 64;
/** One entry may take at most 1/MAX_ENTRY_SHARE of the cache's bytes (see maxEntryBytes). */
const MAX_ENTRY_SHARE = 4;

/** `a` and `b` are versions `oid:counter` of the same table and `a` counts less. */
function isOlder(a: string | null, b: string | null): boolean {
  if (a === null || b === null || a === b) return false;
  const [oidA, nA] = a.split(':');
  const [oidB, nB] = b.split(':');
  return oidA === oidB && nA !== undefined && nB !== undefined && Number(nA) < Number(nB);
}

/** See {@link ResponseCache.slot}. */
export interface CacheSlot {
  /** The kept answer for this request's data version, or null. */
  body: Uint8Array | null;
  /** The data version read for this request (null when the cache is off). */
  version: string | null;
  /** Keeps the answer computed for `version`, unless the data changed meanwhile. */
  keep(body: Uint8Array): void;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private generation = 0;
  /** The newest data version seen; entries of any other are dropped. */
  private version: string | null = null;
  hits = 0;
  misses = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly versionSource: VersionSource | null = null,
  ) {}

  /**
   * Returns the cached answer, or computes, stores and returns it. `compute` gets the data version
   * read for this request (null when the cache is off or has no version source), so it can key
   * stores of its own by it without reading it again.
   */
  async get(key: string, compute: (version: string | null) => Promise<Uint8Array>): Promise<Uint8Array> {
    // Off: nothing kept, so nothing can be stale — and no version read to pay.
    if (this.maxBytes <= 0) return compute(null);
    const slot = this.slotAt(key, this.versionSource ? await this.versionSource() : null);
    if (slot.body) return slot.body;
    const body = await compute(slot.version);
    slot.keep(body);
    return body;
  }

  /**
   * This request's view of `key`: the answer kept under the data version read now, or none and
   * how to keep the one computed for that version. For answers that are streamed out as they are
   * computed (GeoJSON layers) or written without the Hono pipeline (http/tile-fast-path.ts).
   */
  async slot(key: string): Promise<CacheSlot> {
    if (this.maxBytes <= 0) return { body: null, version: null, keep: () => {} };
    return this.slotAt(key, this.versionSource ? await this.versionSource() : null);
  }

  private slotAt(key: string, version: string | null): CacheSlot {
    // A version older than the newest seen (read on a replica still replaying, issue #19): answered
    // afresh and not kept, so the entries of the newer version stay.
    if (isOlder(version, this.version)) return { body: null, version, keep: () => {} };
    if (version !== this.version) this.newVersion(version);
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      this.hits++;
      this.entries.delete(key); // re-insert: Map order is recency order
      this.entries.set(key, hit);
      return { body: hit.body, version, keep: () => {} };
    }
    this.misses++;
    const gen = this.generation;
    return {
      body: null,
      version,
      // Not kept when the data changed meanwhile: invalidated here, or a newer version seen since.
      keep: (body) => {
        if (gen === this.generation && version === this.version) this.put(key, { version, body });
      },
    };
  }

  /**
   * The largest body one entry may have: a quarter of the budget (larger answers are served but not
   * kept). One 49 MB buildings layer of a 100k-building street would otherwise evict every tile of a
   * 64 MB cache, and keeping it cost a second copy at its end (the streamed pieces joined into one
   * buffer): the server's peak memory (issue #17's row, ≤ 400 MB) was set by that copy.
   */
  get maxEntryBytes(): number {
    return Math.max(0, Math.floor(this.maxBytes / MAX_ENTRY_SHARE) - OVERHEAD);
  }

  /** The data version as read for the current request (services/etag.ts); null without a source. */
  currentVersion(): Promise<string | null> {
    return this.versionSource ? this.versionSource() : Promise.resolve(null);
  }

  /** Drops every entry (this process changed data) and tells the listeners. */
  invalidate() {
    this.clear();
    for (const listener of this.listeners) listener();
  }

  /**
   * Calls `listener` after every invalidation and whenever a request sees a new data version
   * (another process changed data): the data behind the answers changed.
   */
  onInvalidate(listener: () => void) {
    this.listeners.push(listener);
  }

  private newVersion(version: string | null) {
    const first = this.version === null;
    this.version = version;
    if (first) return;
    this.invalidate();
  }

  private clear() {
    this.generation++;
    this.entries.clear();
    this.bytes = 0;
  }

  private put(key: string, entry: Entry) {
    const size = entry.body.length + key.length + OVERHEAD;
    if (entry.body.length > this.maxEntryBytes || size > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.body.length + key.length + OVERHEAD;
    }
    this.entries.set(key, entry);
    this.bytes += size;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.body.length + k.length + OVERHEAD;
    }
  }
}
