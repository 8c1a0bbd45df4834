import { describe, expect, it } from "vitest";
import { CachePolicy, ResponseCache } from "./cache.js";

describe("ResponseCache", () => {
  it("defaults to on, 256 entries", () => {
    expect(CachePolicy.parse({})).toEqual({ enabled: true, maxEntries: 256 });
  });

  it("evicts the least recently used entry", () => {
    const cache = new ResponseCache<string>(2);
    cache.set("a", "A");
    cache.set("b", "B");
    expect(cache.get("a")).toBe("A");
    cache.set("c", "C");
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe("A");
    expect(cache.get("c")).toBe("C");
    expect(cache.size).toBe(2);
  });

  it("replaces an entry without growing", () => {
    const cache = new ResponseCache<string>(2);
    cache.set("a", "1");
    cache.set("a", "2");
    expect(cache.size).toBe(1);
    expect(cache.get("a")).toBe("2");
  });

  it("shrinks at once when resized", () => {
    const cache = new ResponseCache<number>(5);
    for (let i = 0; i < 5; i++) cache.set(String(i), i);
    cache.resize(2);
    expect(cache.size).toBe(2);
    expect(cache.get("4")).toBe(4);
    expect(cache.get("0")).toBeUndefined();
  });
});
