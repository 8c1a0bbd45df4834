import { pathToFileURL } from "node:url";
import { Ledger } from "../engine/llm/index.js";
import type { CompletionRequest } from "../engine/llm/index.js";
import { Router } from "../engine/llm/index.js";
import { resolveRoutes } from "../engine/llm/index.js";
import { say, ScriptedProvider } from "../engine/llm/index.js";
import { AppSettings } from "../engine/llm/settings.js";
import type { TaskRequest } from "../engine/llm/tasks.js";
import { percentile } from "../engine/llm/usage-report.js";

/**
 * Router overhead: the same in-process scripted model called through `router.run` and directly,
 * interleaved call by call so both see the same machine. The router runs as in play (complexity
 * detection, route, circuit breaker, timeout, ledger in memory) with the cache off, so every call
 * reaches the model. Between calls the loop gives the event loop a turn, untimed, as play always
 * does: that is when the ledger writes its batches. Goal: ≤ 50 µs at p99.
 */

export interface Percentiles {
  readonly p50Us: number;
  readonly p99Us: number;
}

export interface RouterBenchResult {
  readonly benchmark: "router-overhead";
  readonly calls: number;
  readonly direct: Percentiles;
  readonly router: Percentiles;
  /** Router percentile minus direct percentile. */
  readonly overhead: Percentiles;
  readonly goalP99Us: number;
  readonly meetsGoal: boolean;
}

export const ROUTER_OVERHEAD_GOAL_P99_US = 50;

export async function benchRouter(options: { calls?: number; warmup?: number } = {}): Promise<RouterBenchResult> {
  const calls = options.calls ?? 20_000;
  const warmup = options.warmup ?? Math.min(2_000, calls);
  const provider = new ScriptedProvider({ id: "local:bench.gguf", then: say("The innkeeper nods and pours you a drink."), recordRequests: false });
  const settings = AppSettings.parse({ version: 1, slots: { main: [{ provider: "local", file: "bench.gguf" }] }, cache: { enabled: false } });
  const ledger = Ledger.open(":memory:");
  const router = new Router({ settings: () => settings, createProvider: () => provider, ledger });

  const messages = [
    { role: "system", content: "You are the narrator of a fantasy role-playing game. Speak for the characters." },
    { role: "user", content: "I ask the innkeeper for a drink." },
  ] as const;
  const task: TaskRequest = { type: "dialogue", messages };
  const route = resolveRoutes(settings.routes).dialogue.routine;
  const request: CompletionRequest = { messages, temperature: route.temperature, maxTokens: route.maxTokens };

  const direct: number[] = [];
  const routed: number[] = [];
  for (let i = 0; i < warmup + calls; i++) {
    const t0 = process.hrtime.bigint();
    await provider.complete(request);
    const t1 = process.hrtime.bigint();
    const result = await router.run(task);
    const t2 = process.hrtime.bigint();
    if (!result.ok) throw new Error(`the router did not answer: ${JSON.stringify(result.errors)}`);
    await new Promise(resolve => setImmediate(resolve));
    if (i < warmup) continue;
    direct.push(Number(t1 - t0) / 1000);
    routed.push(Number(t2 - t1) / 1000);
  }
  ledger.close();
  await router.dispose();

  const directP = percentiles(direct);
  const routerP = percentiles(routed);
  const overhead = { p50Us: round(routerP.p50Us - directP.p50Us), p99Us: round(routerP.p99Us - directP.p99Us) };
  return {
    benchmark: "router-overhead",
    calls,
    direct: directP,
    router: routerP,
    overhead,
    goalP99Us: ROUTER_OVERHEAD_GOAL_P99_US,
    meetsGoal: overhead.p99Us <= ROUTER_OVERHEAD_GOAL_P99_US,
  };
}

function percentiles(samples: number[]): Percentiles {
  samples.sort((a, b) => a - b);
  return { p50Us: round(percentile(samples, 0.5) ?? 0), p99Us: round(percentile(samples, 0.99) ?? 0) };
}

function round(us: number): number {
  return Math.round(us * 100) / 100;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchRouter(), null, 2));
}
