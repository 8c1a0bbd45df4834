import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["engine/**/*.test.ts", "app/**/*.test.ts", "bench/**/*.test.ts", "renderer/src/**/*.test.ts", "renderer/src/**/*.test.tsx", "renderer/e2e/**/*.test.ts"],
    // Native addons (better-sqlite3, node-llama-cpp) are safest in child processes, and the
    // machines have two cores: more workers only make the model tests slower.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
