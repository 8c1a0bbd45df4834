import os from "node:os";

/**
 * How many threads one local generation should use on a machine with `parallelism` logical CPUs.
 *
 * Half the logical CPUs approximates the physical cores (llama.cpp gains nothing from
 * hyper-threads) and leaves the rest to the UI and to a second slot generating at the same time.
 * On 2 cores that is 1 thread, which measured fastest there (see models/README.md); node-llama-cpp's
 * own default of 4 made decoding hundreds of times slower on such a machine.
 */
export function threadsFor(parallelism: number): number {
  return Math.max(1, Math.floor(parallelism / 2));
}

export function defaultThreads(): number {
  return threadsFor(os.availableParallelism());
}
