import { z } from "zod";
import { Slot } from "./model-spec.js";
import { COMPLEXITIES, TASK_TYPES, TaskType, Complexity } from "./tasks.js";

/**
 * Routes map (task type, complexity) to a slot, a temperature and a token limit. The defaults are
 * DESIGN.md's routing table; settings may override any field of any cell.
 */

export const Route = z.strictObject({
  slot: Slot,
  temperature: z.number().min(0).max(2),
  maxTokens: z.number().int().min(1).max(1 << 20),
});
export type Route = z.infer<typeof Route>;

export type RoutesTable = { readonly [T in TaskType]: { readonly [C in Complexity]: Route } };

/** Settings change single fields of single cells, so a player can raise one limit without restating the table. */
export const RouteOverrides = z.partialRecord(TaskType, z.partialRecord(Complexity, Route.partial()));
export type RouteOverrides = z.infer<typeof RouteOverrides>;

function same(route: Route): { [C in Complexity]: Route } {
  return { routine: route, moderate: route, critical: route };
}

export const DEFAULT_ROUTES: RoutesTable = {
  // Routine turns are many and short-lived: the cheap slot. Fights and turning points are what
  // the player remembers: the main slot.
  narration: {
    routine: { slot: "utility", temperature: 0.7, maxTokens: 2048 },
    moderate: { slot: "main", temperature: 0.7, maxTokens: 2048 },
    critical: { slot: "main", temperature: 0.7, maxTokens: 2048 },
  },
  "location-description": same({ slot: "utility", temperature: 0.6, maxTokens: 512 }),
  dialogue: same({ slot: "main", temperature: 0.3, maxTokens: 2048 }),
  "rule-judging": same({ slot: "cot", temperature: 0.1, maxTokens: 512 }),
  "intent-parsing": same({ slot: "utility", temperature: 0.1, maxTokens: 256 }),
  // A name wants variety and few tokens; a quest wants coherence, so the reasoning slot, cooler.
  "content-generation": {
    routine: { slot: "utility", temperature: 0.9, maxTokens: 256 },
    moderate: { slot: "main", temperature: 0.8, maxTokens: 512 },
    critical: { slot: "cot", temperature: 0.7, maxTokens: 1024 },
  },
  summarization: same({ slot: "utility", temperature: 0.3, maxTokens: 1536 }),
};

/** The default table with the overrides applied; every resulting cell is validated. */
export function resolveRoutes(overrides: RouteOverrides = {}): RoutesTable {
  const table = {} as { [T in TaskType]: { [C in Complexity]: Route } };
  for (const type of TASK_TYPES) {
    const row = {} as { [C in Complexity]: Route };
    for (const complexity of COMPLEXITIES) {
      row[complexity] = Route.parse({ ...DEFAULT_ROUTES[type][complexity], ...overrides[type]?.[complexity] });
    }
    table[type] = row;
  }
  return table;
}
