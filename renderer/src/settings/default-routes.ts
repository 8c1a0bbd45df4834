/**
 * The routing table's defaults. Settings hold only overrides, and the API sends settings as they
 * are stored, so to show the table the renderer needs the defaults too. This mirrors
 * engine/llm/routes.ts (DEFAULT_ROUTES), which the renderer may not import; default-routes.test.ts
 * fails when the two drift apart.
 */

export const SLOTS = ["main", "cot", "utility"] as const;
export type SlotName = (typeof SLOTS)[number];

export const TASK_TYPES = [
  "narration",
  "location-description",
  "dialogue",
  "rule-judging",
  "intent-parsing",
  "content-generation",
  "summarization",
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const COMPLEXITIES = ["routine", "moderate", "critical"] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

export interface Route {
  readonly slot: SlotName;
  readonly temperature: number;
  readonly maxTokens: number;
}

export type RoutesTable = { readonly [T in TaskType]: { readonly [C in Complexity]: Route } };

function same(route: Route): { readonly [C in Complexity]: Route } {
  return { routine: route, moderate: route, critical: route };
}

export const DEFAULT_ROUTES: RoutesTable = {
  narration: {
    routine: { slot: "utility", temperature: 0.7, maxTokens: 2048 },
    moderate: { slot: "main", temperature: 0.7, maxTokens: 2048 },
    critical: { slot: "main", temperature: 0.7, maxTokens: 2048 },
  },
  "location-description": same({ slot: "utility", temperature: 0.6, maxTokens: 512 }),
  dialogue: same({ slot: "main", temperature: 0.3, maxTokens: 2048 }),
  "rule-judging": same({ slot: "cot", temperature: 0.1, maxTokens: 512 }),
  "intent-parsing": same({ slot: "utility", temperature: 0.1, maxTokens: 256 }),
  "content-generation": {
    routine: { slot: "utility", temperature: 0.9, maxTokens: 256 },
    moderate: { slot: "main", temperature: 0.8, maxTokens: 512 },
    critical: { slot: "cot", temperature: 0.7, maxTokens: 1024 },
  },
  summarization: same({ slot: "utility", temperature: 0.3, maxTokens: 1536 }),
};

/** How the routes table names each task and complexity for the player. */
export const TASK_LABELS: Readonly<Record<TaskType, string>> = {
  narration: "Narration",
  "location-description": "Location description",
  dialogue: "Character dialogue",
  "rule-judging": "Rule judging",
  "intent-parsing": "Understanding the player",
  "content-generation": "Content generation",
  summarization: "Summarization",
};

export const COMPLEXITY_LABELS: Readonly<Record<TaskType, Readonly<Record<Complexity, string>>>> = {
  narration: { routine: "routine", moderate: "combat", critical: "critical" },
  "location-description": { routine: "routine", moderate: "moderate", critical: "critical" },
  dialogue: { routine: "routine", moderate: "moderate", critical: "critical" },
  "rule-judging": { routine: "routine", moderate: "moderate", critical: "critical" },
  "intent-parsing": { routine: "routine", moderate: "moderate", critical: "critical" },
  "content-generation": { routine: "name", moderate: "NPC", critical: "quest" },
  summarization: { routine: "routine", moderate: "moderate", critical: "critical" },
};

export function isSlotName(value: string): value is SlotName {
  return (SLOTS as readonly string[]).includes(value);
}
