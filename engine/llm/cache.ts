import { z } from "zod";

/**
 * Answers to deterministic requests (temperature 0), keyed by request fingerprint, kept in memory
 * and bounded: the least recently used entry goes first. Only deterministic requests are cached,
 * because asking again at a higher temperature is asking for a different answer.
 */

export const CachePolicy = z.strictObject({
  enabled: z.boolean().default(true),
  maxEntries: z.number().int().min(1).max(100_000).default(256),
});
export type CachePolicy = z.infer<typeof CachePolicy>;

export class ResponseCache<V> {
  // A Map iterates in insertion order; re-inserting on every hit keeps the oldest use first.
  readonly #entries = new Map<string, V>();
  #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#evict();
  }

  /** Settings can shrink the cache at any time; the oldest entries go at once. */
  resize(maxEntries: number): void {
    this.#maxEntries = maxEntries;
    this.#evict();
  }

  #evict(): void {
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) return;
      this.#entries.delete(oldest.value);
    }
  }
}
