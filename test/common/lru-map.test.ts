import { LruMap } from "../../common/lru-map.js";

describe("LruMap", () => {
  it("drops the least recently used entry past its limit; reading or writing an entry makes it the most recent", () => {
    const map = new LruMap<string, number>(2);
    map.set("a", 1);
    map.set("b", 2);
    expect(map.get("a")).toBe(1); // a is now the most recent: b goes first
    map.set("c", 3);
    expect([map.get("a"), map.get("b"), map.get("c")]).toEqual([1, undefined, 3]);
    map.set("a", 10); // rewritten: the most recent again, c goes next
    map.set("d", 4);
    expect([map.get("a"), map.get("c"), map.get("d")]).toEqual([10, undefined, 4]);
  });

  it("creates an entry once with getOrCreate and returns the same one after", () => {
    const map = new LruMap<string, object>(1);
    let made = 0;
    const create = () => ({ n: ++made });
    const first = map.getOrCreate("k", create);
    expect(map.getOrCreate("k", create)).toBe(first);
    map.getOrCreate("other", create); // evicts k
    expect(map.getOrCreate("k", create)).not.toBe(first);
    expect(made).toBe(3);
  });
});
