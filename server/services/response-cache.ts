/**
 * An in-memory LRU cache of encoded responses (vector tiles, GeoJSON layers), bounded in bytes.
 * They change only when data changes, so every write that touches mapped data calls
 * `invalidate()` (the plan editor, importers); a generation counter makes that O(1) and
 * race-free for responses being computed meanwhile.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;
  private generation = 0;
  hits = 0;
  misses = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /** Returns the cached tile or computes, stores and returns it. */
  async get(key: string, compute: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      this.entries.delete(key); // re-insert: Map order is recency order
      this.entries.set(key, hit);
      return hit;
    }
    this.misses++;
    const gen = this.generation;
    const tile = await compute();
    if (gen === this.generation && this.maxBytes > 0) this.put(key, tile);
    return tile;
  }

  /** Drops every tile (data changed) and tells the listeners. */
  invalidate() {
    this.generation++;
    this.entries.clear();
    this.bytes = 0;
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after every invalidation: the app changed mapped data. */
  onInvalidate(listener: () => void) {
    this.listeners.push(listener);
  }

  private put(key: string, tile: Uint8Array) {
    const size = tile.length + key.length + 64;
    if (size > this.maxBytes) return;
    this.entries.set(key, tile);
    this.bytes += size;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.length + k.length + 64;
    }
  }
}
