/**
 * A map that keeps at most `limit` entries: reading or writing an entry makes it the most recently
 * used, and adding one past the limit drops the least recently used. The process-wide caches (lib
 * files, compiled validators, formatted runs) hold what they may need again this way, bounded.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The entry of `key`, made by `create` when there is none. */
  getOrCreate(key: K, create: () => V): V {
    let value = this.get(key);
    if (value === undefined) this.set(key, (value = create()));
    return value;
  }
}
