import type { Complexity, TaskType } from "../../../engine/api/index.js";

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
