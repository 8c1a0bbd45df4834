import { z } from "zod";

/**
 * The game's only source of randomness: mulberry32, a 32-bit generator whose whole state is one
 * integer stored in GameState, so a saved game continues with exactly the rolls it would have had.
 */

export const RngState = z.object({ seed: z.number().int(), state: z.number().int().min(0).max(0xffffffff) });
export type RngState = z.infer<typeof RngState>;

export function seedRng(seed: number): RngState {
  const s = Math.trunc(seed) >>> 0;
  return { seed: Math.trunc(seed), state: s };
}

/** A cursor over an RngState for one step; read `state` back into the new GameState when done. */
export class Dice {
  #state: number;
  readonly #seed: number;

  constructor(rng: RngState) {
    this.#state = rng.state >>> 0;
    this.#seed = rng.seed;
  }

  get state(): RngState {
    return { seed: this.#seed, state: this.#state };
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    if (max <= min) return min;
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A roll of one die with the given number of sides: 1..sides. */
  roll(sides: number): number {
    return this.int(1, sides);
  }

  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.int(0, items.length - 1)];
  }
}
